#include "collectors/cni/cni_state.h"

#include <gtest/gtest.h>

#include "tests/test_util.h"

namespace winnet {
namespace {

using ::testing::HasSubstr;

const CniEndpoint* FindEp(const CniState& s, const std::string& id) {
  for (const auto& e : s.endpoints) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

TEST(CniState, ParsesWindowsContainerdEndpointsWithPods) {
  auto r =
      ParseCniState(testing::Fixture("cni/windows-v1.6.21-containerd.json"), "azure-vnet.json");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_TRUE(r->present);
  EXPECT_EQ(r->version, "v1.6.21");
  ASSERT_EQ(r->networks.size(), 1u);
  EXPECT_EQ(r->networks[0].id, "azure");
  EXPECT_EQ(r->networks[0].hns_id, "5b0f3c62-8e1d-4a77-9c3e-2f6a1d0b7e45");
  EXPECT_EQ(r->networks[0].mode, "bridge");
  ASSERT_EQ(r->endpoints.size(), 2u);
  const CniEndpoint* web = FindEp(*r, "a756b816-eth0");
  ASSERT_NE(web, nullptr);
  EXPECT_EQ(web->hns_id, "e3a1c7d2-4b6f-4f0e-8a9d-1c2b3d4e5f60");
  EXPECT_EQ(web->sandbox_key, "a756b816907386b045dbb706c14aa09f5a4e27850dda050b3a0e82eb321e33c6");
  EXPECT_EQ(web->container_id, web->sandbox_key);
  EXPECT_EQ(web->net_ns, "2f4e6a8c-1b3d-4e5f-a7b9-c1d3e5f7a9b1");
  EXPECT_EQ(web->if_name, "eth0");
  EXPECT_EQ(web->host_if_name, "");
  EXPECT_EQ(web->pod_name, "web-0");
  EXPECT_EQ(web->pod_namespace, "default");
  EXPECT_TRUE(web->HasPod());
  EXPECT_EQ(web->mac, "00:15:5d:3a:7c:11");  // "ABVdOnwR"
  EXPECT_EQ(web->ips, std::vector<std::string>{"10.224.0.5"});
  EXPECT_EQ(web->network_id, "azure");
  EXPECT_EQ(web->external_interface, "vEthernet (Ethernet 2)");
  EXPECT_EQ(web->nic_type, "InfraNIC");
}

TEST(CniState, OldWindowsFileWithoutPodFieldsParses) {
  auto r =
      ParseCniState(testing::Fixture("cni/windows-v1.4.59-no-pod-fields.json"), "azure-vnet.json");
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_EQ(r->endpoints.size(), 2u);
  for (const auto& e : r->endpoints) {
    EXPECT_FALSE(e.HasPod());
    EXPECT_EQ(e.container_id, "");
    EXPECT_FALSE(e.sandbox_key.empty());
    EXPECT_FALSE(e.hns_id.empty());
  }
}

TEST(CniState, HnsIdIsNormalisedToLowerCase) {
  auto r = ParseCniState(R"({"Network":{"ExternalInterfaces":{"eth0":{"Networks":{"azure":{
      "Endpoints":{"x-eth0":{"Id":"x-eth0","HnsId":"E3A1C7D2-4B6F-4F0E-8A9D-1C2B3D4E5F60"}}}}}}}})",
                         "f");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->endpoints[0].hns_id, "e3a1c7d2-4b6f-4f0e-8a9d-1c2b3d4e5f60");
}

TEST(CniState, EmptyFileIsNoState) {
  auto r = ParseCniState("", "azure-vnet.json");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->present);
}

TEST(CniState, ErrorsNameFileAndField) {
  auto r = ParseCniState(R"({"Network":{"ExternalInterfaces":{"eth0":{"Networks":{"azure":{
      "Endpoints":{"x-eth0":{"Id":"x-eth0","MacAddress":"00-15-5D-3A-7C-11"}}}}}}}})",
                         "/var/run/azure-vnet.json");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error(),
              HasSubstr("/var/run/azure-vnet.json: field "
                        "Network.ExternalInterfaces.eth0.Networks.azure.Endpoints.x-eth0."
                        "MacAddress: \"00-15-5D-3A-7C-11\" is not base64"));
  r = ParseCniState(R"({"Network":{"ExternalInterfaces":{"eth0":{"Networks":{"azure":{
      "Endpoints":{"x-eth0":{"IPAddresses":{"IP":"10.0.0.1"}}}}}}}}})",
                    "f");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error(), HasSubstr("IPAddresses: expected an array, got object"));
  r = ParseCniState(R"({"Network":{"ExternalInterfaces":{"eth0":{"Networks":{"azure":{
      "Endpoints":{"x-eth0":{"PODName":7}}}}}}}})",
                    "f");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error(), HasSubstr("PODName: expected a string, got number"));
  r = ParseCniState(R"({"Network":{"TimeStamp":"2021-13-01T00:00:00Z"}})", "f");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error(), HasSubstr("Network.TimeStamp"));
  r = ParseCniState(R"({"Network":{"ExternalInterfaces":{"eth0":{"Networks":{"azure":{"Endpo)",
                    "f");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error(), HasSubstr("f: invalid JSON"));
}

}  // namespace
}  // namespace winnet
