// Labels over time: a counter keeps the pod labels it got for the life of its
// endpoint or adapter, whatever a briefly incomplete join says.
#include "exporter/sticky_pods.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "collectors/registry.h"
#include "exporter/poller.h"
#include "tests/temp_dir.h"
#include "tests/test_util.h"

namespace winnet {
namespace {

namespace fs = std::filesystem;

EndpointView Local(const std::string& id, PodRef pod, const std::string& source = "") {
  EndpointView e;
  e.id = id;
  e.local = true;
  e.pod = std::move(pod);
  e.pod_source = source;
  return e;
}

NodeSnapshot Snap(std::vector<EndpointView> endpoints) {
  NodeSnapshot s;
  s.hns_known = true;
  s.endpoints = std::move(endpoints);
  return s;
}

TEST(StickyPods, UnknownToKnownOnceThenNeverBack) {
  StickyPods sticky;
  NodeSnapshot first = Snap({Local("e1", {})});
  EXPECT_TRUE(sticky.Apply(first).empty());
  EXPECT_FALSE(first.endpoints[0].pod.known());
  EXPECT_EQ(first.unmapped_endpoints, 1u);

  NodeSnapshot second = Snap({Local("e1", {"shop", "web-0"}, "network_state")});
  EXPECT_TRUE(sticky.Apply(second).empty());
  EXPECT_EQ(second.endpoints[0].pod.name, "web-0");
  EXPECT_EQ(second.unmapped_endpoints, 0u);

  NodeSnapshot third = Snap({Local("e1", {})});  // the CNI entry is missing for one poll
  EXPECT_TRUE(sticky.Apply(third).empty());
  EXPECT_EQ(third.endpoints[0].pod.ns, "shop");
  EXPECT_EQ(third.endpoints[0].pod.name, "web-0");
  EXPECT_EQ(third.endpoints[0].pod_source, "network_state");
  EXPECT_EQ(third.unmapped_endpoints, 0u);
}

TEST(StickyPods, AnotherPodIsAConflictLoggedOnceAndTheFirstIsKept) {
  StickyPods sticky;
  NodeSnapshot a = Snap({Local("e1", {"shop", "web-0"})});
  sticky.Apply(a);
  NodeSnapshot b = Snap({Local("e1", {"shop", "web-1"})});
  auto conflicts = sticky.Apply(b);
  ASSERT_EQ(conflicts.size(), 1u);
  EXPECT_NE(conflicts[0].find("endpoint e1: the join now names pod shop/web-1; keeping shop/web-0"),
            std::string::npos)
      << conflicts[0];
  EXPECT_EQ(b.endpoints[0].pod.name, "web-0");
  NodeSnapshot c = Snap({Local("e1", {"shop", "web-1"})});
  EXPECT_TRUE(sticky.Apply(c).empty());  // the same conflict again: not logged again
  EXPECT_EQ(c.endpoints[0].pod.name, "web-0");
}

TEST(StickyPods, AGoneEndpointIsForgottenButNotWhileHnsHasNoData) {
  StickyPods sticky;
  NodeSnapshot a = Snap({Local("e1", {"shop", "web-0"})});
  sticky.Apply(a);
  NodeSnapshot no_hns;  // HNS gave nothing this cycle: nothing is known to be gone
  sticky.Apply(no_hns);
  NodeSnapshot b = Snap({Local("e1", {})});
  sticky.Apply(b);
  EXPECT_EQ(b.endpoints[0].pod.name, "web-0");
  NodeSnapshot gone = Snap({});
  sticky.Apply(gone);
  NodeSnapshot again = Snap({Local("e1", {"other", "new-pod"})});  // a new life
  EXPECT_TRUE(sticky.Apply(again).empty());
  EXPECT_EQ(again.endpoints[0].pod.name, "new-pod");
}

AdapterView Adapter(const std::string& alias, PodRef pod) {
  AdapterView a;
  a.row.alias = alias;
  a.pod = std::move(pod);
  return a;
}

TEST(StickyPods, AdaptersKeepTheirPodByName) {
  StickyPods sticky;
  NodeSnapshot a;
  a.adapters_known = true;
  a.adapters.push_back(Adapter("vEthernet (x)", {"shop", "web-0"}));
  sticky.Apply(a);
  NodeSnapshot b;
  b.adapters_known = true;
  b.adapters.push_back(Adapter("vEthernet (x)", {}));
  sticky.Apply(b);
  EXPECT_EQ(b.adapters[0].pod.name, "web-0");
}

// The label sets of one counter family in the current /metrics text.
std::set<std::string> Series(const Poller& p, const std::string& family) {
  std::set<std::string> out;
  std::istringstream in(p.Current()->Metrics());
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with(family + "{")) out.insert(line.substr(0, line.find('}') + 1));
  }
  return out;
}

