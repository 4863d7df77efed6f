#include "collectors/ipam/ipam_state.h"

#include <gtest/gtest.h>

#include "exporter/join.h"
#include "exporter/render.h"
#include "tests/test_util.h"

namespace winnet {
namespace {

using ::testing::HasSubstr;

TEST(IpamState, ParsesTheSchemaExactWindowsExample) {
  auto r =
      ParseIpamState(testing::Fixture("ipam/windows-node-subnet.json"), "azure-vnet-ipam.json");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_TRUE(r->present);
  EXPECT_EQ(r->version, "v1.6.21");
  EXPECT_NEAR(*r->timestamp, 1741944413.1234567, 1e-6);
  ASSERT_EQ(r->pools.size(), 1u);
  const IpamPool& p = r->pools[0];
  EXPECT_EQ(p.address_space, "local");
  EXPECT_EQ(p.cidr, "10.224.0.0/16");
  EXPECT_EQ(p.if_name, "vEthernet (Ethernet 2)");
  EXPECT_EQ(p.subnet_ip, "10.224.0.0");
  EXPECT_EQ(p.prefix_length, 16);
  EXPECT_EQ(p.gateway, "10.224.0.1");
  EXPECT_FALSE(p.is_ipv6);
  EXPECT_EQ(p.ref_count, 1);
  EXPECT_EQ(p.Capacity(), 6u);
  EXPECT_EQ(p.Allocated(), 2u);
  // Only the allocated addresses are kept; free ones are counted.
  ASSERT_EQ(p.in_use.size(), 2u);
  EXPECT_EQ(p.in_use[0].ip, "10.224.0.5");
  EXPECT_EQ(p.in_use[0].id, "a756b816907386b045dbb706c14aa09f5a4e27850dda050b3a0e82eb321e33c6");
  EXPECT_EQ(p.in_use[1].ip, "10.224.0.6");
}

TEST(IpamState, SeveralSpacesAndPoolsIncludingIpv6AndAnOffsetTimestamp) {
  auto r = ParseIpamState(testing::Fixture("ipam/two-pools-ipv6-offset.json"), "f.json");
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_EQ(r->pools.size(), 2u);
  EXPECT_EQ(r->pools[0].cidr, "10.240.0.0/12");
  EXPECT_EQ(r->pools[0].prefix_length, 12);
  EXPECT_EQ(r->pools[0].priority, 0);
  EXPECT_EQ(r->pools[1].cidr, "fd00:10:244::/120");
  EXPECT_TRUE(r->pools[1].is_ipv6);
  EXPECT_EQ(r->pools[1].prefix_length, 120);
  EXPECT_EQ(r->pools[1].priority, 1);
  // "+05:30": 2019-06-10T14:21:33.6185387+05:30 is 08:51:33.6185387Z.
  EXPECT_NEAR(*r->timestamp, 1560156693.6185387, 1e-6);
  // Pre-v1.1.8 allocation: InUse with an empty ID.
  ASSERT_FALSE(r->pools[0].in_use.empty());
  EXPECT_EQ(r->pools[0].in_use[0].ip, "10.240.0.37");
  EXPECT_EQ(r->pools[0].in_use[0].id, "");
}

TEST(IpamState, AbsentOrEmptyMeansNoState) {
  for (const char* text : {"", "  \n\t"}) {
    auto r = ParseIpamState(text, "azure-vnet-ipam.json");
    ASSERT_TRUE(r.ok()) << r.error();
    EXPECT_FALSE(r->present);
    EXPECT_TRUE(r->pools.empty());
  }
}

TEST(IpamState, NullPoolsAndAddressesAreEmpty) {
  auto r = ParseIpamState(R"({"IPAM":{"Version":"v1.4.59","TimeStamp":"0001-01-01T00:00:00Z",
      "AddressSpaces":{"local":{"Id":"local","Scope":0,"Pools":null}}}})",
                          "f.json");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_TRUE(r->present);
  EXPECT_TRUE(r->pools.empty());
}

// --- real-world variants (tests/fixtures/README.md) ---------------------------

std::string RenderedIpam(const IpamState& ipam) {
  NodeInputs in;
  in.ipam = &ipam;
  NodeSnapshot snap;
  BuildSnapshot(in, &snap);
  return RenderText(SnapshotToFamilies(snap));
}

