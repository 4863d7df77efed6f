#include "exporter/poller.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "collectors/cni/cni_source.h"
#include "collectors/common/capture_writer.h"
#include "collectors/ipam/ipam_source.h"
#include "collectors/registry.h"
#include "tests/test_util.h"

namespace winnet {
namespace {

using namespace std::chrono_literals;

// A file source whose behaviour the test controls: content, failure, or a hang.
struct Control {
  std::mutex mu;
  std::condition_variable cv;
  std::string content = R"({"IPAM":{"AddressSpaces":{"local":{"Pools":{"10.0.0.0/24":{"Addresses":
      {"10.0.0.5":{"ID":"x","Addr":"10.0.0.5","InUse":true}}}}}}}})";
  std::string fail;
  bool hang = false;
  std::atomic<int> calls{0};
};

class FakeFile : public FileSource {
 public:
  explicit FakeFile(std::shared_ptr<Control> c) : c_(std::move(c)) {}
  Result<std::optional<std::string>> Read() override {
    ++c_->calls;
    std::unique_lock<std::mutex> lock(c_->mu);
    c_->cv.wait(lock, [&] { return !c_->hang; });
    if (!c_->fail.empty()) return MakeError(c_->fail);
    return std::optional<std::string>(c_->content);
  }
  std::string Where() const override { return "fake-ipam.json"; }

 private:
  std::shared_ptr<Control> c_;
};

class FixedFile : public FileSource {
 public:
  explicit FixedFile(std::string text) : text_(std::move(text)) {}
  Result<std::optional<std::string>> Read() override { return std::optional<std::string>(text_); }
  std::string Where() const override { return "fixed-azure-vnet.json"; }

 private:
  std::string text_;
};

SourceSet Fake(std::shared_ptr<Control> c) {
  SourceSet s = UnopenedSources();
  s.Set(kIpamStateSource, std::make_shared<FakeFile>(std::move(c)));
  s.Set(kNetworkStateSource, std::make_shared<FixedFile>(R"({"Network":{"Version":"v1.5.35"}})"));
  s.SetUnavailable("hns", "HNS exists only on Windows");
  s.SetUnavailable("adapters", "not in this test");
  return s;
}

PollerOptions Opts(std::chrono::milliseconds timeout = 300ms) {
  PollerOptions o;
  o.interval = 50ms;
  o.timeout = timeout;
  o.build = {"0.0.0-test", "abc", "linux"};
  return o;
}

