#include "exporter/hns_consistency.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "collectors/registry.h"
#include "exporter/node_view.h"
#include "exporter/poller.h"
#include "exporter/render.h"
#include "exporter/stale_remote.h"
#include "tests/test_util.h"

namespace winnet {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

HnsEndpoint Endpoint(const std::string& id, const std::string& ip, bool remote,
                     const std::string& ipv6 = "") {
  HnsEndpoint e;
  e.id = id;
  e.raw_id = id;
  e.ip = ip;
  e.ipv6 = ipv6;
  e.remote = remote;
  return e;
}

HnsPolicyList LoadBalancer(const std::string& id, std::vector<std::string> references) {
  HnsPolicyList p;
  p.id = id;
  p.load_balancer = true;
  p.references = std::move(references);
  return p;
}

HnsPolicyList DnsLoadBalancer(const std::string& id, const std::string& vip, int64_t protocol,
                              std::vector<std::string> references) {
  HnsPolicyList p = LoadBalancer(id, std::move(references));
  p.vips = {vip};
  p.protocol = protocol;
  p.internal_port = 53;
  p.external_port = 53;
  return p;
}

TEST(HnsConsistency, DanglingReferencesAndLoadBalancersWithoutEndpoints) {
  HnsData hns;
  SetHnsEndpoints({Endpoint("aaaa", "10.0.0.1", false), Endpoint("bbbb", "10.0.0.2", true)}, &hns);
  hns.policy_lists = {LoadBalancer("lb1", {"/endpoints/aaaa", "/endpoints/dead"}),
                      LoadBalancer("lb2", {"/endpoints/gone1", "/endpoints/gone2"}),
                      LoadBalancer("lb3", {}), LoadBalancer("lb4", {"/endpoints/bbbb"})};
  HnsPolicyList not_lb = LoadBalancer("route", {"/endpoints/nothere"});
  not_lb.load_balancer = false;
  hns.policy_lists->push_back(not_lb);
  auto c = CheckHnsConsistency(hns, {});
  EXPECT_TRUE(c.load_balancers_known);
  ASSERT_EQ(c.missing_endpoint_refs.size(), 3u);
  EXPECT_EQ(c.missing_endpoint_refs[0].load_balancer_id, "lb1");
  EXPECT_EQ(c.missing_endpoint_refs[0].endpoint_id, "dead");
  EXPECT_EQ(c.missing_endpoint_refs[2].endpoint_id, "gone2");
  EXPECT_THAT(c.load_balancers_without_endpoints, ElementsAre("lb2", "lb3"));
  EXPECT_THAT(c.unreferenced_remote_endpoints, IsEmpty());
}

// References are normalised by the parser (braces, case); the check compares
// them with the ids as parsed.
TEST(HnsConsistency, ReferencesMatchEndpointIdsInAnyCaseAndWithBraces) {
  auto eps = ParseHnsEndpoints(R"({"Success":true,"Output":[
      {"ID":"8F109901-9970-4FDA-BB2B-E9882FB3E8FB","IsRemoteEndpoint":true,"IPAddress":"10.1.0.4"},
      {"ID":"c0ffee01-0000-4000-8000-00000000c0de","IPAddress":"10.1.0.5"}]})",
                               "e");
  ASSERT_TRUE(eps.ok()) << eps.error();
  auto lists = ParseHnsPolicyLists(
      R"({"Success":true,"Output":[{"ID":"{F02E6666-5000-4E87-8E45-ED9D231BE2B5}",
      "Policies":[{"Type":"ELB","VIPs":["10.0.0.10"],"Protocol":17,"InternalPort":53,"ExternalPort":53}],
      "References":["/endpoints/8f109901-9970-4fda-bb2b-e9882fb3e8fb",
                    "/endpoints/{C0FFEE01-0000-4000-8000-00000000C0DE}"]}]})",
      "p");
  ASSERT_TRUE(lists.ok()) << lists.error();
  HnsData hns;
  SetHnsEndpoints(*eps, &hns);
  hns.policy_lists = *lists;
  auto c = CheckHnsConsistency(hns, {"10.0.0.10"});
  EXPECT_THAT(c.missing_endpoint_refs, IsEmpty());
  EXPECT_THAT(c.load_balancers_without_endpoints, IsEmpty());
  EXPECT_THAT(c.unreferenced_remote_endpoints, IsEmpty());
  ASSERT_EQ(c.dns_load_balancers.size(), 2u);
  EXPECT_EQ(c.dns_load_balancers[1].protocol, "udp");
  EXPECT_THAT(c.dns_load_balancers[1].load_balancer_ids,
              ElementsAre("f02e6666-5000-4e87-8e45-ed9d231be2b5"));
}

