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

TEST(CniState, ReadsEachEndpointsDnsServers) {
  auto r =
      ParseCniState(testing::Fixture("cni/windows-v1.6.21-containerd.json"), "azure-vnet.json");
  ASSERT_TRUE(r.ok()) << r.error();
  const CniEndpoint* web = FindEp(*r, "a756b816-eth0");
  ASSERT_NE(web, nullptr);
  EXPECT_EQ(web->dns_servers, (std::vector<std::string>{"10.0.0.10", "168.63.129.16"}));
  EXPECT_EQ(DnsServersOf(*r), (std::vector<std::string>{"10.0.0.10", "168.63.129.16"}));
  auto bad = ParseCniState(
      R"({"Network":{"ExternalInterfaces":{"e":{"Networks":{"azure":{"Endpoints":{"x-eth0":
          {"DNS":{"Servers":["10.0.0.10",53]}}}}}}}}})",
      "azure-vnet.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.error(), ::testing::HasSubstr("azure-vnet.json"));
  EXPECT_THAT(bad.error(), ::testing::HasSubstr("DNS.Servers[1]"));
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

// --- real-world variants (tests/fixtures/README.md) ---------------------------

TEST(CniVariants, GoZeroTimeIsUnknown) {
  auto r = ParseCniState(testing::Fixture("cni/variant-go-zero-time.json"), "azure-vnet.json");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_TRUE(r->present);
  EXPECT_FALSE(r->timestamp) << *r->timestamp;
  EXPECT_EQ(r->timestamp_text, "0001-01-01T00:00:00Z");
  ASSERT_EQ(r->endpoints.size(), 1u);
  EXPECT_EQ(r->endpoints[0].ips, std::vector<std::string>{"10.224.0.5"});
}

TEST(CniVariants, DayPastTheEndOfTheMonthAndSecond60AreRefusedNamingTheField) {
  const std::string good = testing::Fixture("cni/variant-go-zero-time.json");
  struct Case {
    const char* time;
    const char* why;
  } cases[] = {
      {"2025-02-31T09:26:54Z", "has day 31, but February 2025 has 28 days"},
      {"2023-02-29T09:26:54+05:30", "has day 29, but February 2023 has 28 days"},
      {"2025-04-31T00:00:00Z", "has day 31, but April 2025 has 30 days"},
      {"2016-12-31T23:59:60Z", "has second 60 (a leap second); seconds go up to 59"},
  };
  for (const auto& c : cases) {
    std::string text = good;
    text.replace(text.find("0001-01-01T00:00:00Z"), 20, c.time);
    auto r = ParseCniState(text, "/var/run/azure-vnet.json");
    ASSERT_FALSE(r.ok()) << c.time;
    EXPECT_EQ(r.error(), std::string("/var/run/azure-vnet.json: field Network.TimeStamp: \"") +
                             c.time + "\" " + c.why);
  }
}

TEST(CniVariants, GuidsInBracesOrAnyCaseAreNormalisedAndTheZeroGuidIsNone) {
  auto r = ParseCniState(testing::Fixture("cni/variant-guid-forms.json"), "f");
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_EQ(r->networks.size(), 2u);
  EXPECT_EQ(r->networks[0].hns_id, "5b0f3c62-8e1d-4a77-9c3e-2f6a1d0b7e45");
  EXPECT_EQ(r->networks[1].hns_id, "");
  const CniEndpoint* a = FindEp(*r, "a756b816-eth0");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->hns_id, "e3a1c7d2-4b6f-4f0e-8a9d-1c2b3d4e5f60");
  EXPECT_EQ(a->net_ns, "{2F4E6A8C-1B3D-4E5F-A7B9-C1D3E5F7A9B1}");  // the join normalises it
  for (const char* id : {"86e4c7a4-eth0", "1f0d3c52-eth0"}) {
    const CniEndpoint* e = FindEp(*r, id);
    ASSERT_NE(e, nullptr) << id;
    EXPECT_EQ(e->hns_id, "") << id;
    EXPECT_EQ(e->net_ns, "") << id;
    EXPECT_FALSE(e->sandbox_key.empty()) << id;
  }
}

