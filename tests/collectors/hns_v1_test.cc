#include "collectors/hns/hns_v1.h"

#include <gtest/gtest.h>

#include "collectors/hns/hcn.h"
#include "tests/test_util.h"

namespace winnet {
namespace {

using ::testing::HasSubstr;

TEST(HnsEndpoints, ParsesLocalAndRemoteEndpoints) {
  auto r = ParseHnsEndpoints(testing::Fixture("hns/endpoints.json"), "GET /endpoints/");
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_EQ(r->size(), 2u);
  const HnsEndpoint& local = (*r)[0];
  EXPECT_EQ(local.id, "e3a1c7d2-4b6f-4f0e-8a9d-1c2b3d4e5f60");
  EXPECT_EQ(local.raw_id, "E3A1C7D2-4B6F-4F0E-8A9D-1C2B3D4E5F60");
  EXPECT_EQ(local.name, "a756b816-eth0");
  EXPECT_EQ(local.network_name, "azure");
  EXPECT_EQ(local.network_id, "5b0f3c62-8e1d-4a77-9c3e-2f6a1d0b7e45");
  EXPECT_EQ(local.ip, "10.224.0.5");
  EXPECT_EQ(local.prefix_length, 16);
  EXPECT_EQ(local.mac, "00:15:5d:3a:7c:11");
  EXPECT_FALSE(local.remote);  // IsRemoteEndpoint absent on local endpoints
  EXPECT_EQ(local.state, 3);
  EXPECT_EQ(local.namespace_id, "2f4e6a8c-1b3d-4e5f-a7b9-c1d3e5f7a9b1");
  EXPECT_EQ(local.shared_containers.size(), 2u);
  const HnsEndpoint& remote = (*r)[1];
  EXPECT_TRUE(remote.remote);
  EXPECT_EQ(remote.state, 1);
  EXPECT_TRUE(remote.shared_containers.empty());
}

TEST(HnsEndpoints, StateNamesAreLowerSnake) {
  EXPECT_EQ(HnsEndpointStateName(3), "attached_sharing");
  EXPECT_EQ(HnsEndpointStateName(4), "detached");
  EXPECT_EQ(HnsEndpointStateName(42), "unknown_42");
}

TEST(HnsEnvelope, SuccessFalseCarriesHnsMessage) {
  auto r = ParseHnsEndpoints(R"({"Success":false,"Error":"The endpoint was not found."})",
                             "GET /endpoints/");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error(), HasSubstr("GET /endpoints/"));
  EXPECT_THAT(r.error(), HasSubstr("HNS reported failure: The endpoint was not found."));
  r = ParseHnsEndpoints(R"({"Success":false})", "GET /endpoints/");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error(), HasSubstr("without an Error message"));
}

TEST(HnsEnvelope, OutputMissingOrWrongShapeIsAnError) {
  auto r = ParseHnsEndpoints(R"({"Success":true})", "e");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error(), HasSubstr("field Output: missing"));
  r = ParseHnsEndpoints(R"({"Success":true,"Output":"x"})", "e");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error(), HasSubstr("field Output: expected an array, got string"));
  r = ParseHnsEndpoints(R"([{"ID":"x"}])", "e");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error(), HasSubstr("expected an object, got array"));
  r = ParseHnsEndpoints(R"({"Output":[]})", "e");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error(), HasSubstr("Success: missing"));
}

TEST(HnsEnvelope, NullOutputIsAnEmptyList) {
  auto r = ParseHnsEndpoints(R"({"Success":true,"Output":null})", "e");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_TRUE(r->empty());
}

TEST(HnsEndpoints, BadFieldIsNamedWithIndex) {
  auto r =
      ParseHnsEndpoints(R"({"Success":true,"Output":[{"ID":"A"},{"ID":"B","State":"3"}]})", "e");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error(), HasSubstr("Output[1].State: expected an integer, got string"));
  r = ParseHnsEndpoints(R"({"Success":true,"Output":[{"Name":"x"}]})", "e");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error(), HasSubstr("Output[0].ID: missing"));
}