TEST(HnsConsistency, UnreferencedRemoteEndpoints) {
  HnsData hns;
  SetHnsEndpoints({Endpoint("r2", "10.0.1.2", true), Endpoint("r1", "10.0.1.1", true),
                   Endpoint("local", "10.0.0.9", false), Endpoint("used", "10.0.1.3", true)},
                  &hns);
  hns.policy_lists = {LoadBalancer("lb", {"/endpoints/used"})};
  auto c = CheckHnsConsistency(hns, {});
  EXPECT_THAT(c.unreferenced_remote_endpoints, ElementsAre("r1", "r2"));
}

TEST(HnsConsistency, WithoutPolicyListsOnlyIpConflictsAreChecked) {
  HnsData hns;
  SetHnsEndpoints({Endpoint("r1", "10.0.1.1", true), Endpoint("r2", "10.0.1.1", true)}, &hns);
  auto c = CheckHnsConsistency(hns, {"10.0.0.10"});
  EXPECT_FALSE(c.load_balancers_known);
  EXPECT_THAT(c.unreferenced_remote_endpoints, IsEmpty());
  EXPECT_THAT(c.dns_load_balancers, IsEmpty());
  ASSERT_EQ(c.ip_conflicts.size(), 1u);
  EXPECT_EQ(c.ip_conflicts[0].kind, "remote_remote");
}

TEST(HnsConsistency, DnsLoadBalancersPerVipAndProtocol) {
  HnsData hns;
  SetHnsEndpoints({Endpoint("coredns", "10.0.2.2", true)}, &hns);
  HnsPolicyList other_port = DnsLoadBalancer("web", "10.0.0.10", 6, {"/endpoints/coredns"});
  other_port.external_port = 80;
  hns.policy_lists = {DnsLoadBalancer("tcp1", "10.0.0.10", 6, {"/endpoints/coredns"}),
                      DnsLoadBalancer("tcp2", "10.0.0.010", 6, {"/endpoints/coredns"}),
                      DnsLoadBalancer("udp-other-vip", "10.0.0.11", 17, {"/endpoints/coredns"}),
                      other_port};
  // Duplicates, another spelling and the Azure platform DNS are skipped.
  auto c = CheckHnsConsistency(hns, {"10.0.0.10", "168.63.129.16", "10.0.0.10", "010.0.0.10"});
  ASSERT_EQ(c.dns_load_balancers.size(), 2u);
  EXPECT_EQ(c.dns_load_balancers[0].vip, "10.0.0.10");
  EXPECT_EQ(c.dns_load_balancers[0].protocol, "tcp");
  EXPECT_THAT(c.dns_load_balancers[0].load_balancer_ids, ElementsAre("tcp1", "tcp2"));
  EXPECT_EQ(c.dns_load_balancers[1].protocol, "udp");
  EXPECT_THAT(c.dns_load_balancers[1].load_balancer_ids, IsEmpty());
}

TEST(HnsConsistency, IpConflictsByKindInCanonicalForm) {
  HnsData hns;
  SetHnsEndpoints(
      {Endpoint("l1", "10.0.0.5", false), Endpoint("r1", "10.0.0.5", true),
       Endpoint("r2", "10.0.1.7", true), Endpoint("r3", "10.0.1.7", true),
       Endpoint("l2", "10.0.0.6", false), Endpoint("l3", "10.0.0.6", false),
       Endpoint("l4", "10.0.0.8", false), Endpoint("r4", "10.0.0.9", true),
       Endpoint("v6a", "", false, "FD00:0:0::1"), Endpoint("v6b", "", true, "fd00::0001")},
      &hns);
  auto c = CheckHnsConsistency(hns, {});
  ASSERT_EQ(c.ip_conflicts.size(), 4u);
  EXPECT_EQ(c.ip_conflicts[0].ip, "10.0.0.5");
  EXPECT_EQ(c.ip_conflicts[0].kind, "local_remote");
  EXPECT_THAT(c.ip_conflicts[0].endpoint_ids, ElementsAre("l1", "r1"));
  EXPECT_EQ(c.ip_conflicts[1].kind, "local_local");
  EXPECT_EQ(c.ip_conflicts[2].kind, "remote_remote");
  EXPECT_EQ(c.ip_conflicts[3].ip, "fd00::1");
  EXPECT_EQ(c.ip_conflicts[3].kind, "local_remote");
}