TEST(CniVariants, ModeInAnyCaseIsLowerCase) {
  auto r = ParseCniState(testing::Fixture("cni/variant-enum-case.json"), "f");
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_EQ(r->networks.size(), 3u);
  EXPECT_EQ(r->networks[0].mode, "bridge");
  EXPECT_EQ(r->networks[1].mode, "transparent");
  EXPECT_EQ(r->networks[2].mode, "transparent");
}

TEST(CniVariants, UnsetMarkersReadAsAbsentAndNothingIsLost) {
  auto r = ParseCniState(testing::Fixture("cni/variant-unset-markers.json"), "f");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_TRUE(r->present);
  EXPECT_FALSE(r->timestamp);
  ASSERT_EQ(r->networks.size(), 3u);
  EXPECT_EQ(r->networks[0].id, "azure");  // "Id": "" falls back to the key
  EXPECT_EQ(r->networks[0].mode, "");
  ASSERT_EQ(r->endpoints.size(), 3u);
  const CniEndpoint* a = FindEp(*r, "a756b816-eth0");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->hns_id, "e3a1c7d2-4b6f-4f0e-8a9d-1c2b3d4e5f60");
  EXPECT_EQ(a->net_ns, "");
  EXPECT_EQ(a->host_if_name, "");
  EXPECT_EQ(a->pod_name, "");
  EXPECT_FALSE(a->HasPod());
  EXPECT_EQ(a->mac, "");
  EXPECT_EQ(a->ips, std::vector<std::string>{"10.224.0.5"});
  for (const char* id : {"86e4c7a4-eth0", "1f0d3c52-eth0"}) {
    const CniEndpoint* e = FindEp(*r, id);
    ASSERT_NE(e, nullptr) << id;  // "Id": 0 or {} falls back to the key
    EXPECT_EQ(e->hns_id, "") << id;
    EXPECT_TRUE(e->ips.empty()) << id;
  }
}

TEST(CniVariants, NewerKeysAreIgnoredAndLocalizedNamesSurvive) {
  auto r = ParseCniState(testing::Fixture("cni/variant-newer-keys-localized.json"), "f");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_NEAR(*r->timestamp, 1762067701, 1e-6);
  ASSERT_EQ(r->endpoints.size(), 1u);
  const CniEndpoint& e = r->endpoints[0];
  EXPECT_EQ(e.external_interface,
            "vEthernet (\xe3\x82\xa4\xe3\x83\xbc\xe3\x82\xb5\xe3\x83\x8d\xe3\x83\x83"
            "\xe3\x83\x88 2)");
  EXPECT_EQ(e.if_name, "Ethernet-Verbindung");
  EXPECT_EQ(e.pod_name, "web-0");
  EXPECT_EQ(e.mac, "00:15:5d:3a:7c:11");
  EXPECT_EQ(e.ips, std::vector<std::string>{"10.224.0.5"});
}

TEST(CniVariants, EmptyOrWhitespaceFileIsNoStateButAllNulIsAnErrorNamingTheFile) {
  for (const char* name : {"cni/variant-empty.json", "cni/variant-whitespace.json"}) {
    auto r = ParseCniState(testing::Fixture(name), "azure-vnet.json");
    ASSERT_TRUE(r.ok()) << name << ": " << r.error();
    EXPECT_FALSE(r->present) << name;
  }
  auto r = ParseCniState(testing::Fixture("cni/variant-all-nul.json"), "/var/run/azure-vnet.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(),
            "/var/run/azure-vnet.json: only NUL bytes (512 of 512 bytes): a save cut short left "
            "the file unwritten; no state can be read from it");
}

}  // namespace
}  // namespace winnet
