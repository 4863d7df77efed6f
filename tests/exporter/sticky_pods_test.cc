// Labels over time: a counter keeps the pod labels it got for the life of its
// endpoint or adapter, whatever a briefly incomplete join says.
#include "exporter/sticky_pods.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

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

  // The label sets of one counter family in the current /metrics text.
  static std::set<std::string> Series(const Poller& p, const std::string& family) {
    std::set<std::string> out;
    std::istringstream in(p.Current()->metrics);
    for (std::string line; std::getline(in, line);) {
      if (line.starts_with(family + "{")) out.insert(line.substr(0, line.find('}') + 1));
    }
    return out;
  }

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
  ASSERT_TRUE(p.Current()->metrics.find("pod=\"wintcpclient\"") != std::string::npos);

  DropCniRecordOf("wintcpclient");
  p.RunCycle();
  EXPECT_EQ(Series(p, "winnet_pod_network_receive_bytes_total"), before);
  EXPECT_NE(p.Current()->metrics.find("winnet_hns_unmapped_endpoints 1\n"), std::string::npos)
      << "the example has one endpoint without a pod; the dropped record must not add one";

  RestoreCni();
  p.RunCycle();
  EXPECT_EQ(Series(p, "winnet_pod_network_receive_bytes_total"), before);
}

}  // namespace
}  // namespace winnet
