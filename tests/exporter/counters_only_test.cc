// Only counters changed (docs/architecture.md, "Only counters changed"): the
// poller updates the counters of its last snapshot and renders only the
// counter families again, and serves exactly what a full join of the same
// data gives. Anything else that changed joins again.
#include <gtest/gtest.h>

#include <sstream>

#include "collectors/common/file_io.h"
#include "collectors/registry.h"
#include "exporter/poller.h"
#include "tests/temp_dir.h"
#include "tests/test_util.h"

namespace winnet {
namespace {

PollerOptions Opts(uint64_t stale_remote_cycles = kDefaultStaleRemoteCycles) {
  PollerOptions o;
  o.build = {"0.0.0-test", "abc", "linux"};
  o.stale_remote_cycles = stale_remote_cycles;
  return o;
}

// The data part: every line but the source series (their durations differ).
std::string DataPart(const std::string& metrics) {
  std::istringstream in(metrics);
  std::string line, out;
  while (std::getline(in, line)) {
    if (line.find("winnet_exporter_") == std::string::npos &&
        line.find("_call_duration_seconds") == std::string::npos) {
      out += line + "\n";
    }
  }
  return out;
}

// "" when equal, else the first line that differs in each.
std::string FirstDifference(const std::string& a, const std::string& b) {
  std::istringstream ia(a), ib(b);
  std::string la, lb;
  for (;;) {
    const bool more_a = static_cast<bool>(std::getline(ia, la));
    const bool more_b = static_cast<bool>(std::getline(ib, lb));
    if (!more_a && !more_b) return "";
    if (!more_a || !more_b || la != lb) return "served: " + la + "\nfull join: " + lb;
  }
}

void Replace(const std::string& path, const std::string& from, const std::string& to) {
  auto text = ReadWholeFile(path);
  ASSERT_TRUE(text.ok() && text->has_value()) << path;
  const size_t at = (*text)->find(from);
  ASSERT_NE(at, std::string::npos) << from << " in " << path;
  (*text)->replace(at, from.size(), to);
  testing::WriteInPlace(path, **text);
}

// What a poller started afresh on `dir` serves after one cycle.
std::string FullJoinOf(const std::string& dir) {
  auto sources = MakeReplaySources(dir);
  EXPECT_TRUE(sources.ok());
  Poller fresh(std::move(*sources), Opts());
  fresh.RunCycle();
  return DataPart(fresh.Current()->Metrics());
}

class CountersOnly : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::CopyTree(testing::ExampleDir(), dir_.path());
    auto sources = MakeReplaySources(dir_.path());
    ASSERT_TRUE(sources.ok()) << sources.error();
    poller_ = std::make_unique<Poller>(std::move(*sources), Opts());
    poller_->RunCycle();
  }
  std::string Stats() const {
    return dir_ / "hns/endpointstats/2CCD5F71-12FC-4E59-B1E9-F4FD46B1F9D2.json";
  }
  std::string Adapters() const { return dir_ / "adapters.json"; }

  testing::TempDir dir_;
  std::unique_ptr<Poller> poller_;
};

TEST_F(CountersOnly, NewCountersServeWhatAFullJoinGives) {
  EXPECT_EQ(poller_->counter_updates(), 0u);
  Replace(Stats(), "\"BytesReceived\":413566091", "\"BytesReceived\":413566999");
  Replace(Adapters(), "\"InOctets\": 1853402,", "\"InOctets\": 1853999,");
  poller_->RunCycle();
  EXPECT_EQ(poller_->counter_updates(), 1u);
  EXPECT_EQ(poller_->values_rewritten(), 1u);
  const std::string served = DataPart(poller_->Current()->Metrics());
  EXPECT_NE(served.find(" 413566999\n"), std::string::npos);
  EXPECT_NE(served.find(" 1853999\n"), std::string::npos);
  EXPECT_EQ(FirstDifference(served, FullJoinOf(dir_.path())), "");
  // Rates come from the counters before, as after a join.
  bool rated = false;
  for (const auto& e : poller_->LastSnapshot().endpoints) {
    if (e.id == "2ccd5f71-12fc-4e59-b1e9-f4fd46b1f9d2")
      rated = e.receive_rate && *e.receive_rate > 0;
  }
  EXPECT_TRUE(rated);
}

// Values that grow and shrink in width, cycle after cycle: each rewrite
// works from the text and layout the one before left.
TEST_F(CountersOnly, ValuesRewrittenCycleAfterCycleServeWhatAFullJoinGives) {
  std::string bytes = "413566091";
  for (const std::string next : {"41356609100000", "7", "413566092"}) {
    Replace(Stats(), "\"BytesReceived\":" + bytes, "\"BytesReceived\":" + next);
    bytes = next;
    poller_->RunCycle();
    const std::string served = DataPart(poller_->Current()->Metrics());
    EXPECT_NE(served.find(" " + next + "\n"), std::string::npos) << next;
    EXPECT_EQ(FirstDifference(served, FullJoinOf(dir_.path())), "") << next;
  }
  EXPECT_EQ(poller_->values_rewritten(), 3u);
}

