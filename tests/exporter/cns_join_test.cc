// The join in CNS modes: the network mode, CNS pools with and without the
// CNS API, unaccounted IPs in every mode, dual-stack and the pod mapping of
// azure-endpoints.json and CNS PodInfo.
#include <gtest/gtest.h>

#include "collectors/cni/cni_source.h"
#include "collectors/cni_conflist/conflist_source.h"
#include "collectors/cns/cns_endpoints_source.h"
#include "collectors/cns/cns_state_source.h"
#include "collectors/hns/hns_reader.h"
#include "collectors/hns/hns_source.h"
#include "collectors/registry.h"
#include "exporter/join.h"
#include "exporter/render.h"
#include "tests/test_util.h"

namespace winnet {
namespace {

HnsEndpoint Local(const std::string& id, const std::string& name, const std::string& ip,
                  const std::string& ipv6 = "") {
  HnsEndpoint e;
  e.id = e.raw_id = id;
  e.name = name;
  e.ip = ip;
  e.ipv6 = ipv6;
  e.state = 3;
  e.network_name = "azure";
  return e;
}

CniConflist Conflist(const std::string& ipam, const std::string& mode = "") {
  CniConflist c;
  c.present = true;
  c.plugin = "azure-vnet";
  c.ipam = ipam;
  c.ipam_mode = mode;
  return c;
}

// One NC with subnet 10.244.1.0/24 and secondary IPs .2 to .9.
CnsState OneNc() {
  CnsState s;
  s.present = true;
  CnsNetworkContainer nc;
  nc.id = "nc1";
  nc.subnet = "10.244.1.0/24";
  for (int i = 2; i <= 9; ++i) nc.secondary_ips.push_back("10.244.1." + std::to_string(i));
  s.containers.push_back(nc);
  return s;
}

CnsIpConfig Ip(const std::string& ip, const std::string& state, const std::string& pod = "",
               const std::string& interface_id = "") {
  CnsIpConfig c;
  c.id = "id-" + ip;
  c.ip = ip;
  c.state = state;
  c.nc_id = "nc1";
  if (!pod.empty()) {
    c.pod_name = pod;
    c.pod_namespace = "shop";
    c.pod_interface_id = interface_id;
  }
  return c;
}

// .2 .3 Assigned (held by HNS), .4 Assigned (held by nothing: leaked),
// .5 PendingRelease, .6 PendingProgramming, .7 Available but held by an HNS
// endpoint (unaccounted), .8 .9 Available.
CnsIpAddresses ApiAnswer() {
  CnsIpAddresses a;
  a.present = true;
  a.ips = {Ip("10.244.1.2", "Assigned", "web-0", "aaaa0001-eth0"),
           Ip("10.244.1.3", "Assigned", "web-1"),
           Ip("10.244.1.4", "Assigned", "gone-0"),
           Ip("10.244.1.5", "PendingRelease"),
           Ip("10.244.1.6", "PendingProgramming"),
           Ip("10.244.1.7", "Available"),
           Ip("10.244.1.8", "Available"),
           Ip("10.244.1.9", "Available")};
  return a;
}

HnsData ThreeLocalEndpoints() {
  HnsData hns;
  SetHnsEndpoints(
      {Local("e1", "aaaa0001-eth0", "10.244.1.2"), Local("e2", "bbbb0002-eth0", "10.244.1.3"),
       Local("e3", "cccc0003-eth0", "10.244.1.7")},
      &hns);
  return hns;
}

TEST(NetworkMode, FromTheConflistAndTheFilesPresent) {
  auto mode = [](const CniConflist* c, const CniState* cni, const CnsEndpoints* eps) {
    NodeInputs in;
    in.conflist = c;
    in.cni = cni;
    in.cns_endpoints = eps;
    NodeSnapshot s;
    BuildSnapshot(in, &s);
    return s.network_mode;
  };
  CniConflist node_subnet = Conflist("azure-vnet-ipam"), overlay = Conflist("azure-cns", "overlay"),
              swift = Conflist("azure-cns"), other = Conflist("host-local");
  CnsEndpoints eps;
  eps.present = true;
  CniState cni;
  cni.present = true;
  EXPECT_EQ(mode(&node_subnet, nullptr, nullptr), "node_subnet");
  EXPECT_EQ(mode(&overlay, &cni, nullptr), "overlay");
  EXPECT_EQ(mode(&swift, &cni, nullptr), "dynamic_pod_subnet");
  EXPECT_EQ(mode(&swift, nullptr, &eps), "stateless");
  EXPECT_EQ(mode(&swift, &cni, &eps), "dynamic_pod_subnet");  // the CNI keeps endpoints
  EXPECT_EQ(mode(&other, nullptr, nullptr), "");
  EXPECT_EQ(mode(nullptr, &cni, nullptr), "");
}

TEST(NetworkMode, UnusedSourcesAreThoseTheModeDoesNotUseThatHaveNoData) {
  CniConflist overlay = Conflist("azure-cns", "overlay");
  IpamState leftover;
  leftover.present = true;  // an azure-vnet-ipam.json left over: it has data, so it is used
  NodeInputs in;
  in.conflist = &overlay;
  NodeSnapshot s;
  BuildSnapshot(in, &s);
  EXPECT_EQ(s.unused_sources, (std::vector<std::string>{"ipam_state", "cns_endpoints"}));
  in.ipam = &leftover;
  NodeSnapshot with_leftover;
  BuildSnapshot(in, &with_leftover);
  EXPECT_EQ(with_leftover.unused_sources, std::vector<std::string>{"cns_endpoints"});
  CniConflist node_subnet = Conflist("azure-vnet-ipam");
  in.conflist = &node_subnet;
  NodeSnapshot ns;
  BuildSnapshot(in, &ns);
  EXPECT_EQ(ns.unused_sources, (std::vector<std::string>{"cns_state", "cns_api", "cns_endpoints"}));
}

TEST(CnsPools, FromTheApiStatesWithLeakedPendingAndUnaccounted) {
  CnsState state = OneNc();
  CnsIpAddresses api = ApiAnswer();
  HnsData hns = ThreeLocalEndpoints();
  NodeInputs in;
  in.cns_state = &state;
  in.cns_ips = &api;
  in.hns = &hns;
  NodeSnapshot s;
  BuildSnapshot(in, &s);
  ASSERT_EQ(s.pools.size(), 1u);
  const PoolView& p = s.pools[0];
  EXPECT_EQ(p.subnet, "10.244.1.0/24");
  EXPECT_EQ(p.origin, "cns_api");
  EXPECT_EQ(p.address_space, "nc1");
  EXPECT_EQ(p.capacity, 8u);
  EXPECT_EQ(p.allocated, 3u);
  EXPECT_EQ(p.available, 3u);
  EXPECT_EQ(p.pending_release, 1u);
  EXPECT_EQ(p.pending_programming, 1u);
  EXPECT_EQ(p.leaked_ips, std::vector<std::string>{"10.244.1.4"});
  EXPECT_EQ(p.leaked_ids, std::vector<std::string>{"id-10.244.1.4"});
  EXPECT_EQ(p.leaked, 1u);
  EXPECT_EQ(p.unaccounted_ips, std::vector<std::string>{"10.244.1.7"});
  EXPECT_EQ(p.unaccounted, 1u);
}

TEST(CnsPools, AnEndpointRecordAloneHoldsAnAssignedIp) {
  CnsState state = OneNc();
  CnsIpAddresses api = ApiAnswer();
  CnsEndpoints eps;
  eps.present = true;
  CnsEndpointRecord rec;
  rec.container_id = "sandbox";
  rec.pod_name = "gone-0";
  rec.pod_namespace = "shop";
  rec.interfaces.resize(1);
  rec.interfaces[0].if_name = "eth0";
  rec.interfaces[0].ips = {"10.244.1.4"};
  eps.endpoints.push_back(rec);
  NodeInputs in;
  in.cns_state = &state;
  in.cns_ips = &api;
  in.cns_endpoints = &eps;
  NodeSnapshot s;
  BuildSnapshot(in, &s);
  ASSERT_EQ(s.pools.size(), 1u);
  // Without HNS, .2 and .3 are held by nothing known: leaked; .4 is held by its record.
  EXPECT_EQ(s.pools[0].leaked_ips, (std::vector<std::string>{"10.244.1.2", "10.244.1.3"}));
}

TEST(CnsPools, WithoutAnythingToCompareLeakedAndUnaccountedAreUnknown) {
  CnsState state = OneNc();
  CnsIpAddresses api = ApiAnswer();
  NodeInputs in;
  in.cns_state = &state;
  in.cns_ips = &api;
  NodeSnapshot s;
  BuildSnapshot(in, &s);
  ASSERT_EQ(s.pools.size(), 1u);
  EXPECT_FALSE(s.pools[0].leaked.has_value());
  EXPECT_FALSE(s.pools[0].unaccounted.has_value());
  EXPECT_EQ(s.pools[0].pending_release, 1u);
}

TEST(CnsPools, FileOnlyCountsTheHeldIpsAndEmitsNoLeakedNorPending) {
  CnsState state = OneNc();
  HnsData hns = ThreeLocalEndpoints();
  NodeInputs in;
  in.cns_state = &state;
  in.hns = &hns;
  NodeSnapshot s;
  BuildSnapshot(in, &s);
  ASSERT_EQ(s.pools.size(), 1u);
  const PoolView& p = s.pools[0];
  EXPECT_EQ(p.origin, "cns_state");
  EXPECT_EQ(p.capacity, 8u);
  EXPECT_EQ(p.allocated, 3u);  // .2 .3 .7 are held by HNS endpoints
  EXPECT_EQ(p.available, 5u);
  EXPECT_FALSE(p.leaked.has_value());
  EXPECT_FALSE(p.pending_release.has_value());
  EXPECT_FALSE(p.pending_programming.has_value());
  EXPECT_FALSE(p.unaccounted.has_value());
  auto families = DataFamilies(s);
  for (const auto& f : families) {
    EXPECT_NE(f.name, "winnet_ipam_pool_leaked_ips");
    EXPECT_NE(f.name, "winnet_ipam_pool_pending_release_ips");
    EXPECT_NE(f.name, "winnet_ipam_pool_unaccounted_ips");
  }
}

TEST(CnsPools, DualStackPoolsPerFamilyComparedInCanonicalForm) {
  CnsState state = OneNc();
  state.containers[0].subnet_v6 = "fd00:10:244:1::/64";
  state.containers[0].secondary_ips.push_back("fd00:10:244:1::2");
  state.containers[0].secondary_ips.push_back("fd00:10:244:1::3");
  CnsIpAddresses api = ApiAnswer();
  api.ips.push_back(Ip("fd00:10:244:1::2", "Assigned"));
  api.ips.push_back(Ip("FD00:10:244:1:0:0:0:3", "Available"));
  HnsData hns = ThreeLocalEndpoints();
  // HNS writes the IPv6 address long and in upper case.
  hns.endpoints[0].ipv6 = "FD00:10:244:1:0:0:0:2";
  hns.endpoints[1].ipv6 = "fd00:10:244:1:0::3";
  NodeInputs in;
  in.cns_state = &state;
  in.cns_ips = &api;
  in.hns = &hns;
  NodeSnapshot s;
  BuildSnapshot(in, &s);
  ASSERT_EQ(s.pools.size(), 2u);
  EXPECT_EQ(s.pools[1].subnet, "fd00:10:244:1::/64");
  EXPECT_EQ(s.pools[1].capacity, 2u);
  EXPECT_EQ(s.pools[1].allocated, 1u);
  EXPECT_EQ(s.pools[1].leaked, 0u);
  EXPECT_EQ(s.pools[1].unaccounted_ips, std::vector<std::string>{"fd00:10:244:1::3"});
  EXPECT_EQ(s.pools[0].capacity, 8u);  // the IPv4 pool is unchanged
  EXPECT_EQ(s.endpoints[0].ips, (std::vector<std::string>{"10.244.1.2", "fd00:10:244:1::2"}));
  EXPECT_EQ(s.endpoints[0].ip, "10.244.1.2");
}

TEST(Unaccounted, NodeSubnetIpsHeldWhileIpamSaysFree) {
  IpamState ipam;
  ipam.present = true;
  IpamPool pool;
  pool.cidr = "10.240.0.0/16";
  pool.capacity = 4;
  pool.in_use = {{"10.240.0.5", "s1"}};
  ipam.pools.push_back(pool);
  HnsData hns;
  SetHnsEndpoints({Local("e1", "a-eth0", "10.240.0.5"), Local("e2", "b-eth0", "10.240.0.6"),
                   Local("e3", "c-eth0", "10.1.0.9")},
                  &hns);  // outside the pool
  NodeInputs in;
  in.ipam = &ipam;
  in.hns = &hns;
  NodeSnapshot s;
  BuildSnapshot(in, &s);
  ASSERT_EQ(s.pools.size(), 1u);
  EXPECT_EQ(s.pools[0].unaccounted_ips, std::vector<std::string>{"10.240.0.6"});
  EXPECT_EQ(s.pools[0].unaccounted, 1u);
}

TEST(CnsPods, EndpointRecordsNameStatelessEndpointsAndPodInfoTheRest) {
  HnsData hns = ThreeLocalEndpoints();
  CnsEndpoints eps;
  eps.present = true;
  CnsEndpointRecord rec;
  rec.container_id = "sandbox-b";
  rec.pod_name = "web-1";
  rec.pod_namespace = "shop";
  rec.interfaces.resize(1);
  rec.interfaces[0].if_name = "eth0";
  rec.interfaces[0].ips = {"10.244.1.3"};
  rec.interfaces[0].hns_endpoint_id = "e2";
  eps.endpoints.push_back(rec);
  CnsIpAddresses api = ApiAnswer();
  NodeInputs in;
  in.hns = &hns;
  in.cns_endpoints = &eps;
  in.cns_ips = &api;
  NodeSnapshot s;
  BuildSnapshot(in, &s);
  // e1: only CNS PodInfo names it (by PodInterfaceID = the endpoint's name).
  EXPECT_EQ(s.endpoints[0].pod.name, "web-0");
  EXPECT_EQ(s.endpoints[0].pod_source, "cns_api");
  EXPECT_TRUE(s.endpoints[0].orphaned);  // no endpoint record describes it
  // e2: its azure-endpoints.json record, by HnsEndpointID.
  EXPECT_EQ(s.endpoints[1].pod.name, "web-1");
  EXPECT_EQ(s.endpoints[1].pod_source, "cns_endpoints");
  EXPECT_EQ(s.endpoints[1].matched_by, "cns_hns_id");
  EXPECT_EQ(s.endpoints[1].cni_endpoint_id, "sandbox-b");
  EXPECT_FALSE(s.endpoints[1].orphaned);
  // e3 holds an Available IP: no pod from anywhere.
  EXPECT_FALSE(s.endpoints[2].pod.known());
  EXPECT_EQ(s.unmapped_endpoints, 1u);
}

TEST(CnsRender, InfoPendingAndUnaccountedSeries) {
  CniConflist overlay = Conflist("azure-cns", "overlay");
  CnsState state = OneNc();
  CnsIpAddresses api = ApiAnswer();
  HnsData hns = ThreeLocalEndpoints();
  NodeInputs in;
  in.conflist = &overlay;
  in.cns_state = &state;
  in.cns_ips = &api;
  in.hns = &hns;
  NodeSnapshot s;
  BuildSnapshot(in, &s);
  std::string text;
  for (const auto& [name, body] : RenderFamilies(DataFamilies(s))) text += body;
  EXPECT_NE(
      text.find("winnet_cni_info{plugin=\"azure-vnet\",ipam=\"azure-cns\",mode=\"overlay\"} 1"),
      std::string::npos)
      << text;
  for (const char* line : {"winnet_ipam_pool_pending_release_ips{subnet=\"10.244.1.0/24\"} 1",
                           "winnet_ipam_pool_pending_programming_ips{subnet=\"10.244.1.0/24\"} 1",
                           "winnet_ipam_pool_unaccounted_ips{subnet=\"10.244.1.0/24\"} 1",
                           "winnet_ipam_pool_leaked_ips{subnet=\"10.244.1.0/24\"} 1",
                           "winnet_ipam_pool_capacity_ips{subnet=\"10.244.1.0/24\"} 8"}) {
    EXPECT_NE(text.find(line), std::string::npos) << line;
  }
}

TEST(CnsRender, SourcesNotUsedInTheModeHaveNoSeries) {
  std::vector<SourceView> views(2);
  views[0].name = "cns_state";
  views[0].attempted = views[0].ok = true;
  views[0].unused_in_mode = true;
  views[1].name = "cni_conflist";
  views[1].attempted = views[1].ok = true;
  std::string text;
  for (const auto& [name, body] : RenderFamilies(SourceFamilies(views, {}))) text += body;
  EXPECT_EQ(text.find("source=\"cns_state\""), std::string::npos) << text;
  EXPECT_NE(text.find("winnet_exporter_source_success{source=\"cni_conflist\"} 1"),
            std::string::npos);
}

// The fixtures: each replayed through the registered file sources.
struct Replayed {
  std::shared_ptr<const CniConflist> conflist;
  std::shared_ptr<const CniState> cni;
  std::shared_ptr<const CnsState> cns;
  std::shared_ptr<const CnsEndpoints> endpoints;
  HnsData hns;
  NodeInputs Inputs() const {
    NodeInputs in;
    in.conflist = conflist.get();
    in.cni = cni.get();
    in.cns_state = cns.get();
    in.cns_endpoints = endpoints.get();
    in.hns = &hns;
    return in;
  }
};

Replayed Replay(const std::string& dir) {
  Replayed r;
  auto src = MakeReplaySources(dir);
  EXPECT_TRUE(src.ok()) << src.error();
  auto conflist = ReadOnce(*src, kCniConflistSource);
  auto cni = ReadOnce(*src, kNetworkStateSource);
  auto cns = ReadOnce(*src, kCnsStateSource);
  auto eps = ReadOnce(*src, kCnsEndpointsSource);
  auto hns = ReadHnsOnce(src->Share(kHnsSource));
  EXPECT_TRUE(conflist.ok() && cni.ok() && cns.ok() && eps.ok() && hns.ok());
  if (!(conflist.ok() && cni.ok() && cns.ok() && eps.ok() && hns.ok())) return r;
  r.conflist = *conflist;
  r.cni = *cni;
  r.cns = *cns;
  r.endpoints = *eps;
  r.hns = std::move(*hns);
  return r;
}

TEST(CnsFixtures, StatelessNodeIsNamedByAzureEndpointsAndCounted) {
  Replayed r = Replay(testing::FixtureDir() + "/cns-stateless");
  NodeSnapshot s;
  BuildSnapshot(r.Inputs(), &s);
  EXPECT_EQ(s.network_mode, "stateless");
  EXPECT_EQ(s.unused_sources, (std::vector<std::string>{"ipam_state", "network_state"}));
  std::map<std::string, std::string> pods;
  for (const auto& e : s.endpoints) {
    if (e.pod.known()) {
      pods[e.ip] = e.pod.ns + "/" + e.pod.name;
      EXPECT_EQ(e.pod_source, "cns_endpoints") << e.ip;
    }
  }
  EXPECT_EQ(pods, (std::map<std::string, std::string>{
                      {"10.244.5.4", "shop/cart-0"},
                      {"10.244.5.5", "shop/cart-1"},
                      {"10.244.5.6", "kube-system/kube-proxy-win-abcde"}}));
  EXPECT_EQ(*s.orphaned_endpoints, 1u);
  EXPECT_EQ(s.unmapped_endpoints, 1u);
  ASSERT_EQ(s.pools.size(), 1u);
  EXPECT_EQ(s.pools[0].subnet, "10.244.5.0/24");
  EXPECT_EQ(s.pools[0].capacity, 16u);
  EXPECT_EQ(s.pools[0].allocated, 4u);  // three pods and the orphaned endpoint
  EXPECT_EQ(s.pools[0].available, 12u);
}

TEST(CnsFixtures, DualStackNodeCountsEveryAddress) {
  Replayed r = Replay(testing::FixtureDir() + "/cns-dualstack");
  NodeSnapshot s;
  BuildSnapshot(r.Inputs(), &s);
  EXPECT_EQ(s.network_mode, "overlay");
  ASSERT_EQ(s.pools.size(), 2u);
  EXPECT_EQ(s.pools[0].subnet, "10.244.7.0/24");
  EXPECT_EQ(s.pools[0].capacity, 8u);
  EXPECT_EQ(s.pools[0].allocated, 2u);
  EXPECT_EQ(s.pools[1].subnet, "fd00:10:244:7::/64");
  EXPECT_EQ(s.pools[1].capacity, 8u);
  EXPECT_EQ(s.pools[1].allocated, 3u);  // two pods and the IPv6-only orphaned endpoint
  int named = 0;
  for (const auto& e : s.endpoints) {
    if (!e.pod.known()) continue;
    ++named;
    EXPECT_EQ(e.ips.size(), 2u) << e.name;
    EXPECT_EQ(e.pod_source, "network_state");
  }
  EXPECT_EQ(named, 2);
  // With the API: the IPv6 address of the orphaned endpoint is Available.
  CnsIpAddresses api;
  api.present = true;
  for (const auto& ip : r.cns->containers[0].secondary_ips) {
    CnsIpConfig c;
    c.ip = ip;
    c.nc_id = r.cns->containers[0].id;
    const bool pod_ip = ip == "10.244.7.2" || ip == "10.244.7.3" || ip == "fd00:10:244:7::2" ||
                        ip == "fd00:10:244:7::3";
    c.state = pod_ip ? "Assigned" : "Available";
    api.ips.push_back(c);
  }
  NodeInputs in = r.Inputs();
  in.cns_ips = &api;
  NodeSnapshot with_api;
  BuildSnapshot(in, &with_api);
  ASSERT_EQ(with_api.pools.size(), 2u);
  EXPECT_EQ(with_api.pools[1].allocated, 2u);
  EXPECT_EQ(with_api.pools[1].leaked, 0u);
  EXPECT_EQ(with_api.pools[1].unaccounted_ips, std::vector<std::string>{"fd00:10:244:7::9"});
  EXPECT_EQ(with_api.pools[0].unaccounted, 0u);
}

}  // namespace
}  // namespace winnet
