// The parsers of the CNS-mode files: 10-azure.conflist, azure-cns.json,
// azure-endpoints.json, and the address helper they share.
#include <gtest/gtest.h>

#include "collectors/cni_conflist/conflist.h"
#include "collectors/cns/cns_endpoints.h"
#include "collectors/cns/cns_state.h"
#include "collectors/common/ip_address.h"
#include "tests/test_util.h"

namespace winnet {
namespace {

TEST(IpAddress, CanonicalFormsOfBothFamilies) {
  EXPECT_EQ(CanonicalIp("10.244.0.5"), "10.244.0.5");
  EXPECT_EQ(CanonicalIp("FD00:0:0:0:0:0:0:5"), "fd00::5");
  EXPECT_EQ(CanonicalIp("fd00:0000:0000:0001:0000:0000:0000:0005"), "fd00:0:0:1::5");
  EXPECT_EQ(CanonicalIp("2001:db8:0:0:1:0:0:1"), "2001:db8::1:0:0:1");  // first longest run
  EXPECT_EQ(CanonicalIp("::"), "::");
  EXPECT_EQ(CanonicalIp("::1"), "::1");
  EXPECT_EQ(CanonicalIp("fd00:1:2:3:4:5:6:0"), "fd00:1:2:3:4:5:6:0");  // one zero: not "::"
  EXPECT_EQ(CanonicalIp("::ffff:10.0.0.1"), "::ffff:a00:1");
  for (const char* bad : {"", "10.0.0", "10.0.0.256", "10.0.0.01", "1::2::3", "fd00::5%eth0",
                          "1:2:3:4:5:6:7:8:9", "12345::", "not an ip"}) {
    EXPECT_FALSE(ParseIpAddress(bad).has_value()) << bad;
  }
}

TEST(IpAddress, PrefixesContainTheirFamilyOnly) {
  auto p = ParseIpPrefix("10.244.1.77/24");
  ASSERT_TRUE(p);
  EXPECT_EQ(FormatIpPrefix(*p), "10.244.1.0/24");
  EXPECT_TRUE(p->Contains(*ParseIpAddress("10.244.1.254")));
  EXPECT_FALSE(p->Contains(*ParseIpAddress("10.244.2.1")));
  EXPECT_FALSE(p->Contains(*ParseIpAddress("::ffff:10.244.1.5")));
  auto v6 = MakeIpPrefix("FD00:10:244:1::", 64);
  ASSERT_TRUE(v6);
  EXPECT_EQ(FormatIpPrefix(*v6), "fd00:10:244:1::/64");
  EXPECT_TRUE(v6->Contains(*ParseIpAddress("fd00:10:244:1::a")));
  EXPECT_FALSE(MakeIpPrefix("10.0.0.0", 33).has_value());
  EXPECT_FALSE(ParseIpPrefix("10.0.0.0/").has_value());
}

TEST(CniConflist, OverlayWindowsConflist) {
  auto c = ParseCniConflist(R"({"cniVersion":"0.3.0","name":"azure","plugins":[
      {"type":"azure-vnet","ipam":{"type":"azure-cns","mode":"overlay"},
       "dns":{"Nameservers":["10.0.0.10","168.63.129.16"]}}]})",
                            "10-azure.conflist");
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_TRUE(c->present);
  EXPECT_EQ(c->plugin, "azure-vnet");
  EXPECT_EQ(c->ipam, "azure-cns");
  EXPECT_EQ(c->ipam_mode, "overlay");
  EXPECT_EQ(c->nameservers, (std::vector<std::string>{"10.0.0.10", "168.63.129.16"}));
}

TEST(CniConflist, ThePluginWithIpamIsReadAndASingleConfWorks) {
  auto chained = ParseCniConflist(
      R"({"plugins":[{"type":"portmap"},{"type":"azure-vnet","ipam":{"type":"azure-vnet-ipam"}}]})",
      "c");
  ASSERT_TRUE(chained.ok()) << chained.error();
  EXPECT_EQ(chained->plugin, "azure-vnet");
  EXPECT_EQ(chained->ipam, "azure-vnet-ipam");
  auto single = ParseCniConflist(R"({"type":"azure-vnet","ipam":{"type":"azure-cns"}})", "c");
  ASSERT_TRUE(single.ok()) << single.error();
  EXPECT_EQ(single->ipam, "azure-cns");
  EXPECT_EQ(single->ipam_mode, "");
  auto empty = ParseCniConflist("  \n", "c");
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->present);
}

TEST(CniConflist, ErrorsNameTheFileAndThePath) {
  auto bad = ParseCniConflist(R"({"plugins":[{"type":"azure-vnet","ipam":{"type":7}}]})",
                              "/etc/cni/net.d/10-azure.conflist");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().find("/etc/cni/net.d/10-azure.conflist"), std::string::npos) << bad.error();
  EXPECT_NE(bad.error().find("plugins[0].ipam.type"), std::string::npos) << bad.error();
  auto ns = ParseCniConflist(R"({"plugins":[{"ipam":{},"dns":{"Nameservers":["a",1]}}]})", "f");
  ASSERT_FALSE(ns.ok());
  EXPECT_NE(ns.error().find("plugins[0].dns.Nameservers[1]"), std::string::npos) << ns.error();
  auto none = ParseCniConflist(R"({"plugins":[]})", "f");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().find("no plugins"), std::string::npos) << none.error();
}

