#include "collectors/common/netaddr.h"

#include <gtest/gtest.h>

#include "collectors/common/ip_address.h"

namespace winnet {
namespace {

TEST(Base64, DecodesGoMasksOfEveryDocumentedLength) {
  struct Case {
    const char* b64;
    int prefix;
  } cases[] = {{"AAAAAA==", 0},
               {"/wAAAA==", 8},
               {"//AAAA==", 12},
               {"//8AAA==", 16},
               {"///wAA==", 20},
               {"///8AA==", 22},
               {"///+AA==", 23},
               {"////AA==", 24},
               {"////wA==", 26},
               {"////8A==", 28},
               {"/////w==", 32},
               {"//////////8AAAAAAAAAAA==", 64},
               {"////////////////////AA==", 120},
               {"/////////////////////w==", 128}};
  for (const auto& c : cases) {
    auto bytes = DecodeBase64(c.b64);
    ASSERT_TRUE(bytes) << c.b64;
    EXPECT_EQ(MaskPrefixLength(*bytes), c.prefix) << c.b64;
  }
}

TEST(Base64, RejectsInvalidText) {
  EXPECT_FALSE(DecodeBase64("ff.ff"));
  EXPECT_FALSE(DecodeBase64("A"));
  EXPECT_FALSE(DecodeBase64("ffffff00 "));
}

TEST(Mask, NonContiguousIsRejected) { EXPECT_FALSE(MaskPrefixLength({0xff, 0x00, 0xff, 0x00})); }

TEST(Mac, Base64HyperVMacFromTheRealWindowsSample) {
  // acs-engine #3389: "MacAddress": "ABVd29ND" is 00:15:5d:db:d3:43.
  auto bytes = DecodeBase64("ABVd29ND");
  ASSERT_TRUE(bytes);
  EXPECT_EQ(FormatMac(*bytes), "00:15:5d:db:d3:43");
}

TEST(Mac, NormalisesHnsDashFormInAnyCase) {
  EXPECT_EQ(NormalizeMacText("00-15-5D-DB-D3-43"), "00:15:5d:db:d3:43");
  EXPECT_EQ(NormalizeMacText("0E-2A-0a-f4-02-8d"), "0e:2a:0a:f4:02:8d");
  EXPECT_EQ(NormalizeMacText("00:15:5d:db:d3:43"), "00:15:5d:db:d3:43");
  EXPECT_FALSE(NormalizeMacText("00-15-5D-DB-D3-4"));
  EXPECT_FALSE(NormalizeMacText("zz-15-5D-DB-D3-43"));
  EXPECT_FALSE(NormalizeMacText(""));
}

TEST(Guid, ComparesCaseInsensitivelyAfterNormalising) {
  EXPECT_EQ(NormalizeGuid("E3A1C7D2-4B6F-4F0E-8A9D-1C2B3D4E5F60"),
            NormalizeGuid("e3a1c7d2-4b6f-4f0e-8a9d-1c2b3d4e5f60"));
  EXPECT_EQ(NormalizeGuid("{6B1F2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D}"),
            "6b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
}

TEST(Guid, RecognisesTheDashedFormOnly) {
  EXPECT_TRUE(IsGuid("6b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"));
  EXPECT_TRUE(IsGuid("6B1F2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D"));
  for (const char* bad :
       {"", "host", "{6b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d}", "6b1f2c3d4e5f4a6b8c7d9e0f1a2b3c4d",
        "6b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4g", "6b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d0"}) {
    EXPECT_FALSE(IsGuid(bad)) << bad;
  }
}

TEST(LowerAscii, ChangesAsciiLettersOnly) {
  EXPECT_EQ(LowerAscii("L2Bridge A756B816"), "l2bridge a756b816");
  EXPECT_EQ(LowerAscii("v\xc3\x89th"), "v\xc3\x89th");  // UTF-8 bytes untouched
}

TEST(Rfc3339, ParsesZuluAndOffsetsWithFractions) {
  EXPECT_DOUBLE_EQ(*ParseRfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_DOUBLE_EQ(*ParseRfc3339("2025-03-14T09:26:53Z"), 1741944413);
  EXPECT_NEAR(*ParseRfc3339("2025-03-14T09:26:53.1234567Z"), 1741944413.1234567, 1e-6);
  // The +05:30 offset seen in a real Linux file (ACN #396): same instant as 03:56:53Z.
  EXPECT_DOUBLE_EQ(*ParseRfc3339("2025-03-14T09:26:53+05:30"), 1741944413 - 5.5 * 3600);
  EXPECT_DOUBLE_EQ(*ParseRfc3339("2025-03-14T09:26:53-08:00"), 1741944413 + 8 * 3600);
  // Go's zero time.
  EXPECT_DOUBLE_EQ(*ParseRfc3339("0001-01-01T00:00:00Z"), -62135596800);
}

TEST(Rfc3339, FormatsUtcSecondsAndParsesBackToTheSameInstant) {
  EXPECT_EQ(FormatRfc3339Utc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339Utc(1741944413), "2025-03-14T09:26:53Z");
  EXPECT_EQ(FormatRfc3339Utc(951782400), "2000-02-29T00:00:00Z");  // a leap day of a 400 year
  EXPECT_EQ(FormatRfc3339Utc(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(FormatRfc3339Utc(-62135596800), "0001-01-01T00:00:00Z");
  // One instant every 37 days and an hour from year 1 to 9999, both ways.
  for (int64_t t = -62135596800 + 86399; t < 253402300799; t += 86400 * 37 + 3600) {
    EXPECT_DOUBLE_EQ(*ParseRfc3339(FormatRfc3339Utc(t)), static_cast<double>(t)) << t;
  }
}

TEST(Rfc3339, RejectsMalformedTimes) {
  EXPECT_FALSE(ParseRfc3339(""));
  EXPECT_FALSE(ParseRfc3339("2025-03-14 09:26"));
  EXPECT_FALSE(ParseRfc3339("2025-03-14T09:26:53"));  // no zone
  EXPECT_FALSE(ParseRfc3339("2025-13-14T09:26:53Z"));
  EXPECT_FALSE(ParseRfc3339("2025-03-14T09:26:53.Z"));
  EXPECT_FALSE(ParseRfc3339("2025-03-14T09:26:53+0530"));
  EXPECT_FALSE(ParseRfc3339("2025-03-14T09:26:53Zjunk"));
}

// Real-world variants (tests/fixtures/README.md). The Netaddr prefix puts them
// in the CTest selection of the parsers.

TEST(NetaddrVariants, Rfc3339RefusesDaysPastTheEndOfTheMonth) {
  EXPECT_FALSE(ParseRfc3339("2025-02-31T09:26:53Z"));
  EXPECT_FALSE(ParseRfc3339("2025-02-29T00:00:00Z"));  // not a leap year
  EXPECT_FALSE(ParseRfc3339("1900-02-29T00:00:00Z"));  // centuries are not, ...
  EXPECT_FALSE(ParseRfc3339("2025-04-31T00:00:00Z"));
  EXPECT_FALSE(ParseRfc3339("2025-03-00T00:00:00Z"));
  EXPECT_FALSE(ParseRfc3339("2025-03-14T24:00:00Z"));
  EXPECT_FALSE(ParseRfc3339("2025-03-14T09:26:53+24:00"));
  EXPECT_DOUBLE_EQ(*ParseRfc3339("2024-02-29T00:00:00Z"), 1709164800);
  EXPECT_DOUBLE_EQ(*ParseRfc3339("2000-02-29T00:00:00Z"), 951782400);  // ... but 2000 is
  EXPECT_DOUBLE_EQ(*ParseRfc3339("2025-01-31T23:59:59Z"), 1738367999);
}

TEST(NetaddrVariants, Rfc3339RefusesSecond60) {
  EXPECT_FALSE(ParseRfc3339("2016-12-31T23:59:60Z"));
  EXPECT_FALSE(ParseRfc3339("2016-12-31T23:59:60.5+00:00"));
  EXPECT_DOUBLE_EQ(*ParseRfc3339("2016-12-31T23:59:59Z"), 1483228799);
}

TEST(NetaddrVariants, MacTextInEveryRealFormNormalisesToOne) {
  for (const char* text : {"00-15-5D-3A-7C-11", "00-15-5d-3a-7c-11", "00-15-5D-3a-7C-11",
                           "00:15:5d:3a:7c:11", "00:15:5D:3A:7C:11", "00155D3A7C11"}) {
    EXPECT_EQ(NormalizeMacText(text), "00:15:5d:3a:7c:11") << text;
  }
}

TEST(NetaddrVariants, GuidInBracesAndAnyCaseNormalisesToOne) {
  for (const char* text :
       {"8F109901-9970-4FDA-BB2B-E9882FB3E8FB", "8f109901-9970-4fda-bb2b-e9882fb3e8fb",
        "{8F109901-9970-4fda-BB2B-e9882fb3e8fb}"}) {
    EXPECT_EQ(NormalizeGuid(text), "8f109901-9970-4fda-bb2b-e9882fb3e8fb") << text;
    EXPECT_TRUE(IsGuid(NormalizeGuid(text))) << text;
  }
}

TEST(Ipv4, RecognisesDottedQuads) {
  EXPECT_TRUE(IsIpv4("10.240.0.66"));
  EXPECT_FALSE(IsIpv4("10.240.0"));
  EXPECT_FALSE(IsIpv4("10.240.0.256"));
  EXPECT_FALSE(IsIpv4("fd00::1"));
  EXPECT_FALSE(IsIpv4("10.240.0.66."));
}

TEST(CanonicalIp, OneSpellingPerAddress) {
  struct Case {
    const char* in;
    const char* out;
  } cases[] = {{"10.240.0.67", "10.240.0.67"},
               {"010.240.000.067", "10.240.0.67"},
               {"FD00:0:0::1", "fd00::1"},
               {"fd00::0001", "fd00::1"},
               {"fd00:0:0:0:0:0:0:1", "fd00::1"},
               {"::", "::"},
               {"::1", "::1"},
               {"fe80::", "fe80::"},
               {"1:0:0:2:0:0:0:3", "1:0:0:2::3"},
               {"1:0:0:2:0:0:3:4", "1::2:0:0:3:4"},
               {"1:2:3:4:5:6:7:0", "1:2:3:4:5:6:7:0"},
               {"::ffff:10.0.0.1", "::ffff:a00:1"},
               {"", ""},
               {"not an ip", "not an ip"},
               {"10.0.0.256", "10.0.0.256"},
               {"1::2::3", "1::2::3"},
               {"1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8:9"},
               {"12345::1", "12345::1"}};
  for (const auto& c : cases) EXPECT_EQ(CanonicalIp(c.in), c.out) << c.in;
}

}  // namespace
}  // namespace winnet