TEST(HnsNetworks, MissingTypeMeansNat) {
  auto r = ParseHnsNetworks(
      R"({"Success":true,"Output":[{"ID":"9B219D6E-6847-43FC-8258-81DB4B63C09C","Name":"x",
          "Subnets":[{"AddressPrefix":"172.25.192.0/20"}]}]})",
      "n");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ((*r)[0].type, "nat");
  EXPECT_EQ((*r)[0].subnets, std::vector<std::string>{"172.25.192.0/20"});
}

TEST(HnsPolicyLists, CountsElbPoliciesOnly) {
  auto r = ParseHnsPolicyLists(R"({"Success":true,"Output":[
      {"ID":"A","Policies":[{"Type":"ELB","VIPs":["10.0.0.10"]}],"References":["/endpoints/x"]},
      {"ID":"B","Policies":[{"Type":"ROUTE"}]}]})",
                               "p");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_TRUE((*r)[0].load_balancer);
  EXPECT_FALSE((*r)[1].load_balancer);
  EXPECT_EQ((*r)[0].references, std::vector<std::string>{"/endpoints/x"});
}

TEST(HnsPolicyLists, ReadsTheFirstElbPolicysVipsProtocolAndPorts) {
  auto r =
      ParseHnsPolicyLists(testing::Fixture("hns/variants/policylists-ws2025-newer-keys.json"), "p");
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].vips, std::vector<std::string>{"10.0.0.10"});
  EXPECT_EQ((*r)[0].protocol, 6);
  EXPECT_EQ((*r)[0].internal_port, 53);
  EXPECT_EQ((*r)[0].external_port, 53);
  auto two = ParseHnsPolicyLists(R"({"Success":true,"Output":[{"ID":"A","Policies":[
      {"Type":"ROUTE","VIPs":["1.1.1.1"]},
      {"Type":"ELB","VIPs":["10.0.0.10","fd00::a"],"Protocol":17,"ExternalPort":53},
      {"Type":"ELB","VIPs":["10.0.0.99"],"Protocol":6}]}]})",
                                 "p");
  ASSERT_TRUE(two.ok()) << two.error();
  EXPECT_EQ((*two)[0].vips, (std::vector<std::string>{"10.0.0.10", "fd00::a"}));
  EXPECT_EQ((*two)[0].protocol, 17);
  EXPECT_EQ((*two)[0].internal_port, 0);
  EXPECT_EQ((*two)[0].external_port, 53);
}

TEST(HnsPolicyLists, ABadVipOrPortNamesItsPath) {
  auto vip = ParseHnsPolicyLists(
      R"({"Success":true,"Output":[{"ID":"A","Policies":[{"Type":"ELB","VIPs":["10.0.0.10",7]}]}]})",
      "HNS GET /policylists/");
  ASSERT_FALSE(vip.ok());
  EXPECT_THAT(vip.error(), ::testing::HasSubstr("HNS GET /policylists/"));
  EXPECT_THAT(vip.error(), ::testing::HasSubstr("Output[0].Policies[0].VIPs[1]"));
  auto port = ParseHnsPolicyLists(
      R"({"Success":true,"Output":[{"ID":"A","Policies":[{"Type":"ELB","ExternalPort":"x"}]}]})",
      "p");
  ASSERT_FALSE(port.ok());
  EXPECT_THAT(port.error(), ::testing::HasSubstr("Output[0].Policies[0].ExternalPort"));
}

TEST(HnsEndpointStats, ReadsCountersInsideOutput) {
  auto r = ParseHnsEndpointStats(testing::Fixture("hns/endpointstats.json"), "s");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->endpoint_id, "e3a1c7d2-4b6f-4f0e-8a9d-1c2b3d4e5f60");
  EXPECT_EQ(r->bytes_received, 48217356u);
  EXPECT_EQ(r->bytes_sent, 9183342u);
  EXPECT_EQ(r->packets_received, 61234u);
  EXPECT_EQ(r->packets_sent, 40211u);
  EXPECT_EQ(r->dropped_packets_incoming, 12u);
  EXPECT_EQ(r->dropped_packets_outgoing, 0u);
}