// The counter update copies only the views it changes: the remote endpoints
// and the join's lists are shared with the snapshot before, and a write to
// the new one never shows in the old.
TEST_F(CountersOnly, RemoteEndpointsAreSharedWithTheSnapshotBefore) {
  const std::shared_ptr<const NodeSnapshot> before = poller_->Current()->snapshot;
  ASSERT_NE(before, nullptr);
  ASSERT_NE(before->remote_endpoints, nullptr);
  ASSERT_GT(before->remote_endpoints->size(), 0u);
  Replace(Stats(), "\"BytesReceived\":413566091", "\"BytesReceived\":413566999");
  poller_->RunCycle();
  ASSERT_EQ(poller_->counter_updates(), 1u);
  const std::shared_ptr<const NodeSnapshot> after = poller_->Current()->snapshot;
  EXPECT_EQ(after->remote_endpoints, before->remote_endpoints);
  EXPECT_EQ(after->endpoints.shared_count(), 0u) << "every local view has new counters";
  // The lists the join made are shared whole.
  EXPECT_TRUE(after->pools.SharesWith(before->pools));
  EXPECT_TRUE(after->cni_endpoints.SharesWith(before->cni_endpoints));
  EXPECT_TRUE(after->hns_checks.unreferenced_remote_endpoints.SharesWith(
      before->hns_checks.unreferenced_remote_endpoints));
  for (size_t i = 0; i < after->endpoints.size(); ++i) {
    const EndpointView& old_view = before->endpoints[i];
    const EndpointView& new_view = after->endpoints[i];
    EXPECT_EQ(&old_view == &new_view, !new_view.local) << new_view.id;
    if (new_view.id != "2ccd5f71-12fc-4e59-b1e9-f4fd46b1f9d2") continue;
    ASSERT_TRUE(old_view.stats && new_view.stats);
    EXPECT_EQ(old_view.stats->bytes_received, 413566091u);
    EXPECT_EQ(new_view.stats->bytes_received, 413566999u);
  }
}

// The grace period of unreferenced remote endpoints counts the cycles that
// only updated counters too.
TEST_F(CountersOnly, StaleRemoteEndpointsStillCountCycles) {
  auto sources = MakeReplaySources(dir_.path());
  ASSERT_TRUE(sources.ok());
  Poller p(std::move(*sources), Opts(3));
  auto stale = [&p] {
    const std::string m = p.Current()->Metrics();
    const size_t at = m.find("\nwinnet_hns_stale_remote_endpoints ");
    return at == std::string::npos ? std::string("none")
                                   : m.substr(at + 1, m.find('\n', at + 1) - at - 1);
  };
  p.RunCycle();
  EXPECT_EQ(stale(), "winnet_hns_stale_remote_endpoints 0");
  for (const char* bytes : {"413566100", "413566200"}) {
    const auto text = ReadWholeFile(Stats());
    ASSERT_TRUE(text.ok() && text->has_value());
    const size_t at = (*text)->find("\"BytesReceived\":") + 16;
    Replace(Stats(), (*text)->substr(at, 9), bytes);
    p.RunCycle();
  }
  EXPECT_EQ(p.counter_updates(), 2u);
  EXPECT_EQ(stale(), "winnet_hns_stale_remote_endpoints 1") << "three cycles: stale";
}

TEST_F(CountersOnly, AnAdapterThatChangedMoreThanItsCountersJoinsAgain) {
  Replace(Adapters(), "\"OperStatus\": 1,", "\"OperStatus\": 2,");
  poller_->RunCycle();
  EXPECT_EQ(poller_->counter_updates(), 0u);
  EXPECT_EQ(FirstDifference(DataPart(poller_->Current()->Metrics()), FullJoinOf(dir_.path())), "");
}

TEST_F(CountersOnly, ANewHnsInventoryJoinsAgain) {
  Replace(dir_ / "hns/endpoints.json", "\"State\":", "\"State\" :");  // same data, new text
  Replace(Stats(), "\"BytesReceived\":413566091", "\"BytesReceived\":413566999");
  poller_->RunCycle();
  EXPECT_EQ(poller_->counter_updates(), 0u);
  EXPECT_EQ(FirstDifference(DataPart(poller_->Current()->Metrics()), FullJoinOf(dir_.path())), "");
}

}  // namespace
}  // namespace winnet
