// Linux only: hung sources do not grow threads (counted in /proc/self/task) or
// memory (RSS from /proc/self/statm), and a FIFO at a state file's path does
// not block the read.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "collectors/common/file_io.h"
#include "collectors/registry.h"
#include "exporter/poller.h"
#include "tests/fault_source.h"
#include "tests/sanitized.h"
#include "tests/temp_dir.h"
#include "tests/test_util.h"

namespace winnet {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

int ThreadCount() {
  int n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/task")) ++n;
  return n;
}

long RssKiB() {
  std::ifstream in("/proc/self/statm");
  long size = 0, resident = 0;
  in >> size >> resident;
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

// Waits until the thread count is `n` (threads leave asynchronously).
bool ThreadsSettleAt(int n, std::chrono::milliseconds limit = 3s) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (ThreadCount() != n) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

class HungSources : public ::testing::Test {
 protected:
  void Make(std::chrono::milliseconds timeout) {
    testing::CopyTree(testing::ExampleDir(), dir_.path());
    auto sources = MakeReplaySources(dir_.path());
    ASSERT_TRUE(sources.ok()) << sources.error();
    PollerOptions o;
    o.interval = 10ms;
    o.timeout = timeout;
    o.build = {"0.0.0-test", "abc", "linux"};
    faults_.hns_prefix = "/endpoints/";  // one faulted HNS call per poll
    poller_ = std::make_unique<Poller>(faults_.Wrap(std::move(*sources)), o);
  }
  void TearDown() override {
    faults_.PassAll();
    poller_.reset();
  }
  testing::TempDir dir_;
  testing::Faults faults_;
  std::unique_ptr<Poller> poller_;
};

TEST_F(HungSources, RepeatedHangsDoNotGrowThreadsOrMemory) {
  Make(5ms);
  // Every call of every source hangs past the 5 ms timeout, then answers.
  const std::vector<std::pair<std::string, std::shared_ptr<testing::Fault>>> all = {
      {"ipam", faults_.ipam},
      {"cni", faults_.cni},
      {"hns", faults_.hns},
      {"adapters", faults_.adapters}};
  for (const auto& [name, f] : all) f->HangFor(10ms);
  auto cycle = [&] {
    poller_->RunCycle();
    std::this_thread::sleep_for(2ms);
  };
  for (int i = 0; i < 50; ++i) cycle();  // warm-up
  const int threads = ThreadCount();
  const long rss = RssKiB();
  std::vector<int> calls;  // each source's own baseline
  for (const auto& [name, f] : all) calls.push_back(f->calls());
  int max_threads = threads;
  for (int i = 0; i < 400; ++i) {
    cycle();
    if (i % 10 == 0) max_threads = std::max(max_threads, ThreadCount());
  }
  const long grown = RssKiB() - rss;
  EXPECT_EQ(max_threads, threads);
  EXPECT_EQ(ThreadCount(), threads);
  // Each source hung and was called again, again and again, one call at a time.
  for (size_t i = 0; i < all.size(); ++i) {
    const auto& [name, f] = all[i];
    EXPECT_GT(f->calls() - calls[i], 30)
        << name << " was called " << f->calls() - calls[i] << " times";
    EXPECT_LE(f->hung(), 1) << name;
  }
  auto r = poller_->Current();
  EXPECT_EQ(r->cycle, 450u);
  if (!testing::kSanitized) {  // sanitizers keep freed memory in quarantine
    EXPECT_LT(grown, 1024) << "RSS grew by " << grown << " KiB over 400 cycles with hangs";
  }
}

TEST_F(HungSources, ACallThatNeverReturnsIsNotRepeated) {
  Make(5ms);
  poller_->RunCycle();
  // A slow (sanitized) first read may outlive its 5 ms: count the threads
  // once HNS has answered a whole cycle, stats thread included.
  for (int i = 0; i < 500 && !poller_->Current()->sources[2].ok; ++i) {
    std::this_thread::sleep_for(10ms);
    poller_->RunCycle();
  }
  const int threads = ThreadCount();
  const int calls = faults_.hns->calls();
  faults_.hns->Hang();
  for (int i = 0; i < 200; ++i) poller_->RunCycle();
  EXPECT_EQ(ThreadCount(), threads);
  EXPECT_EQ(faults_.hns->hung(), 1);
  EXPECT_EQ(faults_.hns->calls(), calls + 1);  // only the hung one
  EXPECT_TRUE(poller_->Current()->sources[2].in_flight);
}

TEST_F(HungSources, ShutdownWithAHungCallLeavesOneThreadUntilItReturns) {
  const int before = ThreadCount();
  Make(50ms);
  poller_->RunCycle();
  // One worker per available source (8 of the 10 on Linux), and the HNS
  // source's thread for its stats calls (docs/hns.md, "Bounded calls").
  EXPECT_EQ(ThreadCount(), before + 9);
  faults_.hns->Hang();
  poller_->RunCycle();
  auto t0 = std::chrono::steady_clock::now();
  poller_.reset();  // idle workers join; the hung one is detached after a grace period
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
  // The hung job still owns the HNS reader, and so its idle stats thread.
  EXPECT_TRUE(ThreadsSettleAt(before + 2)) << ThreadCount();
  faults_.hns->Pass();
  EXPECT_TRUE(ThreadsSettleAt(before)) << ThreadCount();
}

TEST(StateFileRead, FifoAtThePathIsRefusedNotWaitedOn) {
  testing::TempDir dir;
  const std::string path = dir / "azure-vnet-ipam.json";
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  // Read on another thread: before the fix open() blocked until a writer came.
  auto promise = std::make_shared<std::promise<std::string>>();
  auto done = promise->get_future();
  std::thread([promise, path] {
    auto r = ReadWholeFile(path);
    promise->set_value(r.ok() ? "read" : r.error());
  }).detach();
  ASSERT_EQ(done.wait_for(2s), std::future_status::ready) << "ReadWholeFile blocked on a FIFO";
  EXPECT_EQ(done.get(), path + ": is not a regular file (a FIFO, device or socket); not read");
}

}  // namespace
}  // namespace winnet