bool Has(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

TEST(Poller, PublishesARenderAfterEachCycle) {
  auto c = std::make_shared<Control>();
  Poller p(Fake(c), Opts());
  EXPECT_EQ(p.Current()->cycle, 0u);
  p.RunCycle();
  auto r = p.Current();
  EXPECT_EQ(r->cycle, 1u);
  EXPECT_TRUE(Has(r->Metrics(), "winnet_ipam_pool_capacity_ips{subnet=\"10.0.0.0/24\"} 1"))
      << r->Metrics();
  EXPECT_TRUE(Has(r->Metrics(), "winnet_exporter_source_success{source=\"ipam_state\"} 1"));
  EXPECT_TRUE(Has(r->Metrics(), "winnet_exporter_source_success{source=\"network_state\"} 1"));
  EXPECT_FALSE(Has(r->Metrics(), "source=\"hns\""));
  EXPECT_TRUE(Has(r->Health(), "hns: unavailable: HNS exists only on Windows"));
  EXPECT_FALSE(r->MetricsGzip().empty());
  EXPECT_TRUE(Has(r->SnapshotJson(), "\"subnet\": \"10.0.0.0/24\""));
}

TEST(Poller, MemoryIsGivenBackAfterARebuildAndAfterAServedTextIsReplaced) {
  auto c = std::make_shared<Control>();
  Poller p(Fake(c), Opts());
  p.RunCycle();
  EXPECT_EQ(p.memory_returns(), 1u) << "the first data part was built";
  p.RunCycle();
  EXPECT_EQ(p.memory_returns(), 1u) << "nothing changed, nothing served: nothing freed";
  EXPECT_FALSE(p.Current()->Metrics().empty());  // a scrape makes the text
  std::this_thread::sleep_for(1050ms);           // at most once a second
  p.RunCycle();
  EXPECT_EQ(p.memory_returns(), 2u) << "the served text was replaced";
  p.RunCycle();
  EXPECT_EQ(p.memory_returns(), 2u);
}

TEST(Poller, FailingSourceKeepsLastGoodDataMarkedStaleAndRecovers) {
  auto c = std::make_shared<Control>();
  Poller p(Fake(c), Opts());
  p.RunCycle();
  c->fail = "fake-ipam.json: invalid JSON: unexpected end of input";
  p.RunCycle();
  auto r = p.Current();
  EXPECT_TRUE(Has(r->Metrics(), "winnet_exporter_source_success{source=\"ipam_state\"} 0"));
  EXPECT_TRUE(Has(r->Metrics(), "winnet_ipam_pool_capacity_ips{subnet=\"10.0.0.0/24\"} 1"));
  EXPECT_TRUE(
      Has(r->Health(), "ipam_state: failing, serving stale data: fake-ipam.json: invalid JSON"));
  auto snap = p.LastSnapshot();
  EXPECT_TRUE(snap.sources[0].stale);
  double last_ok = snap.sources[0].last_success_unix;
  EXPECT_GT(last_ok, 0);
  c->fail.clear();
  p.RunCycle();
  snap = p.LastSnapshot();
  EXPECT_TRUE(snap.sources[0].ok);
  EXPECT_FALSE(snap.sources[0].stale);
  EXPECT_GE(snap.sources[0].last_success_unix, last_ok);
}

TEST(Poller, FailingFromTheStartHasNoDataButReportsFailure) {
  auto c = std::make_shared<Control>();
  c->fail = "boom";
  Poller p(Fake(c), Opts());
  p.RunCycle();
  auto r = p.Current();
  EXPECT_TRUE(Has(r->Metrics(), "winnet_exporter_source_success{source=\"ipam_state\"} 0"));
  EXPECT_TRUE(
      Has(r->Metrics(),
          "winnet_exporter_source_last_success_timestamp_seconds{source=\"ipam_state\"} 0"));
  EXPECT_FALSE(Has(r->Metrics(), "winnet_ipam_pool_capacity_ips"));
}

TEST(Poller, HungSourceTimesOutDoesNotBlockOthersAndIsNotCalledAgainUntilItReturns) {
  auto c = std::make_shared<Control>();
  Poller p(Fake(c), Opts(200ms));
  p.RunCycle();
  {
    std::lock_guard<std::mutex> l(c->mu);
    c->hang = true;
  }
  auto t0 = std::chrono::steady_clock::now();
  p.RunCycle();
  auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_LT(took, 1500ms);
  auto snap = p.LastSnapshot();
  EXPECT_FALSE(snap.sources[0].ok);
  EXPECT_TRUE(snap.sources[0].in_flight);
  EXPECT_NE(snap.sources[0].error.find("timed out"), std::string::npos);
  EXPECT_TRUE(snap.sources[1].ok);  // network_state unaffected
  // ... and its duration is its own, not the wait for the hung source checked first.
  EXPECT_LT(snap.sources[1].duration_seconds, 0.1);
  EXPECT_EQ(snap.pools.size(), 1u);  // last good IPAM data still there
  // While the call hangs, later cycles neither wait for it again nor start another.
  t0 = std::chrono::steady_clock::now();
  p.RunCycle();
  p.RunCycle();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 150ms);
  EXPECT_EQ(c->calls.load(), 2);
  // It returns: the next cycle takes its (late) result, then polls afresh.
  {
    std::lock_guard<std::mutex> l(c->mu);
    c->hang = false;
  }
  c->cv.notify_all();
  std::this_thread::sleep_for(50ms);
  p.RunCycle();
  EXPECT_TRUE(p.LastSnapshot().sources[0].ok);
  p.RunCycle();
  EXPECT_EQ(c->calls.load(), 3);
}

TEST(Poller, BackgroundThreadPollsAndStopsPromptly) {
  auto c = std::make_shared<Control>();
  Poller p(Fake(c), Opts());
  p.Start();
  for (int i = 0; i < 100 && p.Current()->cycle < 3; ++i) std::this_thread::sleep_for(20ms);
  EXPECT_GE(p.Current()->cycle, 3u);
  auto t0 = std::chrono::steady_clock::now();
  p.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 500ms);
}

TEST(Poller, ChangedCaptureShowsOnNextCycle) {
  auto c = std::make_shared<Control>();
  Poller p(Fake(c), Opts());
  p.RunCycle();
  {
    std::lock_guard<std::mutex> l(c->mu);
    c->content = R"({"IPAM":{"AddressSpaces":{"local":{"Pools":{"10.0.0.0/24":{"Addresses":
      {"10.0.0.5":{"InUse":true},"10.0.0.6":{"InUse":false}}}}}}}})";
  }
  p.RunCycle();
  EXPECT_TRUE(
      Has(p.Current()->Metrics(), "winnet_ipam_pool_capacity_ips{subnet=\"10.0.0.0/24\"} 2"));
}

