#include "collectors/adapters/adapters.h"

#include <gtest/gtest.h>

#include "tests/test_util.h"

namespace winnet {
namespace {

using ::testing::HasSubstr;

constexpr const char* kRow =
    R"json({"Alias":"vEthernet (a756b816-eth0)","Description":"Hyper-V Virtual Ethernet Adapter #3",
  "InterfaceIndex":23,"PhysicalAddress":"00-15-5D-3A-7C-11","OperStatus":1,"ReceiveLinkSpeed":100000000000,
  "TransmitLinkSpeed":100000000000,"InOctets":1000,"OutOctets":2000,"InUcastPkts":10,"InNUcastPkts":1,
  "OutUcastPkts":20,"OutNUcastPkts":2,"InDiscards":3,"InErrors":4,"OutDiscards":5,"OutErrors":6})json";

TEST(Adapters, ParsesRowsNamedAsMibIfRow2) {
  auto r = ParseAdaptersJson(std::string("[") + kRow + "]", "adapters.json");
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_EQ(r->size(), 1u);
  const AdapterRow& a = (*r)[0];
  EXPECT_EQ(a.alias, "vEthernet (a756b816-eth0)");
  EXPECT_EQ(a.interface_index, 23u);
  EXPECT_EQ(a.mac, "00:15:5d:3a:7c:11");
  EXPECT_TRUE(a.Up());
  EXPECT_EQ(a.receive_link_speed, 100000000000u);
  EXPECT_EQ(a.in_octets, 1000u);
  EXPECT_EQ(a.out_nucast_pkts, 2u);
  EXPECT_EQ(a.out_errors, 6u);
}

TEST(Adapters, RoundTripsThroughTheCaptureWriter) {
  auto r = ParseAdaptersJson(std::string("[") + kRow + "]", "a");
  ASSERT_TRUE(r.ok());
  auto again = ParseAdaptersJson(AdaptersToJson(*r), "b");
  ASSERT_TRUE(again.ok()) << again.error();
  EXPECT_EQ((*again)[0].mac, (*r)[0].mac);
  EXPECT_EQ((*again)[0].in_discards, 3u);
}

TEST(Adapters, MissingCounterIsAnErrorNotZero) {
  auto r = ParseAdaptersJson(R"([{"Alias":"x","InOctets":1}])", "adapters.json");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error(), HasSubstr("adapters.json: field [0].OutOctets: missing"));
  r = ParseAdaptersJson(R"({"Alias":"x"})", "adapters.json");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error(), HasSubstr("expected an array, got object"));
  r = ParseAdaptersJson(R"([{"Alias":"x","PhysicalAddress":"nope"}])", "adapters.json");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error(), HasSubstr("PhysicalAddress: \"nope\" is not a MAC address"));
}

}  // namespace
}  // namespace winnet
