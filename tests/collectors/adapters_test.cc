#include "collectors/adapters/adapters.h"

#include <gtest/gtest.h>

#include <fstream>

#include "collectors/adapters/adapter_source.h"
#include "collectors/registry.h"
#include "tests/temp_dir.h"
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

// Two interfaces with one alias: each is named by its own interface index,
// whichever comes first in the table, so its series never jumps to the other.
TEST(Adapters, SharedAliasesAreToldApartByTheirOwnIndexWhateverTheOrder) {
  auto row = [](std::string alias, uint32_t index) {
    AdapterRow r;
    r.alias = std::move(alias);
    r.interface_index = index;
    return r;
  };
  std::vector<AdapterRow> a = {row("Ethernet", 4), row("vEthernet (x)", 9), row("Ethernet", 12)};
  std::vector<AdapterRow> b = {row("Ethernet", 12), row("vEthernet (x)", 9), row("Ethernet", 4)};
  DisambiguateAliases(a);
  DisambiguateAliases(b);
  EXPECT_EQ(a[0].alias, "Ethernet [ifindex 4]");
  EXPECT_EQ(a[1].alias, "vEthernet (x)");  // unique: unchanged
  EXPECT_EQ(a[2].alias, "Ethernet [ifindex 12]");
  EXPECT_EQ(b[0].alias, "Ethernet [ifindex 12]");
  EXPECT_EQ(b[2].alias, "Ethernet [ifindex 4]");
}

// A capture holds the raw rows, duplicates included; its replay names them as
// live mode does.
TEST(Adapters, ReplayOfRawRowsWithASharedAliasNamesEachByItsIndex) {
  testing::TempDir dir;
  std::ofstream(dir.path() + "/adapters.json")
      << R"([{"Alias":"Ethernet","InterfaceIndex":12,"InOctets":1,"OutOctets":0,"InUcastPkts":0,)"
         R"("InNUcastPkts":0,"OutUcastPkts":0,"OutNUcastPkts":0,"InDiscards":0,"InErrors":0,)"
         R"("OutDiscards":0,"OutErrors":0},)"
         R"({"Alias":"Ethernet","InterfaceIndex":4,"InOctets":2,"OutOctets":0,"InUcastPkts":0,)"
         R"("InNUcastPkts":0,"OutUcastPkts":0,"OutNUcastPkts":0,"InDiscards":0,"InErrors":0,)"
         R"("OutDiscards":0,"OutErrors":0}])";
  auto sources = MakeReplaySources(dir.path());
  ASSERT_TRUE(sources.ok()) << sources.error();
  auto rows = ReadOnce(*sources, kAdaptersSource);
  ASSERT_TRUE(rows.ok()) << rows.error();
  ASSERT_EQ((*rows)->size(), 2u);
  EXPECT_EQ((**rows)[0].alias, "Ethernet [ifindex 12]");
  EXPECT_EQ((**rows)[0].in_octets, 1u);
  EXPECT_EQ((**rows)[1].alias, "Ethernet [ifindex 4]");
}

}  // namespace
}  // namespace winnet