// A state file with stamps whose quick stamp (taken on the poller's thread)
// the test sets: counts the worker's stamps and reads, and on which thread
// the quick one was taken.
struct StampControl {
  std::mutex mu;
  std::string content = Control().content;
  std::string fail;
  std::optional<FileStamp> stamp, quick;
  int reads = 0, stamps = 0;
  std::atomic<int> wheres{0};
  std::thread::id quick_on;
};

class StampedFake : public FileSource {
 public:
  explicit StampedFake(std::shared_ptr<StampControl> c) : c_(std::move(c)) {}
  Result<std::optional<std::string>> Read() override {
    std::lock_guard<std::mutex> lock(c_->mu);
    ++c_->reads;
    if (!c_->fail.empty()) return MakeError(c_->fail);
    return std::optional<std::string>(c_->content);
  }
  std::string Where() const override {
    ++c_->wheres;
    return "stamped-ipam.json";
  }
  std::optional<FileStamp> Stamp() const override {
    std::lock_guard<std::mutex> lock(c_->mu);
    ++c_->stamps;
    return c_->stamp;
  }
  std::optional<FileStamp> StampIfQuick() const override {
    std::lock_guard<std::mutex> lock(c_->mu);
    c_->quick_on = std::this_thread::get_id();
    return c_->quick;
  }

 private:
  std::shared_ptr<StampControl> c_;
};

FileStamp Stamped(uint64_t n) { return FileStamp{1, n, 100, 1000, 1000}; }

TEST(Poller, AnUnchangedFileIsToldOnThePollersThreadWithoutItsWorker) {
  auto c = std::make_shared<StampControl>();
  c->stamp = c->quick = Stamped(1);
  SourceSet s = UnopenedSources();
  s.Set(kIpamStateSource, std::make_shared<StampedFake>(c));
  Poller p(std::move(s), Opts());
  p.RunCycle();
  EXPECT_EQ(c->reads, 1);
  EXPECT_EQ(p.PollsWithoutWorker("ipam_state"), 0u) << "nothing read before: no quick answer";
  const int wheres = c->wheres;
  for (int i = 0; i < 3; ++i) p.RunCycle();
  EXPECT_EQ(p.PollsWithoutWorker("ipam_state"), 3u);
  EXPECT_EQ(c->wheres, wheres) << "where it reads is not asked again while settled";
  EXPECT_EQ(c->quick_on, std::this_thread::get_id()) << "taken by the cycle's thread";
  EXPECT_EQ(c->stamps, 1) << "the worker was not asked again";
  auto r = p.Current();
  EXPECT_TRUE(Has(r->Metrics(), "winnet_exporter_source_success{source=\"ipam_state\"} 1"));
  EXPECT_TRUE(Has(r->Metrics(), "winnet_ipam_pool_capacity_ips{subnet=\"10.0.0.0/24\"} 1"));
  EXPECT_TRUE(Has(r->Health(), "ipam_state: ok (stamped-ipam.json)")) << r->Health();

  {  // rewritten: a new quick stamp sends the poll to the worker, which reads
    std::lock_guard<std::mutex> lock(c->mu);
    c->stamp = c->quick = Stamped(2);
    c->content = R"({"IPAM":{"AddressSpaces":{"local":{"Pools":{"10.0.0.0/24":{"Addresses":
      {"10.0.0.5":{"InUse":true},"10.0.0.6":{"InUse":false}}}}}}}})";
  }
  p.RunCycle();
  EXPECT_EQ(c->reads, 2);
  EXPECT_EQ(p.PollsWithoutWorker("ipam_state"), 3u);
  EXPECT_TRUE(
      Has(p.Current()->Metrics(), "winnet_ipam_pool_capacity_ips{subnet=\"10.0.0.0/24\"} 2"));

  {  // broken: the error is the worker's each cycle, never the quick answer
    std::lock_guard<std::mutex> lock(c->mu);
    c->stamp = c->quick = Stamped(3);
    c->fail = "stamped-ipam.json: invalid JSON";
  }
  p.RunCycle();
  p.RunCycle();
  EXPECT_EQ(c->reads, 4);
  EXPECT_EQ(p.PollsWithoutWorker("ipam_state"), 3u);
  EXPECT_TRUE(
      Has(p.Current()->Metrics(), "winnet_exporter_source_success{source=\"ipam_state\"} 0"));

  {  // no quick stamp (a network file system): the worker stamps every cycle
    std::lock_guard<std::mutex> lock(c->mu);
    c->fail.clear();
    c->quick.reset();
  }
  const int stamps = c->stamps;
  p.RunCycle();
  p.RunCycle();
  EXPECT_EQ(c->stamps, stamps + 2);
  EXPECT_EQ(p.PollsWithoutWorker("ipam_state"), 3u);
  EXPECT_TRUE(
      Has(p.Current()->Metrics(), "winnet_exporter_source_success{source=\"ipam_state\"} 1"));
}