TEST(StaleRemoteEndpoints, CountsOnlyAfterTheGraceCycles) {
  StaleRemoteEndpoints stale(3);
  EXPECT_THAT(stale.Observe({"a", "b"}), IsEmpty());
  EXPECT_THAT(stale.Observe({"b", "a"}), IsEmpty());
  EXPECT_THAT(stale.Observe({"a", "b", "c"}), ElementsAre("a", "b"));
  // b referenced again: forgotten, its grace starts over.
  EXPECT_THAT(stale.Observe({"a", "c"}), ElementsAre("a"));
  EXPECT_THAT(stale.Observe({"a", "b", "c"}), ElementsAre("a", "c"));
  EXPECT_THAT(stale.Observe({}), IsEmpty());
  EXPECT_THAT(stale.Observe({"a"}), IsEmpty());
}

// The same list again (the poller's cycles without new data) counts as
// another cycle, whether passed again or not.
TEST(StaleRemoteEndpoints, SameListAgainCountsCycles) {
  StaleRemoteEndpoints stale(3);
  EXPECT_THAT(stale.ObserveSameList(), IsEmpty());  // nothing observed yet
  EXPECT_THAT(stale.Observe({"a"}), IsEmpty());
  EXPECT_THAT(stale.Observe({"a", "b"}), IsEmpty());
  EXPECT_THAT(stale.ObserveSameList(), ElementsAre("a"));
  EXPECT_THAT(stale.Observe({"a", "b"}), ElementsAre("a", "b"));
  EXPECT_THAT(stale.ObserveSameList(), ElementsAre("a", "b"));
  EXPECT_THAT(stale.Observe({"b"}), ElementsAre("b"));
  EXPECT_THAT(stale.Observe({"c", "b"}), ElementsAre("b"));
  EXPECT_THAT(stale.ObserveSameList(), ElementsAre("b"));
  EXPECT_THAT(stale.ObserveSameList(), ElementsAre("b", "c"));
}

// changes() moves exactly when the returned list differs from the one before.
TEST(StaleRemoteEndpoints, ChangesCountOnlyADifferentList) {
  StaleRemoteEndpoints stale(2);
  stale.Observe({"a"});
  EXPECT_EQ(stale.changes(), 0u);  // still empty
  stale.ObserveSameList();
  EXPECT_EQ(stale.changes(), 1u);  // a turned stale
  stale.ObserveSameList();
  stale.Observe({"a"});
  EXPECT_EQ(stale.changes(), 1u);  // the same list, passed again or not
  stale.Observe({"b"});
  EXPECT_EQ(stale.changes(), 2u);  // a forgotten, b not yet stale
  stale.Observe({"b"});
  EXPECT_EQ(stale.changes(), 3u);
}

// A list that did not change is handed out again, not copied: the snapshots
// of counter-only cycles share it.
TEST(StaleRemoteEndpoints, AnUnchangedListIsSharedNotCopied) {
  StaleRemoteEndpoints stale(1);
  const SharedVector<std::string> given{"a", "b"};
  const SharedVector<std::string> first = stale.Observe(given);
  EXPECT_TRUE(first.SharesWith(given));  // every id stale: the list given, not a copy
  EXPECT_TRUE(stale.ObserveSameList().SharesWith(first));
  EXPECT_TRUE(stale.Observe(given).SharesWith(first));
  // The same ids in another copy (a new inventory with the same unreferenced
  // endpoints): the new copy is held, the older one let go; not a change.
  const SharedVector<std::string> again{"b", "a"};
  const SharedVector<std::string> second = stale.Observe(again);
  EXPECT_THAT(second, ElementsAre("a", "b"));
  EXPECT_FALSE(second.SharesWith(first));
  EXPECT_EQ(stale.changes(), 1u);
  const SharedVector<std::string> sorted_again{"a", "b"};
  EXPECT_TRUE(stale.Observe(sorted_again).SharesWith(sorted_again));
  EXPECT_EQ(stale.changes(), 1u);
  EXPECT_FALSE(stale.Observe({"a"}).SharesWith(sorted_again));
  EXPECT_EQ(stale.changes(), 2u);
}