// The same across poll cycles, on the rendered text: the example capture, one
// cycle with the CNI's record of a pod missing, then with it back.
class StickyPodsPoller : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::copy(testing::ExampleDir(), dir_.path(), fs::copy_options::recursive);
    full_ = testing::ReadFileOrDie(dir_.path() + "/azure-vnet.json");
  }

  // azure-vnet.json without the endpoint record of `pod`.
  void DropCniRecordOf(const std::string& pod) {
    auto doc = nlohmann::json::parse(full_);
    for (auto& [_, iface] : doc["Network"]["ExternalInterfaces"].items()) {
      for (auto& [_, net] : iface["Networks"].items()) {
        auto& eps = net["Endpoints"];
        for (auto it = eps.begin(); it != eps.end();) {
          const std::string name = it->value("PODName", "");
          it = name == pod ? eps.erase(it) : std::next(it);
        }
      }
    }
    const std::string text = doc.dump();
    ASSERT_EQ(text.find(pod), std::string::npos) << "the record of " << pod << " is still there";
    std::ofstream(dir_.path() + "/azure-vnet.json", std::ios::trunc) << text;
  }
  void RestoreCni() { std::ofstream(dir_.path() + "/azure-vnet.json", std::ios::trunc) << full_; }

  testing::TempDir dir_;
  std::string full_;
};

TEST_F(StickyPodsPoller, AMissingCniRecordDoesNotChangeTheCountersLabels) {
  auto sources = MakeReplaySources(dir_.path());
  ASSERT_TRUE(sources.ok()) << sources.error();
  PollerOptions o;
  o.build = {"0.0.0-test", "abc", "linux"};
  Poller p(std::move(*sources), o);
  p.RunCycle();
  const auto before = Series(p, "winnet_pod_network_receive_bytes_total");
  ASSERT_EQ(before.size(), 7u);
  ASSERT_TRUE(p.Current()->Metrics().find("pod=\"wintcpclient\"") != std::string::npos);

  DropCniRecordOf("wintcpclient");
  p.RunCycle();
  EXPECT_EQ(Series(p, "winnet_pod_network_receive_bytes_total"), before);
  EXPECT_NE(p.Current()->Metrics().find("winnet_hns_unmapped_endpoints 1\n"), std::string::npos)
      << "the example has one endpoint without a pod; the dropped record must not add one";

  RestoreCni();
  p.RunCycle();
  EXPECT_EQ(Series(p, "winnet_pod_network_receive_bytes_total"), before);
}

// The label set of the one series of `family` whose endpoint_id is `id`; ""
// when there is none.
std::string SeriesOf(const Poller& p, const std::string& family, const std::string& id) {
  std::istringstream in(p.Current()->Metrics());
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with(family + "{") &&
        line.find("endpoint_id=\"" + id + "\"") != std::string::npos) {
      return line.substr(0, line.find('}') + 1);
    }
  }
  return "";
}

// One line of a gauge without labels, e.g. "winnet_ipam_pool_leaked_ips …".
std::string LinesOf(const Poller& p, const std::string& family) {
  std::istringstream in(p.Current()->Metrics());
  std::string out;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with(family + "{") || line.starts_with(family + " ")) out += line + "\n";
  }
  return out;
}