TEST(IpamVariants, GoZeroTimeIsUnknownAndRendersNoTimestampSample) {
  auto r =
      ParseIpamState(testing::Fixture("ipam/variant-go-zero-time.json"), "azure-vnet-ipam.json");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_TRUE(r->present);
  EXPECT_FALSE(r->timestamp) << *r->timestamp;
  EXPECT_EQ(r->timestamp_text, "0001-01-01T00:00:00Z");
  ASSERT_EQ(r->pools.size(), 1u);
  EXPECT_EQ(r->pools[0].Allocated(), 1u);
  const std::string text = RenderedIpam(*r);
  EXPECT_THAT(text, HasSubstr("winnet_ipam_pool_allocated_ips{subnet=\"10.224.0.0/16\"} 1"));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("winnet_ipam_state_timestamp_seconds")));
  // A real time still renders.
  auto real = ParseIpamState(testing::Fixture("ipam/windows-node-subnet.json"), "f.json");
  ASSERT_TRUE(real.ok()) << real.error();
  EXPECT_THAT(RenderedIpam(*real),
              HasSubstr("winnet_ipam_state_timestamp_seconds 1741944413.1234567"));
}

TEST(IpamVariants, DayPastTheEndOfTheMonthIsRefusedNamingTheField) {
  auto r =
      ParseIpamState(testing::Fixture("ipam/variant-feb-31.json"), "C:\\k\\azure-vnet-ipam.json");
  ASSERT_FALSE(r.ok()) << "parsed as " << *r->timestamp;
  EXPECT_EQ(r.error(),
            "C:\\k\\azure-vnet-ipam.json: field IPAM.TimeStamp: \"2025-02-31T09:26:53.1234567Z\" "
            "has day 31, but February 2025 has 28 days");
}

TEST(IpamVariants, LeapSecondIsRefusedNamingTheField) {
  auto r =
      ParseIpamState(testing::Fixture("ipam/variant-leap-second.json"), "azure-vnet-ipam.json");
  ASSERT_FALSE(r.ok()) << "parsed as " << *r->timestamp;
  EXPECT_EQ(r.error(),
            "azure-vnet-ipam.json: field IPAM.TimeStamp: \"2016-12-31T23:59:60Z\" has second 60 "
            "(a leap second); seconds go up to 59");
}

TEST(IpamVariants, UnsetMarkersReadAsAbsentAndNothingIsLost) {
  auto r = ParseIpamState(testing::Fixture("ipam/variant-unset-markers.json"), "f.json");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_TRUE(r->present);
  EXPECT_FALSE(r->timestamp);  // "TimeStamp": 0
  ASSERT_EQ(r->pools.size(), 3u);
  const IpamPool& p = r->pools[0];
  EXPECT_EQ(p.if_name, "");
  EXPECT_EQ(p.prefix_length, 16);
  EXPECT_FALSE(p.is_ipv6);
  EXPECT_EQ(p.priority, 0);
  EXPECT_EQ(p.ref_count, 0);
  EXPECT_EQ(p.Capacity(), 3u);
  ASSERT_EQ(p.Allocated(), 1u);  // "InUse": 0 and "InUse": "" are free
  EXPECT_EQ(p.in_use[0].id, "a756b816907386b045dbb706c14aa09f5a4e27850dda050b3a0e82eb321e33c6");
  for (size_t i : {1u, 2u}) {
    EXPECT_EQ(r->pools[i].Capacity(), 0u) << i;
    EXPECT_EQ(r->pools[i].subnet_ip, "") << i;
    EXPECT_FALSE(r->pools[i].prefix_length) << i;
    EXPECT_EQ(r->pools[i].gateway, "") << i;
  }
}

TEST(IpamVariants, NewerKeysAreIgnoredAndLocalizedNamesSurvive) {
  auto r = ParseIpamState(testing::Fixture("ipam/variant-newer-keys-localized.json"), "f.json");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->version, "v1.6.30");
  EXPECT_NEAR(*r->timestamp, 1762067700.5, 1e-6);  // 07:15:00.5Z
  ASSERT_EQ(r->pools.size(), 1u);
  EXPECT_EQ(r->pools[0].if_name, "vEthernet (\xe4\xbb\xa5\xe5\xa4\xaa\xe7\xbd\x91 2)");
  EXPECT_EQ(r->pools[0].prefix_length, 16);
  ASSERT_EQ(r->pools[0].Allocated(), 1u);
  EXPECT_EQ(r->pools[0].in_use[0].ip, "10.224.0.5");
}