TEST(HnsEndpointStats, TopLevelCountersAreNotSilentZeros) {
  // windows_exporter #2378 read the counters at top level and exported zeros.
  auto r = ParseHnsEndpointStats(
      R"({"BytesReceived":1,"BytesSent":2,"PacketsReceived":3,"PacketsSent":4,
          "DroppedPacketsIncoming":0,"DroppedPacketsOutgoing":0})",
      "s");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error(), HasSubstr("Success: missing"));
  r = ParseHnsEndpointStats(R"({"Success":true,"Output":{"BytesReceived":1}})", "s");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error(), HasSubstr("Output.BytesSent: missing"));
  r = ParseHnsEndpointStats(
      R"({"Success":true,"Output":{"BytesReceived":-1,"BytesSent":2,"PacketsReceived":3,
          "PacketsSent":4,"DroppedPacketsIncoming":0,"DroppedPacketsOutgoing":0}})",
      "s");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error(), HasSubstr("BytesReceived: negative value"));
}

TEST(HnsEndpointStats, LargeCountersKeepFullPrecision) {
  auto r = ParseHnsEndpointStats(
      R"({"Success":true,"Output":{"BytesReceived":18446744073709551615,"BytesSent":2,
          "PacketsReceived":3,"PacketsSent":4,"DroppedPacketsIncoming":0,"DroppedPacketsOutgoing":0}})",
      "s");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->bytes_received, 18446744073709551615u);
}

// --- real-world variants (tests/fixtures/README.md) ---------------------------

std::string Variant(const std::string& name) { return testing::Fixture("hns/variants/" + name); }

TEST(HnsVariants, NumbersBeyondTwoToThe53AreReadExactlyOrIgnored) {
  auto eps = ParseHnsEndpoints(Variant("endpoints-big-numbers.json"), "GET /endpoints/");
  ASSERT_TRUE(eps.ok()) << eps.error();
  ASSERT_EQ(eps->size(), 1u);
  EXPECT_EQ((*eps)[0].id, "e3a1c7d2-4b6f-4f0e-8a9d-1c2b3d4e5f60");
  EXPECT_EQ((*eps)[0].state, 2);
  EXPECT_EQ((*eps)[0].mac, "00:15:5d:3a:7c:11");
  auto stats = ParseHnsEndpointStats(Variant("endpointstats-big-numbers.json"), "s");
  ASSERT_TRUE(stats.ok()) << stats.error();
  EXPECT_EQ(stats->endpoint_id, "e3a1c7d2-4b6f-4f0e-8a9d-1c2b3d4e5f60");
  EXPECT_EQ(stats->bytes_received, 133520928000000001u);  // odd: a double would round it
  EXPECT_EQ(stats->bytes_sent, 18446744073709551615u);
  EXPECT_EQ(stats->packets_received, 4294967297u);
  EXPECT_EQ(stats->packets_sent, 9007199254740992u);
  EXPECT_EQ(stats->dropped_packets_incoming, 9007199254740993u);
  auto hcn = ParseHcnEndpoint(Variant("hcn-endpoint-newer-keys-big-numbers.json"), "hcn");
  ASSERT_TRUE(hcn.ok()) << hcn.error();
  EXPECT_EQ(hcn->namespace_id, "0a1b2c3d-4e5f-4061-8273-8495a6b7c8d9");
  auto flags = ParseHcnEndpoint(R"({"ID":"a","Flags":18446744073709551615})", "hcn");
  ASSERT_TRUE(flags.ok()) << flags.error();
  EXPECT_EQ(flags->flags, 18446744073709551615u);
  EXPECT_TRUE(flags->remote());
}

TEST(HnsVariants, FailureWithoutOutputQuotesTheErrorAndTheHresult) {
  const std::string failure = Variant("failure-error-code.json");
  const std::string expect =
      "HNS GET /x/: field (top level): HNS reported failure: The specified port was not found. "
      "(HRESULT 0x803B0013)";
  EXPECT_EQ(ParseHnsEndpoints(failure, "HNS GET /x/").error(), expect);
  EXPECT_EQ(ParseHnsNetworks(failure, "HNS GET /x/").error(), expect);
  EXPECT_EQ(ParseHnsPolicyLists(failure, "HNS GET /x/").error(), expect);
  EXPECT_EQ(ParseHnsEndpointStats(failure, "HNS GET /x/").error(), expect);
  // The same HRESULT written signed, and one without a message.
  EXPECT_EQ(ParseHnsEndpoints(R"({"Success":false,"ErrorCode":-2147024894})", "e").error(),
            "e: field (top level): HNS reported failure (Success false) without an Error message "
            "(HRESULT 0x80070002)");
  EXPECT_EQ(
      ParseHnsEndpoints(R"({"Success":false,"Error":"x","ErrorCode":2147942402})", "e").error(),
      "e: field (top level): HNS reported failure: x (HRESULT 0x80070002)");
  // A code that is no HRESULT is left out; the failure is still reported.
  for (const char* code : {"4294967296", "-2147483649", "\"E_FAIL\"", "1.5", "{}"}) {
    EXPECT_EQ(ParseHnsEndpoints(
                  std::string(R"({"Success":false,"Error":"x","ErrorCode":)") + code + "}", "e")
                  .error(),
              "e: field (top level): HNS reported failure: x")
        << code;
  }
}

