// A settled replay capture is polled without waking a source's worker
// (docs/architecture.md, "Unchanged without a hand-off"): each file-backed
// source, the adapters and HNS tell on the poller's thread that nothing
// changed, until a file is written. Linux only: stamps and the watch of the
// stats directory are Linux's.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "collectors/registry.h"
#include "exporter/poller.h"
#include "tests/temp_dir.h"
#include "tests/test_util.h"

namespace winnet {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// Every file of the tree last changed ten seconds ago, then a wait until
// the status-change times settle too.
void SettleTree(const std::string& root) {
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file())
      fs::last_write_time(entry.path(), fs::file_time_type::clock::now() - 10s);
  }
  std::this_thread::sleep_for(1100ms);
}

PollerOptions Options() {
  PollerOptions o;
  o.interval = 50ms;
  o.timeout = 2s;
  o.build = {"0.0.0-test", "abc", "linux"};
  return o;
}

constexpr const char* kCaptured[] = {"ipam_state",   "network_state", "hns",          "adapters",
                                     "cni_conflist", "cns_state",     "cns_endpoints"};

TEST(UnchangedReplay, ASettledCaptureIsPolledWithoutItsWorkersUntilAFileIsWritten) {
  testing::TempDir tmp;
  testing::CopyTree(testing::ExampleDir(), tmp.path());
  SettleTree(tmp.path());
  auto sources = MakeReplaySources(tmp.path());
  ASSERT_TRUE(sources.ok()) << sources.error();
  Poller p(std::move(*sources), Options());
  p.RunCycle();
  for (const char* name : kCaptured) EXPECT_EQ(p.PollsWithoutWorker(name), 0u) << name;
  p.RunCycle();
  p.RunCycle();
  for (const char* name : kCaptured) EXPECT_EQ(p.PollsWithoutWorker(name), 2u) << name;
  const std::string before = p.Current()->Metrics();
  EXPECT_NE(before.find("winnet_exporter_source_success{source=\"hns\"} 1"), std::string::npos);

  // One endpoint's stats rewritten: HNS goes to its worker, which reads the
  // new counters; the other sources stay on the poller's thread.
  const std::string stats = tmp / "hns/endpointstats/2CCD5F71-12FC-4E59-B1E9-F4FD46B1F9D2.json";
  testing::WriteAtomically(
      stats,
      R"({"Output":{"BytesReceived":999000111,"BytesSent":3921877203,"DroppedPacketsIncoming":0,)"
      R"("DroppedPacketsOutgoing":12,"EndpointId":"2CCD5F71-12FC-4E59-B1E9-F4FD46B1F9D2",)"
      R"("PacketsReceived":702311,"PacketsSent":3206129},"Success":true})");
  p.RunCycle();
  EXPECT_EQ(p.PollsWithoutWorker("hns"), 2u);
  EXPECT_EQ(p.PollsWithoutWorker("ipam_state"), 3u);
  EXPECT_NE(p.Current()->Metrics().find("999000111"), std::string::npos);

  // Written less than a second ago: the worker stamps it each cycle until it
  // settles, then the poller's thread tells again.
  p.RunCycle();
  EXPECT_EQ(p.PollsWithoutWorker("hns"), 2u);
  std::this_thread::sleep_for(1100ms);
  p.RunCycle();
  p.RunCycle();
  EXPECT_EQ(p.PollsWithoutWorker("hns"), 3u);
  EXPECT_NE(p.Current()->Metrics().find("999000111"), std::string::npos);
}

}  // namespace
}  // namespace winnet