constexpr const char* kCnsState = R"({"ContainerNetworkService":{
  "Location":"westeurope","NetworkType":"Overlay","TimeStamp":"2026-11-20T14:32:07Z",
  "ContainerStatus":{"f1e2d3c4-0000-4000-8000-000000000001":{
    "ID":"f1e2d3c4-0000-4000-8000-000000000001",
    "CreateNetworkContainerRequest":{"NetworkContainerType":"Docker",
      "IPConfiguration":{"IPSubnet":{"IPAddress":"10.244.1.0","PrefixLength":24},
        "IPSubnetV6":{"IPAddress":"FD00:10:244:1::","PrefixLength":64},
        "GatewayIPAddress":"10.244.1.1","GatewayIPv6Address":""},
      "SecondaryIPConfigs":{
        "a":{"IPAddress":"10.244.1.3","NCVersion":1},
        "b":{"IPAddress":"10.244.1.2","NCVersion":1},
        "c":{"IPAddress":"FD00:10:244:1:0:0:0:2","NCVersion":1}}}}}}})";

TEST(CnsState, NetworkContainersWithBothSubnetsAndCanonicalIps) {
  auto s = ParseCnsState(kCnsState, "azure-cns.json");
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_TRUE(s->present);
  EXPECT_EQ(s->network_type, "Overlay");
  ASSERT_TRUE(s->timestamp.has_value());
  ASSERT_EQ(s->containers.size(), 1u);
  const auto& nc = s->containers[0];
  EXPECT_EQ(nc.id, "f1e2d3c4-0000-4000-8000-000000000001");
  EXPECT_EQ(nc.subnet, "10.244.1.0/24");
  EXPECT_EQ(nc.subnet_v6, "fd00:10:244:1::/64");
  EXPECT_EQ(nc.gateway, "10.244.1.1");
  EXPECT_EQ(nc.secondary_ips,
            (std::vector<std::string>{"10.244.1.2", "10.244.1.3", "fd00:10:244:1::2"}));
}

TEST(CnsState, ErrorsNameTheFileAndThePath) {
  std::string bad = kCnsState;
  bad.replace(bad.find("\"10.244.1.3\""), 12, "\"10.244.1.x\"");
  auto s = ParseCnsState(bad, "C:\\k\\azurecns\\azure-cns.json");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().find("C:\\k\\azurecns\\azure-cns.json"), std::string::npos) << s.error();
  EXPECT_NE(s.error().find("ContainerNetworkService.ContainerStatus.f1e2d3c4-0000-4000-8000-"
                           "000000000001.CreateNetworkContainerRequest.SecondaryIPConfigs.a."
                           "IPAddress"),
            std::string::npos)
      << s.error();
  auto len = ParseCnsState(
      R"({"ContainerNetworkService":{"ContainerStatus":{"n":{"CreateNetworkContainerRequest":
      {"IPConfiguration":{"IPSubnet":{"IPAddress":"10.0.0.0","PrefixLength":40}}}}}}})",
      "f");
  ASSERT_FALSE(len.ok());
  EXPECT_NE(len.error().find("IPConfiguration.IPSubnet"), std::string::npos) << len.error();
  auto blank = ParseCnsState("", "f");
  ASSERT_TRUE(blank.ok());
  EXPECT_FALSE(blank->present);
}

constexpr const char* kEndpoints = R"({"Endpoints":{
  "3f1c9a7e0b2d":{"PodName":"web-0","PodNamespace":"shop","IfnameToIPMap":{"eth0":{
    "IPv4":[{"IP":"10.244.1.5","Mask":"////AA=="}],
    "IPv6":[{"IP":"fd00:10:244:1:0::5","Mask":"//////////8AAAAAAAAAAA=="}],
    "HnsEndpointID":"{7A3F0C2E-1B4D-4E5F-8A6B-9C0D1E2F3A4B}","HnsNetworkID":"",
    "MacAddress":"00-15-5D-01-02-03","NICType":"InfraNIC"}}},
  "gone":null}})";

TEST(CnsEndpoints, RecordsWithPodsHnsIdsAndBothFamilies) {
  auto e = ParseCnsEndpoints(kEndpoints, "azure-endpoints.json");
  ASSERT_TRUE(e.ok()) << e.error();
  EXPECT_TRUE(e->present);
  ASSERT_EQ(e->endpoints.size(), 1u);
  const auto& r = e->endpoints[0];
  EXPECT_EQ(r.container_id, "3f1c9a7e0b2d");
  EXPECT_EQ(r.pod_namespace, "shop");
  EXPECT_EQ(r.pod_name, "web-0");
  ASSERT_EQ(r.interfaces.size(), 1u);
  EXPECT_EQ(r.interfaces[0].if_name, "eth0");
  EXPECT_EQ(r.interfaces[0].ips, (std::vector<std::string>{"10.244.1.5", "fd00:10:244:1::5"}));
  EXPECT_EQ(r.interfaces[0].hns_endpoint_id, "7a3f0c2e-1b4d-4e5f-8a6b-9c0d1e2f3a4b");
  EXPECT_EQ(r.interfaces[0].hns_network_id, "");
  EXPECT_EQ(r.interfaces[0].mac, "00:15:5d:01:02:03");
  EXPECT_EQ(r.interfaces[0].nic_type, "InfraNIC");
}

TEST(CnsEndpoints, ErrorsNameTheFileAndThePath) {
  auto e =
      ParseCnsEndpoints(R"({"Endpoints":{"abc":{"IfnameToIPMap":{"eth0":{"IPv4":[{"IP":"x"}]}}}}})",
                        "/var/run/azure-cns/azure-endpoints.json");
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().find("/var/run/azure-cns/azure-endpoints.json"), std::string::npos);
  EXPECT_NE(e.error().find("Endpoints.abc.IfnameToIPMap.eth0.IPv4[0].IP"), std::string::npos)
      << e.error();
  auto t = ParseCnsEndpoints(R"({"Endpoints":{"abc":{"PodName":5}}})", "f");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().find("Endpoints.abc.PodName"), std::string::npos) << t.error();
}

}  // namespace
}  // namespace winnet