TEST(HnsVariants, GuidsInAnyCaseOrBracesAreNormalisedAndTheZeroGuidIsNone) {
  auto r = ParseHnsEndpoints(Variant("endpoints-guid-forms.json"), "e");
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].id, "e3a1c7d2-4b6f-4f0e-8a9d-1c2b3d4e5f60");
  EXPECT_EQ((*r)[0].namespace_id, "2f4e6a8c-1b3d-4e5f-a7b9-c1d3e5f7a9b1");
  EXPECT_EQ((*r)[0].network_id, "5b0f3c62-8e1d-4a77-9c3e-2f6a1d0b7e45");
  EXPECT_EQ((*r)[1].id, "8f109901-9970-4fda-bb2b-e9882fb3e8fb");
  EXPECT_EQ((*r)[1].raw_id, "{8F109901-9970-4fda-BB2B-e9882fb3e8fb}");  // asked back verbatim
  EXPECT_EQ((*r)[1].network_id, "5b0f3c62-8e1d-4a77-9c3e-2f6a1d0b7e45");
  // The zero GUID means "no namespace": HCN v2 is then asked (docs/hns.md).
  EXPECT_EQ((*r)[1].namespace_id, "");
  EXPECT_EQ((*r)[2].namespace_id, "");
  EXPECT_EQ((*r)[2].network_id, "");
  auto hcn = ParseHcnEndpoint(Variant("hcn-endpoint-guid-mac.json"), "hcn");
  ASSERT_TRUE(hcn.ok()) << hcn.error();
  EXPECT_EQ(hcn->id, "33333333-aaaa-4bbb-8ccc-000000000003");
  EXPECT_EQ(hcn->network_id, "62f746b4-84e6-4ceb-95bd-447e7184d454");
  EXPECT_EQ(hcn->namespace_id, "0a1b2c3d-4e5f-4061-8273-8495a6b7c8d9");
  auto zero = ParseHcnEndpoint(Variant("hcn-endpoint-zero-guid.json"), "hcn");
  ASSERT_TRUE(zero.ok()) << zero.error();
  EXPECT_EQ(zero->namespace_id, "");
  EXPECT_EQ(zero->network_id, "");
  auto stats = ParseHnsEndpointStats(
      R"({"Success":true,"Output":{"EndpointId":"00000000-0000-0000-0000-000000000000",
          "BytesReceived":1,"BytesSent":2,"PacketsReceived":3,"PacketsSent":4,
          "DroppedPacketsIncoming":0,"DroppedPacketsOutgoing":0}})",
      "s");
  ASSERT_TRUE(stats.ok()) << stats.error();
  EXPECT_EQ(stats->endpoint_id, "");
}

TEST(HnsVariants, PolicyListReferencesAreNormalisedLikeTheEndpointIds) {
  auto eps = ParseHnsEndpoints(Variant("endpoints-guid-forms.json"), "e");
  ASSERT_TRUE(eps.ok()) << eps.error();
  auto r = ParseHnsPolicyLists(Variant("policylists-guid-forms.json"), "p");
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].id, "f02e6666-5000-4e87-8e45-ed9d231be2b5");
  ASSERT_EQ((*r)[0].references.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ((*r)[0].references[i], "/endpoints/" + (*eps)[i].id) << i;
  }
}

