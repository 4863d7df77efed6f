#include "exporter/join.h"

#include <gtest/gtest.h>

#include <optional>

#include "collectors/adapters/adapter_source.h"
#include "collectors/cni/cni_source.h"
#include "collectors/hns/hns_reader.h"
#include "collectors/hns/hns_source.h"
#include "collectors/ipam/ipam_source.h"
#include "collectors/registry.h"
#include "tests/test_util.h"

namespace winnet {
namespace {

HnsEndpoint Hns(const std::string& id, const std::string& name, const std::string& ip,
                bool remote = false) {
  HnsEndpoint e;
  e.raw_id = id;
  e.id = id;
  for (char& c : e.id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  e.name = name;
  e.ip = ip;
  e.remote = remote;
  e.state = remote ? 1 : 3;
  e.network_name = "azure";
  return e;
}

CniEndpoint Cni(const std::string& id, const std::string& hns_id, const std::string& ip,
                const std::string& ns = "default", const std::string& pod = "") {
  CniEndpoint c;
  c.id = id;
  c.hns_id = hns_id;
  c.ips = {ip};
  c.pod_namespace = ns;
  c.pod_name = pod.empty() ? id + "-pod" : pod;
  return c;
}

// The view of endpoint `id`, local or remote.
EndpointView Ep(const NodeSnapshot& s, const std::string& id) {
  std::optional<EndpointView> found;
  ForEachEndpointView(s, [&](const EndpointView& e) {
    if (e.id == id) found = e;
  });
  if (!found) ADD_FAILURE() << "no endpoint " << id;
  return found.value_or(EndpointView{});
}

// The join makes views of the local endpoints only, and records their places
// for the counter loops (UpdateCounters, ComputeRates, the pod counters);
// ForEachLocalEndpoint finds the same without the record. The remote ones stay
// as HNS listed them, held compactly, and their views are made to be shown.
TEST(Join, ViewsOfTheLocalEndpointsAndTheRemoteOnesHeldAsListed) {
  HnsData hns;
  SetHnsEndpoints({Hns("R1", "r1", "10.1.0.1", true), Hns("L1", "l1", "10.0.0.1"),
                   Hns("R2", "r2", "10.1.0.2", true), Hns("R3", "r3", "10.1.0.3", true),
                   Hns("L2", "l2", "10.0.0.2")},
                  &hns);
  NodeSnapshot s;
  BuildSnapshot({nullptr, nullptr, &hns, nullptr}, &s);
  ASSERT_TRUE(s.local_endpoint_places.has_value());
  EXPECT_EQ(*s.local_endpoint_places, (std::vector<uint32_t>{0, 1}));
  std::vector<std::string> visited;
  ForEachLocalEndpoint(s, [&](size_t i) { visited.push_back(s.endpoints[i].id); });
  EXPECT_EQ(visited, (std::vector<std::string>{"l1", "l2"}));
  s.local_endpoint_places.reset();
  visited.clear();
  ForEachLocalEndpoint(s, [&](size_t i) { visited.push_back(s.endpoints[i].id); });
  EXPECT_EQ(visited, (std::vector<std::string>{"l1", "l2"})) << "found by a look at each";
  EXPECT_EQ(s.remote_endpoints, hns.remote) << "shared with the inventory, not copied";
  visited.clear();
  ForEachEndpointView(s, [&](const EndpointView& e) {
    visited.push_back(e.id + (e.local ? "" : " remote") + " " + e.ip + " " + e.network + " " +
                      e.state);
  });
  EXPECT_EQ(visited, (std::vector<std::string>{
                         "l1 10.0.0.1 azure attached_sharing", "l2 10.0.0.2 azure attached_sharing",
                         "r1 remote 10.1.0.1 azure created", "r2 remote 10.1.0.2 azure created",
                         "r3 remote 10.1.0.3 azure created"}));
}

TEST(Join, ByHnsIdCaseInsensitively) {
  HnsData hns;
  SetHnsEndpoints({Hns("E3A1C7D2-4B6F-4F0E-8A9D-1C2B3D4E5F60", "other-name", "10.0.0.5")}, &hns);
  CniState cni;
  cni.present = true;
  cni.endpoints = {Cni("a756b816-eth0", "e3a1c7d2-4b6f-4f0e-8a9d-1c2b3d4e5f60", "10.0.0.99",
                       "default", "web-0")};
  NodeSnapshot s;
  BuildSnapshot({nullptr, &cni, &hns, nullptr}, &s);
  const auto& e = Ep(s, "e3a1c7d2-4b6f-4f0e-8a9d-1c2b3d4e5f60");
  EXPECT_EQ(e.matched_by, "hns_id");
  EXPECT_EQ(e.pod.ns, "default");
  EXPECT_EQ(e.pod.name, "web-0");
  EXPECT_FALSE(e.orphaned);
  EXPECT_EQ(*s.orphaned_endpoints, 0u);
}

TEST(Join, ThenByEndpointNameThenByIp) {
  HnsData hns;
  SetHnsEndpoints({Hns("AAAA", "a756b816-eth0", "10.0.0.5"), Hns("BBBB", "x", "10.0.0.6")}, &hns);
  CniState cni;
  cni.present = true;
  cni.endpoints = {Cni("a756b816-eth0", "", "10.0.0.50"), Cni("86e4c7a4-eth0", "", "10.0.0.6")};
  NodeSnapshot s;
  BuildSnapshot({nullptr, &cni, &hns, nullptr}, &s);
  EXPECT_EQ(Ep(s, "aaaa").matched_by, "name");
  EXPECT_EQ(Ep(s, "aaaa").pod.name, "a756b816-eth0-pod");
  EXPECT_EQ(Ep(s, "bbbb").matched_by, "ip");
  EXPECT_EQ(Ep(s, "bbbb").cni_endpoint_id, "86e4c7a4-eth0");
}

TEST(Join, AmbiguousIpGivesNoPodAndTheLoserIsOrphaned) {
  // A stale endpoint with the IP of a live pod must not inherit the pod.
  HnsData hns;
  SetHnsEndpoints({Hns("LIVE", "live-eth0", "10.0.0.5"), Hns("STALE", "stale-eth0", "10.0.0.5")},
                  &hns);
  CniState cni;
  cni.present = true;
  cni.endpoints = {Cni("live-eth0", "live", "10.0.0.5")};
  NodeSnapshot s;
  BuildSnapshot({nullptr, &cni, &hns, nullptr}, &s);
  EXPECT_EQ(Ep(s, "live").matched_by, "hns_id");
  EXPECT_EQ(Ep(s, "stale").matched_by, "");
  EXPECT_FALSE(Ep(s, "stale").pod.known());
  EXPECT_TRUE(Ep(s, "stale").orphaned);
  EXPECT_EQ(*s.orphaned_endpoints, 1u);
  EXPECT_EQ(s.duplicate_ip_endpoints, 2u);
}

TEST(Join, OldCniWithoutPodFieldsIsKnownButHasNoPod) {
  HnsData hns;
  SetHnsEndpoints({Hns("AAAA", "a756b816-eth0", "10.0.0.5")}, &hns);
  CniState cni;
  cni.present = true;
  CniEndpoint c = Cni("a756b816-eth0", "aaaa", "10.0.0.5");
  c.pod_name.clear();
  c.pod_namespace.clear();
  cni.endpoints = {c};
  NodeSnapshot s;
  BuildSnapshot({nullptr, &cni, &hns, nullptr}, &s);
  EXPECT_EQ(Ep(s, "aaaa").matched_by, "hns_id");
  EXPECT_FALSE(Ep(s, "aaaa").pod.known());
  EXPECT_FALSE(Ep(s, "aaaa").orphaned);
}

// A remote endpoint's view says when another endpoint, local or remote, has
// its IP (AKS #5653), as a local endpoint's does.
TEST(Join, DuplicateIpsAcrossLocalAndRemoteEndpoints) {
  HnsData hns;
  HnsEndpoint l2 = Hns("L2", "l2", "10.0.0.6");
  l2.ipv6 = "fd00::7";
  HnsEndpoint r5 = Hns("R5", "r5", "10.1.0.7", true);  // both its IPs held twice: one count
  r5.ipv6 = "FD00:0::7";
  SetHnsEndpoints({Hns("L1", "l1", "10.0.0.5"), Hns("R1", "r1", "10.0.0.5", true),
                   Hns("R2", "r2", "10.1.0.7", true), Hns("R3", "r3", "10.1.0.7", true),
                   Hns("R4", "r4", "10.1.0.8", true), l2, r5},
                  &hns);
  NodeSnapshot s;
  BuildSnapshot({nullptr, nullptr, &hns, nullptr}, &s);
  std::vector<std::string> duplicated;
  ForEachEndpointView(s, [&](const EndpointView& e) {
    if (e.duplicate_ip) duplicated.push_back(e.id);
  });
  EXPECT_EQ(duplicated, (std::vector<std::string>{"l1", "l2", "r1", "r2", "r3", "r5"}));
  EXPECT_EQ(s.duplicate_ip_endpoints, 6u);
}

TEST(Join, RemoteEndpointsAreNeverJoinedNorOrphaned) {
  HnsData hns;
  SetHnsEndpoints({Hns("RRRR", "a756b816-eth0", "10.0.0.5", /*remote=*/true)}, &hns);
  CniState cni;
  cni.present = true;
  cni.endpoints = {Cni("a756b816-eth0", "rrrr", "10.0.0.5")};
  NodeSnapshot s;
  BuildSnapshot({nullptr, &cni, &hns, nullptr}, &s);
  EXPECT_EQ(Ep(s, "rrrr").matched_by, "");
  EXPECT_FALSE(Ep(s, "rrrr").orphaned);
  EXPECT_EQ(*s.orphaned_endpoints, 0u);
}

TEST(Join, WithoutCniStateOrphansAreUnknownNotZero) {
  HnsData hns;
  SetHnsEndpoints({Hns("AAAA", "a-eth0", "10.0.0.5")}, &hns);
  CniState absent;  // file absent
  NodeSnapshot s;
  BuildSnapshot({nullptr, &absent, &hns, nullptr}, &s);
  EXPECT_FALSE(s.orphaned_endpoints.has_value());
  EXPECT_FALSE(Ep(s, "aaaa").orphaned);
}

IpamState Pool(std::vector<std::tuple<std::string, bool>> addrs) {
  IpamState st;
  st.present = true;
  IpamPool p;
  p.cidr = "10.0.0.0/24";
  for (auto& [ip, used] : addrs) {
    ++p.capacity;
    if (used) p.in_use.push_back({ip, "sandbox"});
  }
  st.pools.push_back(p);
  return st;
}

TEST(Reconcile, LeakedIsInUseHeldByNoCniEndpointAndNoLocalHnsEndpoint) {
  IpamState ipam = Pool({{"10.0.0.5", true},
                         {"10.0.0.6", true},
                         {"10.0.0.7", true},
                         {"10.0.0.8", true},
                         {"10.0.0.9", false}});
  CniState cni;
  cni.present = true;
  cni.endpoints = {Cni("a-eth0", "", "10.0.0.5")};
  HnsData hns;
  SetHnsEndpoints({Hns("L", "l", "10.0.0.6"), Hns("R", "r", "10.0.0.7", /*remote=*/true)}, &hns);
  NodeSnapshot s;
  BuildSnapshot({&ipam, &cni, &hns, nullptr}, &s);
  ASSERT_EQ(s.pools.size(), 1u);
  EXPECT_EQ(s.pools[0].capacity, 5u);
  EXPECT_EQ(s.pools[0].allocated, 4u);
  EXPECT_EQ(s.pools[0].available, 1u);
  // .7 is held only by a remote endpoint (another node): still leaked here.
  EXPECT_EQ(s.pools[0].leaked_ips, (std::vector<std::string>{"10.0.0.7", "10.0.0.8"}));
  EXPECT_EQ(*s.pools[0].leaked, 2u);
}

TEST(Reconcile, WithNothingToCompareLeaksAreUnknown) {
  IpamState ipam = Pool({{"10.0.0.5", true}});
  NodeSnapshot s;
  BuildSnapshot({&ipam, nullptr, nullptr, nullptr}, &s);
  EXPECT_FALSE(s.pools[0].leaked.has_value());
  EXPECT_EQ(s.pools[0].allocated, 1u);
}

TEST(Reconcile, AbsentIpamFileGivesNoPools) {
  IpamState ipam;  // present == false
  NodeSnapshot s;
  BuildSnapshot({&ipam, nullptr, nullptr, nullptr}, &s);
  EXPECT_FALSE(s.ipam_present);
  EXPECT_TRUE(s.pools.empty());
}

TEST(Adapters, WindowsAliasAndLinuxHostVethBothMap) {
  HnsData hns;
  SetHnsEndpoints({Hns("AAAA", "a756b816-eth0", "10.0.0.5")}, &hns);
  CniState cni;
  cni.present = true;
  cni.endpoints = {Cni("a756b816-eth0", "aaaa", "10.0.0.5", "shop", "web-0"),
                   Cni("3f813b02-eth0", "", "10.0.0.6", "kube-system", "metrics-server")};
  cni.endpoints[1].host_if_name = "azvd805fb1b0f8";
  std::vector<AdapterRow> rows(3);
  rows[0].alias = "vEthernet (a756b816-eth0)";
  rows[1].alias = "azvd805fb1b0f8";
  rows[2].alias = "vEthernet (Ethernet 2)";
  NodeSnapshot s;
  BuildSnapshot({nullptr, &cni, &hns, &rows}, &s);
  ASSERT_EQ(s.adapters.size(), 3u);
  EXPECT_EQ(s.adapters[0].endpoint_id, "aaaa");
  EXPECT_EQ(s.adapters[0].pod.name, "web-0");
  EXPECT_EQ(s.adapters[1].pod.name, "metrics-server");
  EXPECT_EQ(s.adapters[1].pod.ns, "kube-system");
  EXPECT_FALSE(s.adapters[2].pod.known());
  EXPECT_EQ(s.adapters[2].endpoint_id, "");
}

// The example capture documents its planted problems; the join must find them.
TEST(Join, ExampleCaptureFigures) {
  auto src = MakeReplaySources(testing::ExampleDir());
  ASSERT_TRUE(src.ok()) << src.error();
  auto ipam = ReadOnce(*src, kIpamStateSource);
  auto cni = ReadOnce(*src, kNetworkStateSource);
  auto hns = ReadHnsOnce(src->Share(kHnsSource));
  auto adapters = ReadOnce(*src, kAdaptersSource);
  ASSERT_TRUE(ipam.ok()) << ipam.error();
  ASSERT_TRUE(cni.ok()) << cni.error();
  ASSERT_TRUE(hns.ok()) << hns.error();
  ASSERT_TRUE(adapters.ok()) << adapters.error();
  EXPECT_TRUE(hns->item_errors.empty());
  NodeSnapshot s;
  BuildSnapshot({ipam->get(), cni->get(), &*hns, adapters->get()}, &s);
  ASSERT_EQ(s.pools.size(), 1u);
  EXPECT_EQ(s.pools[0].subnet, "10.240.0.0/16");
  EXPECT_EQ(s.pools[0].capacity, 30u);
  EXPECT_EQ(s.pools[0].allocated, 7u);
  EXPECT_EQ(s.pools[0].available, 23u);
  EXPECT_EQ(s.pools[0].leaked_ips, std::vector<std::string>{"10.240.0.80"});
  EXPECT_EQ(*s.orphaned_endpoints, 1u);
  EXPECT_EQ(s.duplicate_ip_endpoints, 2u);
  EXPECT_EQ(*s.load_balancers, 5u);
  int local = 0, with_pod = 0, with_stats = 0;
  for (const auto& e : s.endpoints) {
    local += e.local;
    with_pod += e.pod.known();
    with_stats += e.stats.has_value();
    if (e.orphaned) {
      EXPECT_EQ(e.name, "7c930f38-eth0");
    }
  }
  EXPECT_EQ(local, 7);
  EXPECT_EQ(with_pod, 6);
  EXPECT_EQ(with_stats, 7);
  EXPECT_EQ(s.endpoints.size(), 7u);
  ASSERT_NE(s.remote_endpoints, nullptr);
  EXPECT_EQ(s.remote_endpoints->size(), 9u);
  const auto& server = Ep(s, "944782d7-3418-42c5-9b24-10a6f0ae1284");
  EXPECT_EQ(server.pod.name, "wintcpserver");
  EXPECT_EQ(server.stats->bytes_received, 3918442617u);
  int mapped_adapters = 0;
  for (const auto& a : s.adapters) mapped_adapters += a.pod.known();
  EXPECT_EQ(mapped_adapters, 6);
}

}  // namespace
}  // namespace winnet