TEST(IpamVariants, EmptyOrWhitespaceFileIsNoStateButAllNulIsAnErrorNamingTheFile) {
  for (const char* name : {"ipam/variant-empty.json", "ipam/variant-whitespace.json"}) {
    auto r = ParseIpamState(testing::Fixture(name), "azure-vnet-ipam.json");
    ASSERT_TRUE(r.ok()) << name << ": " << r.error();
    EXPECT_FALSE(r->present) << name;
  }
  const std::string nul = testing::Fixture("ipam/variant-all-nul.json");
  ASSERT_EQ(nul, std::string(512, '\0'));
  auto r = ParseIpamState(nul, "C:\\k\\azure-vnet-ipam.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(),
            "C:\\k\\azure-vnet-ipam.json: only NUL bytes (512 of 512 bytes): a save cut short "
            "left the file unwritten; no state can be read from it");
  // NUL bytes mixed with whitespace are the same case.
  r = ParseIpamState(std::string("\0\0\n\0 ", 5), "f.json");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error(), HasSubstr("f.json: only NUL bytes (3 of 5 bytes, the rest whitespace)"));
}

struct BadCase {
  const char* name;
  const char* text;
  const char* expect;
};

void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name; }

class IpamStateErrors : public ::testing::TestWithParam<BadCase> {};

TEST_P(IpamStateErrors, NameFileFieldAndProblem) {
  auto r = ParseIpamState(GetParam().text, "C:\\k\\azure-vnet-ipam.json");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error(), HasSubstr("C:\\k\\azure-vnet-ipam.json"));
  EXPECT_THAT(r.error(), HasSubstr(GetParam().expect));
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, IpamStateErrors,
    ::testing::Values(
        BadCase{"truncated", R"({"IPAM": {"Version": "v1.5.35", "AddressSp)", "invalid JSON"},
        BadCase{"no_wrapper", R"({"AddressSpaces": {}})", "field IPAM: missing"},
        BadCase{"top_array", R"([1,2])", "expected an object, got array"},
        BadCase{
            "inuse_string",
            R"({"IPAM":{"AddressSpaces":{"local":{"Pools":{"10.0.0.0/24":{"Addresses":
                   {"10.0.0.5":{"ID":"","Addr":"10.0.0.5","InUse":"true"}}}}}}}})",
            R"(IPAM.AddressSpaces.local.Pools["10.0.0.0/24"].Addresses["10.0.0.5"].InUse: expected a boolean, got string)"},
        BadCase{"hex_mask",
                R"({"IPAM":{"AddressSpaces":{"local":{"Pools":{"10.0.0.0/24":{"Subnet":
                   {"IP":"10.0.0.0","Mask":"ffffff00."}}}}}}})",
                "Mask: \"ffffff00.\" is not base64"},
        BadCase{"gappy_mask",
                R"({"IPAM":{"AddressSpaces":{"local":{"Pools":{"10.0.0.0/24":{"Subnet":
                   {"IP":"10.0.0.0","Mask":"/wD/AA=="}}}}}}})",
                "not a contiguous network mask"},
        BadCase{"bad_time", R"({"IPAM":{"TimeStamp":"yesterday"}})",
                "IPAM.TimeStamp: \"yesterday\" is not an RFC 3339 time"},
        BadCase{"addr_mismatch",
                R"({"IPAM":{"AddressSpaces":{"local":{"Pools":{"p":{"Addresses":
                   {"10.0.0.5":{"Addr":"10.0.0.6","InUse":false}}}}}}}})",
                "differs from its key"},
        BadCase{"priority_float",
                R"({"IPAM":{"AddressSpaces":{"local":{"Pools":{"p":{"Priority":1.5}}}}}})",
                "Priority: expected an integer, got number"},
        BadCase{"deep",
                "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
                "nested deeper than 64"}),
    [](const ::testing::TestParamInfo<BadCase>& info) { return info.param.name; });

}  // namespace
}  // namespace winnet