TEST(StaleRemoteEndpoints, AListWithSomeNotYetStaleIsItsOwnList) {
  StaleRemoteEndpoints stale(2);
  stale.Observe({"a"});
  const SharedVector<std::string> given{"a", "b", "b"};
  const SharedVector<std::string> now = stale.Observe(given);
  EXPECT_THAT(now, ElementsAre("a"));
  EXPECT_THAT(stale.ObserveSameList(), ElementsAre("a", "b"));  // b listed twice, counted once
  EXPECT_FALSE(stale.ObserveSameList().SharesWith(given));
}

TEST(StaleRemoteEndpoints, OneCycleCountsAtFirstSight) {
  StaleRemoteEndpoints stale(1);
  EXPECT_THAT(stale.Observe({"a", "a"}), ElementsAre("a"));
  StaleRemoteEndpoints zero(0);  // read as 1
  EXPECT_THAT(zero.Observe({"a"}), ElementsAre("a"));
}

std::string FixtureCapture() { return testing::FixtureDir() + "/hns-consistency"; }

Poller ReplayPoller(const std::string& dir, uint64_t stale_cycles) {
  auto src = MakeReplaySources(dir);
  EXPECT_TRUE(src.ok());
  PollerOptions o;
  o.stale_remote_cycles = stale_cycles;
  return Poller(std::move(src).value(), o);
}

// tests/fixtures/hns-consistency: one of each inconsistency (its README).
TEST(HnsConsistencyFixture, FindsEveryPlantedInconsistency) {
  Poller p = ReplayPoller(FixtureCapture(), 1);
  p.RunCycle();
  const NodeSnapshot s = p.LastSnapshot();
  const HnsConsistency& c = s.hns_checks;
  ASSERT_TRUE(c.load_balancers_known);
  ASSERT_EQ(c.missing_endpoint_refs.size(), 2u);
  EXPECT_EQ(c.missing_endpoint_refs[0].load_balancer_id, "a0bce7e2-f49c-4f9c-a66e-86ffd345232e");
  EXPECT_EQ(c.missing_endpoint_refs[0].endpoint_id, "dead0001-7c1e-4b55-a0e1-5f1e2d3c4b5a");
  EXPECT_THAT(c.load_balancers_without_endpoints,
              ElementsAre("b0b0c0de-3a4b-4c5d-8e6f-7a8b9c0d1e2f"));
  EXPECT_THAT(c.stale_remote_endpoints, ElementsAre("a35ffc5b-8ba0-40f1-8dfe-d74b768c6714",
                                                    "d15c0a11-5e7a-4e10-9c1a-0000000000a1"));
  ASSERT_EQ(c.dns_load_balancers.size(), 2u);
  EXPECT_EQ(c.dns_load_balancers[0].vip, "10.0.0.10");
  EXPECT_EQ(c.dns_load_balancers[0].load_balancer_ids.size(), 1u);
  EXPECT_EQ(c.dns_load_balancers[1].protocol, "udp");
  EXPECT_THAT(c.dns_load_balancers[1].load_balancer_ids, IsEmpty());
  std::vector<std::string> kinds;
  for (const auto& ic : c.ip_conflicts) kinds.push_back(ic.ip + " " + ic.kind);
  EXPECT_THAT(kinds, ElementsAre("10.240.0.41 remote_remote", "10.240.0.67 local_remote",
                                 "10.240.0.88 local_local"));
}