Poller ReplayPoller(const std::string& dir) {
  auto sources = MakeReplaySources(dir);
  EXPECT_TRUE(sources.ok()) << sources.error();
  PollerOptions o;
  o.build = {"0.0.0-test", "abc", "linux"};
  return Poller(std::move(*sources), o);
}

constexpr char kRx[] = "winnet_pod_network_receive_bytes_total";
constexpr char kWintcpclientEndpoint[] = "2ccd5f71-12fc-4e59-b1e9-f4fd46b1f9d2";

// A pod being created: the IPAM store already holds its IP and HNS its
// endpoint, but azure-vnet.json is saved later. Its counter starts without
// a pod, gets the pod once the record is there, and keeps it when the record
// is briefly missing again; no other series changes and the IPAM figures
// stay the same.
TEST_F(StickyPodsPoller, IpamSavedBeforeTheEndpointRecordChangesLabelsOnceOnly) {
  DropCniRecordOf("wintcpclient");
  Poller p = ReplayPoller(dir_.path());
  p.RunCycle();
  const std::string unknown = SeriesOf(p, kRx, kWintcpclientEndpoint);
  EXPECT_NE(unknown.find("namespace=\"\",pod=\"\""), std::string::npos) << unknown;
  const auto others = [&] {
    auto all = Series(p, kRx);
    std::erase_if(all, [](const std::string& s) {
      return s.find(kWintcpclientEndpoint) != std::string::npos;
    });
    return all;
  };
  const auto others_before = others();
  const std::string pool_before = LinesOf(p, "winnet_ipam_pool_leaked_ips");
  ASSERT_FALSE(pool_before.empty());

  RestoreCni();
  p.RunCycle();
  const std::string known = SeriesOf(p, kRx, kWintcpclientEndpoint);
  EXPECT_NE(known.find("pod=\"wintcpclient\""), std::string::npos) << known;

  DropCniRecordOf("wintcpclient");
  p.RunCycle();
  EXPECT_EQ(SeriesOf(p, kRx, kWintcpclientEndpoint), known);
  EXPECT_EQ(others(), others_before);
  EXPECT_EQ(LinesOf(p, "winnet_ipam_pool_leaked_ips"), pool_before);
}

// containerd names the pod of HNS endpoint a756b816-eth0 through its sandbox's spec
// (tests/fixtures/containerd-node). A spec caught half-written, first before
// the pod was ever named and then after, changes its labels once only.
TEST(StickyPodsContainerd, AHalfWrittenSpecChangesLabelsOnceOnly) {
  testing::TempDir dir;
  fs::copy(testing::FixtureDir() + "/containerd-node", dir.path(), fs::copy_options::recursive);
  const std::string spec =
      dir.path() +
      "/containerd/a756b816907386b045dbb706c14aa09f5a4e27850dda050b3a0e82eb321e33c6/"
      "config.json";
  const std::string full = testing::ReadFileOrDie(spec);
  const auto write_spec = [&](const std::string& text) {
    std::ofstream(spec, std::ios::trunc | std::ios::binary) << text;
  };
  const std::string half = full.substr(0, full.size() / 2);
  const std::string endpoint = "11111111-aaaa-4bbb-8ccc-000000000001";  // a756b816-eth0

  write_spec(half);
  Poller p = ReplayPoller(dir.path());
  p.RunCycle();
  const auto all_before = Series(p, kRx);
  const std::string unknown = SeriesOf(p, kRx, endpoint);
  ASSERT_NE(unknown, "") << "no counter for " << endpoint;
  EXPECT_NE(unknown.find("pod=\"\""), std::string::npos) << unknown;

  write_spec(full);
  p.RunCycle();
  const std::string known = SeriesOf(p, kRx, endpoint);
  EXPECT_NE(known.find("namespace=\"shop\",pod=\"web-0\""), std::string::npos) << known;

  write_spec(half);
  p.RunCycle();
  EXPECT_EQ(SeriesOf(p, kRx, endpoint), known);
  auto all_after = Series(p, kRx);
  all_after.erase(known);
  auto expected = all_before;
  expected.erase(unknown);
  EXPECT_EQ(all_after, expected) << "only the half-written spec's pod may change, and once";
}

}  // namespace
}  // namespace winnet