TEST(HnsVariants, MacsInEveryFormNormaliseToOne) {
  auto r = ParseHnsEndpoints(Variant("endpoints-mac-forms.json"), "e");
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_EQ(r->size(), 6u);
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ((*r)[i].mac, "00:15:5d:3a:7c:1" + std::to_string(i + 1)) << i;
  }
  EXPECT_EQ((*r)[5].mac, "0e:2a:0a:f4:02:8d");
  auto hcn = ParseHcnEndpoint(Variant("hcn-endpoint-guid-mac.json"), "hcn");
  ASSERT_TRUE(hcn.ok()) << hcn.error();
  EXPECT_EQ(hcn->mac, "00:15:5d:e8:01:03");
}

TEST(HnsVariants, ListAnswerWithOneObjectAsOutputIsAListOfThatItem) {
  auto eps = ParseHnsEndpoints(Variant("endpoints-single-object.json"), "GET /endpoints/");
  ASSERT_TRUE(eps.ok()) << eps.error();
  ASSERT_EQ(eps->size(), 1u);
  EXPECT_EQ((*eps)[0].id, "e3a1c7d2-4b6f-4f0e-8a9d-1c2b3d4e5f60");
  EXPECT_EQ((*eps)[0].namespace_id, "2f4e6a8c-1b3d-4e5f-a7b9-c1d3e5f7a9b1");
  EXPECT_EQ((*eps)[0].shared_containers.size(), 1u);
  auto nets = ParseHnsNetworks(Variant("networks-single-object.json"), "GET /networks/");
  ASSERT_TRUE(nets.ok()) << nets.error();
  ASSERT_EQ(nets->size(), 1u);
  EXPECT_EQ((*nets)[0].subnets, std::vector<std::string>{"10.224.0.0/16"});
  // An empty object is an empty list; a bad single item is named without an index.
  auto empty = ParseHnsPolicyLists(R"({"Success":true,"Output":{}})", "p");
  ASSERT_TRUE(empty.ok()) << empty.error();
  EXPECT_TRUE(empty->empty());
  EXPECT_EQ(ParseHnsNetworks(R"({"Success":true,"Output":{"Name":"x"}})", "n").error(),
            "n: field Output.ID: missing");
  // The stats call is a single-item call: its Output stays an object.
  EXPECT_EQ(ParseHnsEndpointStats(R"({"Success":true,"Output":[]})", "s").error(),
            "s: field Output: expected an object, got array");
}

TEST(HnsVariants, UnsetMarkersReadAsAbsentAndNothingIsLost) {
  auto r = ParseHnsEndpoints(Variant("endpoints-unset-markers.json"), "e");
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_EQ(r->size(), 3u);
  for (const HnsEndpoint& e : *r) {
    EXPECT_FALSE(e.remote) << e.id;
    EXPECT_EQ(e.namespace_id, "") << e.id;
    EXPECT_TRUE(e.shared_containers.empty()) << e.id;
    EXPECT_EQ(e.mac, "") << e.id;
    EXPECT_EQ(e.network_id, "") << e.id;
    EXPECT_EQ(e.state, 0) << e.id;
    EXPECT_EQ(e.prefix_length, 0) << e.id;
  }
  EXPECT_EQ((*r)[0].ip, "10.224.0.5");
  EXPECT_EQ((*r)[0].ipv6, "");
  EXPECT_EQ((*r)[0].type, "");
  EXPECT_EQ((*r)[1].ip, "10.224.0.6");
  auto nets = ParseHnsNetworks(Variant("networks-unset-markers.json"), "n");
  ASSERT_TRUE(nets.ok()) << nets.error();
  ASSERT_EQ(nets->size(), 3u);
  EXPECT_TRUE((*nets)[0].subnets.empty());
  EXPECT_TRUE((*nets)[1].subnets.empty());
  EXPECT_EQ((*nets)[1].name, "");
  EXPECT_EQ((*nets)[2].subnets, std::vector<std::string>{"10.240.0.0/16"});
  for (const HnsNetwork& n : *nets) EXPECT_EQ(n.type, "nat") << n.id;  // HNS's zero value
  auto hcn = ParseHcnEndpoint(Variant("hcn-endpoint-unset-markers.json"), "hcn");
  ASSERT_TRUE(hcn.ok()) << hcn.error();
  EXPECT_EQ(hcn->namespace_id, "");
  EXPECT_EQ(hcn->network_id, "");
  EXPECT_EQ(hcn->flags, 0u);
  EXPECT_TRUE(hcn->ips.empty());
  EXPECT_EQ(hcn->mac, "");
  // Values that are not "unset" are still errors.
  EXPECT_THAT(
      ParseHnsEndpoints(R"({"Success":true,"Output":[{"ID":"a","Namespace":"x"}]})", "e").error(),
      HasSubstr("e: field Output[0].Namespace: expected an object, got string"));
  EXPECT_THAT(
      ParseHnsEndpoints(R"({"Success":true,"Output":[{"ID":"a","IsRemoteEndpoint":1}]})", "e")
          .error(),
      HasSubstr("e: field Output[0].IsRemoteEndpoint: expected a boolean, got number"));
}