TEST(HnsConsistencyFixture, EachFindingIsAProblemWithItsIds) {
  Poller p = ReplayPoller(FixtureCapture(), 1);
  p.RunCycle();
  const NodeSnapshot s = p.LastSnapshot();
  std::string text = RenderInspect(s, s.sources, s.generated_unix);
  EXPECT_THAT(text,
              HasSubstr("dangling load balancer reference: a0bce7e2-f49c-4f9c-a66e-86ffd345232e: "
                        "references endpoint dead0001-7c1e-4b55-a0e1-5f1e2d3c4b5a"));
  EXPECT_THAT(text,
              HasSubstr("load balancer without endpoints: b0b0c0de-3a4b-4c5d-8e6f-7a8b9c0d1e2f"));
  EXPECT_THAT(text, HasSubstr("stale remote endpoint: d15c0a11-5e7a-4e10-9c1a-0000000000a1"));
  EXPECT_THAT(text, HasSubstr("no DNS load balancer: 10.0.0.10 udp/53"));
  EXPECT_THAT(text, HasSubstr("duplicate IP: 10.240.0.67: local_remote: held by 2 HNS endpoints: "
                              "baa2919c-0ded-47bb-bec0-c9226ed91f2e (local) "
                              "d15c0a11-5e7a-4e10-9c1a-0000000000a1 (remote)"));
  EXPECT_THAT(text, HasSubstr("duplicate IP: 10.240.0.88: local_local"));
  std::string page = p.Current()->NodePage("/metrics");
  EXPECT_THAT(page, HasSubstr("b0b0c0de-3a4b-4c5d-8e6f-7a8b9c0d1e2f"));
  const auto checks = nlohmann::json::parse(p.Current()->SnapshotJson()).at("hns").at("checks");
  EXPECT_EQ(checks.at("load_balancers_without_endpoints"),
            nlohmann::json::array({"b0b0c0de-3a4b-4c5d-8e6f-7a8b9c0d1e2f"}));
  ASSERT_EQ(checks.at("missing_endpoint_refs").size(), 2u);
  EXPECT_EQ(checks.at("missing_endpoint_refs").at(0).at("endpoint"),
            "dead0001-7c1e-4b55-a0e1-5f1e2d3c4b5a");
  EXPECT_EQ(checks.at("stale_remote_endpoints").size(), 2u);
  ASSERT_EQ(checks.at("dns_load_balancers").size(), 2u);
  EXPECT_EQ(checks.at("dns_load_balancers").at(1).at("load_balancers"), nlohmann::json::array());
  ASSERT_EQ(checks.at("ip_conflicts").size(), 3u);
  EXPECT_EQ(checks.at("ip_conflicts").at(1).at("kind"), "local_remote");
}

// The poller keeps counting cycles while no source brings new data: a
// remote endpoint becomes stale on the cycle its grace ends.
TEST(HnsConsistencyFixture, StaleAfterTheGraceCyclesWithoutNewData) {
  Poller p = ReplayPoller(FixtureCapture(), 3);
  auto stale_series = [&p] {
    const std::string& m = p.Current()->Metrics();
    const size_t at = m.find("\nwinnet_hns_stale_remote_endpoints ");
    return at == std::string::npos ? std::string("absent")
                                   : m.substr(at + 1, m.find('\n', at + 1) - at - 1);
  };
  p.RunCycle();
  EXPECT_EQ(stale_series(), "winnet_hns_stale_remote_endpoints 0");
  p.RunCycle();
  EXPECT_EQ(stale_series(), "winnet_hns_stale_remote_endpoints 0");
  p.RunCycle();
  EXPECT_EQ(stale_series(), "winnet_hns_stale_remote_endpoints 2");
  EXPECT_EQ(p.LastSnapshot().hns_checks.stale_remote_endpoints.size(), 2u);
}

TEST(HnsConsistencyFixture, RendersEverySeries) {
  Poller p = ReplayPoller(FixtureCapture(), 1);
  p.RunCycle();
  const std::string& m = p.Current()->Metrics();
  EXPECT_THAT(m, HasSubstr("\nwinnet_hns_load_balancer_missing_endpoint_refs 2\n"));
  EXPECT_THAT(m, HasSubstr("\nwinnet_hns_load_balancers_without_endpoints 1\n"));
  EXPECT_THAT(m, HasSubstr("\nwinnet_hns_stale_remote_endpoints 2\n"));
  EXPECT_THAT(m,
              HasSubstr("\nwinnet_hns_dns_load_balancers{vip=\"10.0.0.10\",protocol=\"tcp\"} 1\n"));
  EXPECT_THAT(m,
              HasSubstr("\nwinnet_hns_dns_load_balancers{vip=\"10.0.0.10\",protocol=\"udp\"} 0\n"));
  EXPECT_THAT(m, HasSubstr("\nwinnet_hns_ip_conflicts{kind=\"local_local\"} 1\n"));
  EXPECT_THAT(m, HasSubstr("\nwinnet_hns_ip_conflicts{kind=\"local_remote\"} 1\n"));
  EXPECT_THAT(m, HasSubstr("\nwinnet_hns_ip_conflicts{kind=\"remote_remote\"} 1\n"));
}

}  // namespace
}  // namespace winnet
