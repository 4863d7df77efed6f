#include "collectors/ipam/ipam_state.h"

#include <gtest/gtest.h>

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
