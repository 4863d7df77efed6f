#include "collectors/hns/hns_v1.h"

#include <gtest/gtest.h>

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
  r = ParseHnsEndpoints(R"({"Success":true,"Output":{"ID":"x"}})", "e");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error(), HasSubstr("field Output: expected an array, got object"));
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
  EXPECT_EQ((*r)[0].type, "NAT");
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

}  // namespace
}  // namespace winnet