// A source that throws what the test says: from its read (on its worker), or
// from its item errors (on the poller's thread, inside the cycle).
struct Thrower {
  std::string Where() const { return "thrower"; }
};
enum class Throw { kNothing, kIntFromRead, kBadAllocFromRead, kBadAllocInCycle };

class ThrowingSource final : public TypedSource<Thrower, int> {
 public:
  explicit ThrowingSource(std::atomic<Throw>* mode)
      : TypedSource(SourceKey<Thrower, int>{"thrower"}), mode_(mode) {}
  std::string_view capture_part() const override { return "thrower"; }
  OpenedRaw OpenLive(LiveContext&) const override { return OpenedRaw::Unavailable("test"); }
  OpenedRaw OpenReplay(const std::string&) const override { return OpenedRaw::Unavailable("test"); }

 protected:
  Reader ReaderFor(std::shared_ptr<Thrower>) const override {
    return [mode = mode_]() -> Result<std::shared_ptr<const int>> {
      if (*mode == Throw::kIntFromRead) throw 42;
      if (*mode == Throw::kBadAllocFromRead) throw std::bad_alloc();
      return std::make_shared<const int>(static_cast<int>(mode->load()));
    };
  }
  std::vector<std::string> ItemErrorsOf(const int& data) const override {
    if (data == static_cast<int>(Throw::kBadAllocInCycle)) throw std::bad_alloc();
    return {};
  }
  void CaptureFrom(Thrower&, CaptureWriter&) const override {}

 private:
  std::atomic<Throw>* mode_;
};

TEST(Poller, NothingThrownEndsTheExporterAndTheLastDataStaysServed) {
  std::atomic<Throw> mode{Throw::kNothing};
  ThrowingSource type(&mode);
  SourceSet s;
  s.entries.push_back({&type, OpenedRaw::Of(std::make_unique<Thrower>())});
  Poller p(std::move(s), Opts());
  p.RunCycle();
  ASSERT_EQ(p.Current()->cycle, 1u);
  EXPECT_TRUE(Has(p.Current()->Health(), "thrower: ok"));

  mode = Throw::kIntFromRead;
  p.RunCycle();
  EXPECT_TRUE(Has(p.Current()->Health(), "unexpected exception (not a std::exception)"))
      << p.Current()->Health();
  mode = Throw::kBadAllocFromRead;
  p.RunCycle();
  EXPECT_TRUE(Has(p.Current()->Health(), "unexpected exception: std::bad_alloc"))
      << p.Current()->Health();

  mode = Throw::kBadAllocInCycle;  // thrown on the poller's own thread
  const uint64_t before = p.Current()->cycle;
  p.RunCycle();
  EXPECT_EQ(p.Current()->cycle, before);  // nothing new published; the last render stays
  EXPECT_FALSE(p.Current()->Metrics().empty());
  mode = Throw::kNothing;
  p.RunCycle();
  EXPECT_EQ(p.Current()->cycle, before + 1);
}

// A state file found later than at start (in another directory than the one
// expected): /healthz says where it is read now.
class MovingFile : public FileSource {
 public:
  explicit MovingFile(std::shared_ptr<std::string> where) : where_(std::move(where)) {}
  Result<std::optional<std::string>> Read() override { return std::optional<std::string>(); }
  std::string Where() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return *where_;
  }
  void Move(std::string to) {
    std::lock_guard<std::mutex> lock(mu_);
    *where_ = std::move(to);
  }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<std::string> where_;
};

TEST(Poller, HealthSaysWhereASourceReadsNow) {
  auto file = std::make_shared<MovingFile>(
      std::make_shared<std::string>("C:\\k\\azure-vnet.json or C:\\Windows\\System32\\"
                                    "azure-vnet.json (none there yet)"));
  SourceSet s = UnopenedSources();
  s.Set(kNetworkStateSource, file);
  Poller p(std::move(s), Opts());
  p.RunCycle();
  EXPECT_TRUE(Has(p.Current()->Health(), "(none there yet)")) << p.Current()->Health();
  file->Move("C:\\Windows\\System32\\azure-vnet.json");
  p.RunCycle();
  EXPECT_TRUE(
      Has(p.Current()->Health(), "network_state: ok (C:\\Windows\\System32\\azure-vnet.json)"))
      << p.Current()->Health();
  EXPECT_FALSE(Has(p.Current()->Health(), "none there yet"));
}

}  // namespace
}  // namespace winnet