TEST(HnsVariants, EnumTextInAnyCaseIsNormalised) {
  auto nets = ParseHnsNetworks(Variant("networks-enum-case.json"), "n");
  ASSERT_TRUE(nets.ok()) << nets.error();
  ASSERT_EQ(nets->size(), 6u);
  const char* want[] = {"l2bridge", "l2bridge", "overlay", "overlay", "nat", "nat"};
  for (size_t i = 0; i < 6; ++i) EXPECT_EQ((*nets)[i].type, want[i]) << i;
  auto eps = ParseHnsEndpoints(Variant("endpoints-enum-case.json"), "e");
  ASSERT_TRUE(eps.ok()) << eps.error();
  ASSERT_EQ(eps->size(), 4u);
  EXPECT_EQ((*eps)[0].type, "l2bridge");
  EXPECT_EQ((*eps)[1].type, "l2bridge");
  EXPECT_EQ((*eps)[2].type, "overlay");
  EXPECT_EQ((*eps)[3].type, "overlay");
  auto lbs = ParseHnsPolicyLists(Variant("policylists-enum-case.json"), "p");
  ASSERT_TRUE(lbs.ok()) << lbs.error();
  ASSERT_EQ(lbs->size(), 4u);
  EXPECT_TRUE((*lbs)[0].load_balancer);
  EXPECT_TRUE((*lbs)[1].load_balancer);
  EXPECT_TRUE((*lbs)[2].load_balancer);
  EXPECT_FALSE((*lbs)[3].load_balancer);
}

TEST(HnsVariants, NewerBuildKeysAreIgnoredAndLocalizedNamesSurvive) {
  auto eps = ParseHnsEndpoints(Variant("endpoints-ws2025-newer-keys.json"), "e");
  ASSERT_TRUE(eps.ok()) << eps.error();
  ASSERT_EQ(eps->size(), 1u);
  EXPECT_EQ((*eps)[0].namespace_id, "2f4e6a8c-1b3d-4e5f-a7b9-c1d3e5f7a9b1");
  EXPECT_EQ((*eps)[0].state, 3);
  EXPECT_EQ((*eps)[0].network_name,
            "\xc3\x9cnternetz-\xe5\xa4\x96\xe9\x83\xa8");  // "Ünternetz-外部"
  auto nets = ParseHnsNetworks(Variant("networks-ws2025-localized.json"), "n");
  ASSERT_TRUE(nets.ok()) << nets.error();
  ASSERT_EQ(nets->size(), 1u);
  EXPECT_EQ((*nets)[0].name, "\xe5\xa4\x96\xe9\x83\xa8 \xc3\xa9th\xc3\xa9rnet");  // \u escapes too
  EXPECT_EQ((*nets)[0].subnets, std::vector<std::string>{"10.224.0.0/16"});
  auto lbs = ParseHnsPolicyLists(Variant("policylists-ws2025-newer-keys.json"), "p");
  ASSERT_TRUE(lbs.ok()) << lbs.error();
  ASSERT_EQ(lbs->size(), 1u);
  EXPECT_TRUE((*lbs)[0].load_balancer);
  auto hcn = ParseHcnEndpoint(Variant("hcn-endpoint-newer-keys-big-numbers.json"), "hcn");
  ASSERT_TRUE(hcn.ok()) << hcn.error();
  EXPECT_EQ(hcn->name, "1f0d3c52-eth0");
  EXPECT_EQ(hcn->ips, std::vector<std::string>{"10.240.0.13"});
}

}  // namespace
}  // namespace winnet
