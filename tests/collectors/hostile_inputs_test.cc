// Hostile inputs, first to every parser, then through a replay capture to the
// poller and the HTTP server: every one must give an error that names the file
// and the problem; the exporter keeps serving, the source reports failure, its
// last good data stays (stale), and one log line tells the story.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/adapters/adapters.h"
#include "collectors/cni/cni_state.h"
#include "collectors/cni_conflist/conflist.h"
#include "collectors/cns/cns_endpoints.h"
#include "collectors/cns/cns_state.h"
#include "collectors/common/file_io.h"
#include "collectors/common/netaddr.h"
#include "collectors/hns/hns_v1.h"
#include "collectors/hns_service/hns_service.h"
#include "collectors/ipam/ipam_state.h"
#include "collectors/registry.h"
#include "exporter/http_server.h"
#include "exporter/poller.h"
#include "tests/http_client.h"
#include "tests/log_capture.h"
#include "tests/temp_dir.h"
#include "tests/test_util.h"

namespace winnet {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

enum class Kind {
  kIpam,
  kCni,
  kHnsEndpoints,
  kHnsNetworks,
  kHnsPolicyLists,
  kHnsStats,
  kAdapters,
  kHnsService,
  kConflist,
  kCnsState,
  kCnsEndpoints
};

constexpr Kind kAllKinds[] = {
    Kind::kIpam,           Kind::kCni,      Kind::kHnsEndpoints, Kind::kHnsNetworks,
    Kind::kHnsPolicyLists, Kind::kHnsStats, Kind::kAdapters,     Kind::kHnsService,
    Kind::kConflist,       Kind::kCnsState, Kind::kCnsEndpoints};

constexpr const char* kStatsFile = "hns/endpointstats/2CCD5F71-12FC-4E59-B1E9-F4FD46B1F9D2.json";

// The example capture's file for each parser.
std::string CaptureFile(Kind k) {
  switch (k) {
    case Kind::kIpam: return "azure-vnet-ipam.json";
    case Kind::kCni: return "azure-vnet.json";
    case Kind::kHnsEndpoints: return "hns/endpoints.json";
    case Kind::kHnsNetworks: return "hns/networks.json";
    case Kind::kHnsPolicyLists: return "hns/policylists.json";
    case Kind::kHnsStats: return kStatsFile;
    case Kind::kAdapters: return "adapters.json";
    case Kind::kHnsService: return "hns/service.json";
    case Kind::kConflist: return "10-azure.conflist";
    // The node-subnet example has no CNS files: the overlay example's and a fixture's.
    case Kind::kCnsState: return "../aks-windows-overlay-node/azure-cns.json";
    case Kind::kCnsEndpoints: return "../../tests/fixtures/cns-stateless/azure-endpoints.json";
  }
  return "";
}

std::string Example(Kind k) {
  return testing::ReadFileOrDie(testing::ExampleDir() + "/" + CaptureFile(k));
}

// "" when `text` parses as `k`, else the error.
std::string ParseError(Kind k, std::string_view text, std::string_view file) {
  auto err = [](const auto& r) { return r.ok() ? std::string() : r.error(); };
  switch (k) {
    case Kind::kIpam: return err(ParseIpamState(text, file));
    case Kind::kCni: return err(ParseCniState(text, file));
    case Kind::kHnsEndpoints: return err(ParseHnsEndpoints(text, file));
    case Kind::kHnsNetworks: return err(ParseHnsNetworks(text, file));
    case Kind::kHnsPolicyLists: return err(ParseHnsPolicyLists(text, file));
    case Kind::kHnsStats: return err(ParseHnsEndpointStats(text, file));
    case Kind::kAdapters: return err(ParseAdaptersJson(text, file));
    case Kind::kHnsService: return err(ParseHnsServiceJson(text, file));
    case Kind::kConflist: return err(ParseCniConflist(text, file));
    case Kind::kCnsState: return err(ParseCnsState(text, file));
    case Kind::kCnsEndpoints: return err(ParseCnsEndpoints(text, file));
  }
  return "unknown kind";
}

// `text` with the first `from` replaced by `to`; fails the test when absent.
std::string Replace(std::string text, std::string_view from, std::string_view to) {
  auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "\"" << from << "\" not in the text";
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

bool PrintableAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) return false;
  }
  return true;
}

// --- parsers ----------------------------------------------------------------

TEST(HostileParse, ExampleFilesParse) {
  for (Kind k : kAllKinds) {
    EXPECT_EQ(ParseError(k, Example(k), CaptureFile(k)), "") << CaptureFile(k);
  }
}

TEST(HostileParse, EmptyStateFileIsNoStateButEmptyHnsOrAdaptersIsAnError) {
  for (std::string_view blank : {"", " \r\n\t "}) {
    for (Kind k : {Kind::kConflist, Kind::kCnsState, Kind::kCnsEndpoints}) {
      EXPECT_EQ(ParseError(k, blank, "F.json"), "");  // no state, not an error
    }
    auto ipam = ParseIpamState(blank, "azure-vnet-ipam.json");
    ASSERT_TRUE(ipam.ok());
    EXPECT_FALSE(ipam->present);
    auto cni = ParseCniState(blank, "azure-vnet.json");
    ASSERT_TRUE(cni.ok());
    EXPECT_FALSE(cni->present);
    for (Kind k : {Kind::kHnsEndpoints, Kind::kHnsNetworks, Kind::kHnsPolicyLists, Kind::kHnsStats,
                   Kind::kAdapters, Kind::kHnsService}) {
      std::string e = ParseError(k, blank, "F.json");
      EXPECT_THAT(e, HasSubstr("F.json: invalid JSON: "));
      EXPECT_THAT(e, HasSubstr("unexpected end of input"));
    }
  }
}

TEST(HostileParse, EveryTruncationOfEveryExampleFileIsAnErrorNamingTheFile) {
  for (Kind k : kAllKinds) {
    std::string text = Example(k);
    size_t end = text.find_last_not_of(" \t\r\n") + 1;
    size_t step = std::max<size_t>(1, end / 1500);
    int tried = 0;
    for (size_t cut = 1; cut < end; cut += step, ++tried) {
      std::string e = ParseError(k, std::string_view(text).substr(0, cut), "X/state.json");
      ASSERT_THAT(e, HasSubstr("X/state.json: invalid JSON: "))
          << CaptureFile(k) << " cut at " << cut;
    }
    EXPECT_GT(tried, 100);
  }
  // Mid-number, mid-literal, mid-string, mid-escape.
  for (std::string_view t : {R"({"IPAM":{"AddressSpaces":{"local":{"Pools":{"p":{"Priority":12)",
                             R"({"IPAM":{"AddressSpaces":{"local":{"Pools":{"p":{"IsIPv6":fal)",
                             R"({"IPAM":{"Version":"v1.5)", R"({"IPAM":{"Version":"v1\u00)"}) {
    EXPECT_THAT(ParseError(Kind::kIpam, t, "ipam.json"), HasSubstr("ipam.json: invalid JSON: "));
  }
}

TEST(HostileParse, WrongTypeInOneFieldOfAValidFileNamesThePath) {
  struct Case {
    Kind kind;
    std::string_view from, to, expect;
  };
  const Case cases[] = {
      {Kind::kIpam, R"("InUse": true)", R"("InUse": 1)",
       R"(field IPAM.AddressSpaces.local.Pools["10.240.0.0/16"].Addresses["10.240.0.67"].InUse: expected a boolean, got number)"},
      {Kind::kCni, R"("HnsId": "62f746b4-84e6-4ceb-95bd-447e7184d454")", R"("HnsId": ["x"])",
       R"x(field Network.ExternalInterfaces["vEthernet (Ethernet 2)"].Networks.azure.HnsId: expected a string, got array)x"},
      {Kind::kHnsEndpoints, R"("State":3,"Type")", R"("State":"3","Type")",
       "field Output[0].State: expected an integer, got string"},
      {Kind::kHnsNetworks, R"("Type":"nat")", R"("Type":false)",
       "field Output[0].Type: expected a string, got boolean"},
      {Kind::kHnsPolicyLists, R"("ID":"F02E6666-5000-4E87-8E45-ED9D231BE2B5")", R"("ID":{})",
       "field Output[0].ID: expected a string, got object"},
      {Kind::kHnsStats, R"("BytesSent":3921877203)", R"("BytesSent":"3921877203")",
       "field Output.BytesSent: expected a number, got string"},
      {Kind::kAdapters, R"("InOctets": 0)", R"("InOctets": true)",
       "field [0].InOctets: expected a number, got boolean"},
      {Kind::kHnsService, R"("Threads": 41)", R"("Threads": [41])",
       "field Threads: expected a number, got array"},
      {Kind::kConflist, R"("type": "azure-vnet-ipam")", R"("type": 5)",
       "field plugins[0].ipam.type: expected a string, got number"},
      {Kind::kCnsState, R"("NetworkContainerType": "Docker")", R"("NetworkContainerType": 1)",
       "field ContainerNetworkService.ContainerStatus.a6c5f2d8-3b1e-4f7a-9c2d-5e8b1a4c7f30."
       "CreateNetworkContainerRequest.NetworkContainerType: expected a string, got number"},
      {Kind::kCnsEndpoints, R"("PodName": "cart-0")", R"("PodName": ["x"])",
       "field Endpoints.156b2ed0f2dba332b9c1ab8728048a0f911ce794103c90ad0cdfff1fe8ec58a8.PodName: "
       "expected a string, got array"},
  };
  for (const auto& c : cases) {
    std::string e =
        ParseError(c.kind, Replace(Example(c.kind), c.from, c.to), "C:\\k\\" + CaptureFile(c.kind));
    EXPECT_THAT(e, HasSubstr("C:\\k\\" + CaptureFile(c.kind) + ": " + std::string(c.expect)));
  }
}

TEST(HostileParse, DeepNestingIsRejectedBeforeParsing) {
  const std::string deep_arrays(100000, '[');
  std::string deep_objects;
  for (int i = 0; i < 5000; ++i) deep_objects += "{\"a\":";
  for (Kind k : kAllKinds) {
    for (const std::string& t : {deep_arrays, deep_objects}) {
      std::string e = ParseError(k, t, "deep.json");
      EXPECT_THAT(e, HasSubstr("deep.json: invalid JSON: nested deeper than 64 levels at byte "));
    }
  }
  // 64 levels are allowed (the error is about the content, not the depth) ...
  std::string ok_depth =
      R"({"Success":true,"Output":)" + std::string(63, '[') + std::string(63, ']') + "}";
  EXPECT_THAT(ParseError(Kind::kHnsEndpoints, ok_depth, "e"),
              HasSubstr("Output[0]: expected an object, got array"));
  // ... and brackets inside strings, escaped quotes included, are not nesting.
  std::string brackets = "\\\"" + std::string(200, '[') + std::string(200, '{');
  std::string text =
      Replace(Example(Kind::kIpam), R"("Version": "v1.5.35")", "\"Version\": \"" + brackets + "\"");
  auto r = ParseIpamState(text, "ipam.json");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->version, "\"" + std::string(200, '[') + std::string(200, '{'));
}

TEST(HostileParse, FileOverTheLimitIsRejectedUnreadWithAClearError) {
  testing::TempDir dir;
  const std::string path = dir / "azure-vnet-ipam.json";
  { std::ofstream(path) << "{}"; }
  std::filesystem::resize_file(path, 100u << 20);  // sparse: 100 MiB of holes
  auto t0 = std::chrono::steady_clock::now();
  auto r = ReadWholeFile(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(),
            path + ": file is 104857600 bytes, over the limit of 67108864 bytes; not read");
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(1));  // not read
  // The limit itself is inclusive.
  std::filesystem::resize_file(path, 1000);
  EXPECT_TRUE(ReadWholeFile(path, 1000).ok());
  auto over = ReadWholeFile(path, 999);
  ASSERT_FALSE(over.ok());
  EXPECT_THAT(over.error(), HasSubstr("1000 bytes, over the limit of 999 bytes"));
}

TEST(HostileParse, InvalidUtf8IsAnErrorInPrintableAscii) {
  const std::string_view bad[] = {
      "\xff",              // never valid
      "\xc0\xaf",          // overlong '/'
      "\xed\xa0\x80",      // a UTF-16 surrogate
      "\xe2\x82",          // sequence cut short
      "\xf4\x90\x80\x80",  // above U+10FFFF
  };
  struct Where {
    Kind kind;
    std::string_view value;  // a string value in the example file
  };
  const Where places[] = {
      {Kind::kIpam, "vEthernet (Ethernet 2)"},
      {Kind::kCni, "v1.5.35"},
      {Kind::kHnsEndpoints, "8c0a70a7-eth0"},
      {Kind::kHnsNetworks, "nat"},
      {Kind::kHnsPolicyLists, "ELB"},
      {Kind::kHnsStats, "2CCD5F71-12FC-4E59-B1E9-F4FD46B1F9D2"},
      {Kind::kAdapters, "Loopback Pseudo-Interface 1"},
      {Kind::kHnsService, "hns"},
  };
  for (const auto& w : places) {
    for (std::string_view b : bad) {
      const std::string quoted = std::string(1, '"').append(w.value).append(1, '"');
      const std::string spoiled = std::string(1, '"').append(w.value).append(b).append(1, '"');
      std::string text = Replace(Example(w.kind), quoted, spoiled);
      std::string e = ParseError(w.kind, text, "state.json");
      EXPECT_THAT(e, HasSubstr("state.json: invalid JSON: ")) << CaptureFile(w.kind);
      EXPECT_THAT(e, HasSubstr("ill-formed UTF-8 byte")) << CaptureFile(w.kind);
      EXPECT_TRUE(PrintableAscii(e)) << e;
    }
  }
  // Outside a string, in a key, and the message shows the byte as \xFF.
  std::string e = ParseError(Kind::kIpam, "{\"IPAM\":\xff}", "i.json");
  EXPECT_THAT(e, HasSubstr("i.json: invalid JSON: "));
  EXPECT_THAT(e, HasSubstr("\\xFF"));
  EXPECT_TRUE(PrintableAscii(e)) << e;
  e = ParseError(Kind::kIpam, "{\"IP\xc3\x28\":{}}", "i.json");
  EXPECT_THAT(e, HasSubstr("ill-formed UTF-8 byte"));
  EXPECT_TRUE(PrintableAscii(e)) << e;
  // Valid UTF-8, and a byte order mark (Windows PowerShell writes one), are fine.
  auto ok = ParseCniState("\xef\xbb\xbf" + Replace(Example(Kind::kCni), "\"v1.5.35\"",
                                                   "\"\xc3\xbc"
                                                   "n\xc3\xaf"
                                                   "c\xc3\xb6"
                                                   "de \xe2\x9c\x93\""),
                          "azure-vnet.json");
  ASSERT_TRUE(ok.ok()) << ok.error();
  EXPECT_EQ(ok->version,
            "\xc3\xbc"
            "n\xc3\xaf"
            "c\xc3\xb6"
            "de \xe2\x9c\x93");
}

TEST(HostileParse, ToValidUtf8ReplacesEveryBadByte) {
  EXPECT_EQ(ToValidUtf8("eth0"), "eth0");
  EXPECT_EQ(ToValidUtf8("\xc3\xbc \xe2\x9c\x93 \xf0\x9f\x98\x80"),
            "\xc3\xbc \xe2\x9c\x93 \xf0\x9f\x98\x80");
  EXPECT_EQ(ToValidUtf8("a\xff"
                        "b"),
            "a\xef\xbf\xbd"
            "b");
  EXPECT_EQ(ToValidUtf8("\xc0\xaf"), "\xef\xbf\xbd\xef\xbf\xbd");
  EXPECT_EQ(ToValidUtf8("\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
  EXPECT_EQ(ToValidUtf8("x\xe2\x82"), "x\xef\xbf\xbd\xef\xbf\xbd");
  EXPECT_EQ(ToValidUtf8("\xf4\x90\x80\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
}

TEST(HostileParse, DuplicateKeysAreRejectedWithThePath) {
  struct Case {
    Kind kind;
    std::string text, expect;
  };
  const Case cases[] = {
      {Kind::kIpam,
       R"({"IPAM":{"AddressSpaces":{"local":{"Pools":{"10.0.0.0/24":{"Addresses":{
            "10.0.0.5":{"ID":"a","InUse":true},"10.0.0.5":{"ID":"","InUse":false}}}}}}}})",
       R"(ipam.json: field IPAM.AddressSpaces.local.Pools["10.0.0.0/24"].Addresses: duplicate key "10.0.0.5")"},
      {Kind::kIpam, R"({"IPAM":{},"IPAM":{}})",
       R"(ipam.json: field (top level): duplicate key "IPAM")"},
      {Kind::kCni, R"({"Network":{"Version":"a","Version":"b"}})",
       R"(ipam.json: field Network: duplicate key "Version")"},
      {Kind::kHnsEndpoints, R"({"Success":true,"Output":[{"ID":"a"},{"ID":"b","ID":"c"}]})",
       R"(ipam.json: field Output[1]: duplicate key "ID")"},
      {Kind::kHnsStats, R"({"Success":true,"Success":false,"Output":{}})",
       R"(ipam.json: field (top level): duplicate key "Success")"},
      {Kind::kAdapters, R"([{"Alias":"a"},{"Alias":"b","x":[{},{"y":1,"y":2}]}])",
       R"(ipam.json: field [1].x[1]: duplicate key "y")"},
  };
  for (const auto& c : cases) EXPECT_EQ(ParseError(c.kind, c.text, "ipam.json"), c.expect);
  // The same key in different objects is fine.
  EXPECT_EQ(
      ParseError(Kind::kHnsEndpoints, R"({"Success":true,"Output":[{"ID":"a"},{"ID":"b"}]})", "e"),
      "");
}

TEST(HostileParse, NumbersOutOfRangeAreErrorsNamingTheField) {
  const std::string stats = Example(Kind::kHnsStats);
  struct Case {
    Kind kind;
    std::string text, expect;
  };
  const Case cases[] = {
      {Kind::kHnsStats, Replace(stats, "413566091", "-1"),
       "s.json: field Output.BytesReceived: negative value -1 where a counter was expected"},
      {Kind::kHnsStats, Replace(stats, "413566091", "18446744073709551616"),
       "s.json: field Output.BytesReceived: number 1.8446744073709552e+19 is not an unsigned "
       "integer in range"},
      {Kind::kHnsStats, Replace(stats, "413566091", "1.5"),
       "s.json: field Output.BytesReceived: number 1.5 is not an unsigned integer in range"},
      // Beyond double: nlohmann throws out_of_range rather than parse_error.
      {Kind::kHnsStats, Replace(stats, "413566091", "1e400"),
       "s.json: invalid JSON: number overflow parsing '1e400'"},
      {Kind::kIpam, R"({"IPAM":{"AddressSpaces":{"local":{"Pools":{"p":{"RefCount":-1e99999}}}}}})",
       "s.json: invalid JSON: number overflow parsing '-1e99999'"},
      {Kind::kIpam,
       R"({"IPAM":{"AddressSpaces":{"local":{"Pools":{"p":{"Priority":9223372036854775808}}}}}})",
       R"(s.json: field IPAM.AddressSpaces.local.Pools.p.Priority: number 9223372036854775808 out of range)"},
      {Kind::kIpam,
       R"({"IPAM":{"AddressSpaces":{"local":{"Pools":{"p":{"Priority":-9223372036854775809}}}}}})",
       R"(s.json: field IPAM.AddressSpaces.local.Pools.p.Priority: expected an integer, got number)"},
      {Kind::kAdapters,
       Replace(Example(Kind::kAdapters), R"("InterfaceIndex": 1,)",
               R"("InterfaceIndex": 4294967296,)"),
       "s.json: field [0].InterfaceIndex: out of range"},
      {Kind::kHnsEndpoints,
       Replace(Example(Kind::kHnsEndpoints), R"("State":3,"Type")", R"("State":1e400,"Type")"),
       "s.json: invalid JSON: number overflow parsing '1e400'"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ParseError(c.kind, c.text, "s.json"), c.expect) << c.text.substr(0, 200);
  }
  // The largest counter is fine.
  auto max = ParseHnsEndpointStats(Replace(stats, "413566091", "18446744073709551615"), "s");
  ASSERT_TRUE(max.ok()) << max.error();
  EXPECT_EQ(max->bytes_received, 18446744073709551615u);
}

TEST(HostileParse, HnsSuccessFalseWithAndWithoutErrorForEveryResponse) {
  for (Kind k : {Kind::kHnsEndpoints, Kind::kHnsNetworks, Kind::kHnsPolicyLists, Kind::kHnsStats}) {
    EXPECT_EQ(ParseError(k, R"({"Success":false,"Error":"Element not found.","Output":null})",
                         "HNS GET /x/"),
              "HNS GET /x/: field (top level): HNS reported failure: Element not found.");
    EXPECT_EQ(ParseError(k, R"({"Success":false})", "HNS GET /x/"),
              "HNS GET /x/: field (top level): HNS reported failure (Success false) without an "
              "Error message");
    EXPECT_EQ(ParseError(k, R"({"Success":false,"Error":null})", "HNS GET /x/"),
              "HNS GET /x/: field (top level): HNS reported failure (Success false) without an "
              "Error message");
    EXPECT_EQ(ParseError(k, R"({"Success":false,"Error":42})", "HNS GET /x/"),
              "HNS GET /x/: field Error: expected a string, got number");
    EXPECT_EQ(ParseError(k, R"({"Success":"true","Output":[]})", "HNS GET /x/"),
              "HNS GET /x/: field Success: expected a boolean, got string");
    EXPECT_EQ(ParseError(k, R"({"Success":null,"Output":[]})", "HNS GET /x/"),
              "HNS GET /x/: field Success: missing: not an HNS response envelope");
  }
}

TEST(HostileParse, HnsOutputMissingOrOfTheWrongShape) {
  for (Kind k : {Kind::kHnsNetworks, Kind::kHnsPolicyLists, Kind::kHnsStats}) {
    EXPECT_EQ(ParseError(k, R"({"Success":true})", "n"), "n: field Output: missing");
    EXPECT_EQ(ParseError(k, R"({"Success":true,"Output":"x"})", "n"),
              std::string("n: field Output: expected an ") +
                  (k == Kind::kHnsStats ? "object" : "array") + ", got string");
  }
  EXPECT_EQ(ParseError(Kind::kHnsStats, R"({"Success":true,"Output":[]})", "s"),
            "s: field Output: expected an object, got array");
  EXPECT_EQ(ParseError(Kind::kHnsStats, R"({"Success":true,"Output":null})", "s"),
            "s: field Output: expected an object, got null");
  EXPECT_EQ(ParseError(Kind::kHnsNetworks, R"({"Success":true,"Output":7})", "n"),
            "n: field Output: expected an array, got number");
  EXPECT_EQ(ParseError(Kind::kHnsPolicyLists, R"({"Success":true,"Output":[1]})", "p"),
            "p: field Output[0]: expected an object, got number");
  EXPECT_EQ(ParseError(Kind::kHnsNetworks,
                       R"({"Success":true,"Output":[{"ID":"a","Subnets":[7]}]})", "n"),
            "n: field Output[0].Subnets[0]: expected an object, got number");
  // Counters at the top level instead of inside Output are not silent zeros.
  EXPECT_EQ(ParseError(Kind::kHnsStats, R"({"Success":true,"Output":{},"BytesReceived":1})", "s"),
            "s: field Output.BytesReceived: missing");
}

// --- through the poller and the HTTP server ---------------------------------

struct PollerCase {
  const char* name;
  const char* file;    // in the capture
  const char* source;  // poller source name
  size_t index;        // in Rendered::sources
  // Writes the hostile file; returns what the error must contain besides the file.
  std::string (*make)(const std::string& path, const std::string& good);
  const char* names;  // "" = the file's path; else what names it (HNS: the call)
};

void PrintTo(const PollerCase& c, std::ostream* os) { *os << c.name; }

std::string TruncateMidToken(const std::string& path, const std::string& good) {
  testing::WriteAtomically(path, good.substr(0, good.size() / 2 + 3));
  return "invalid JSON: ";
}
std::string WrongType(const std::string& path, const std::string& good) {
  testing::WriteAtomically(path, Replace(good, R"("InUse": true)", R"("InUse": "yes")"));
  return R"(.Addresses["10.240.0.67"].InUse: expected a boolean, got string)";
}
std::string DeepNesting(const std::string& path, const std::string&) {
  testing::WriteAtomically(path, std::string(1 << 20, '['));
  return "invalid JSON: nested deeper than 64 levels at byte 64";
}
std::string Huge(const std::string& path, const std::string&) {
  { std::ofstream(path) << "{}"; }
  std::filesystem::resize_file(path, 100u << 20);
  return "file is 104857600 bytes, over the limit of 67108864 bytes; not read";
}
std::string BadUtf8(const std::string& path, const std::string& good) {
  testing::WriteAtomically(path, Replace(good, "\"v1.5.35\"", "\"v1.5.35\xff\xfe\""));
  return "ill-formed UTF-8 byte; last read: '\"v1.5.35\\xFF'";
}
std::string DuplicateKey(const std::string& path, const std::string& good) {
  testing::WriteAtomically(path, Replace(good, R"("Gateway": "10.240.0.1",)",
                                         R"("Gateway": "10.240.0.1", "Gateway": "x",)"));
  return R"(field IPAM.AddressSpaces.local.Pools["10.240.0.0/16"]: duplicate key "Gateway")";
}
std::string NumberOverflow(const std::string& path, const std::string& good) {
  testing::WriteAtomically(path, Replace(good, R"("Scope": 0,)", R"("Scope": 1e999,)"));
  return "invalid JSON: number overflow parsing '1e999'";
}
std::string CniWrongType(const std::string& path, const std::string& good) {
  testing::WriteAtomically(path, Replace(good, R"("IfName": "eth0")", R"("IfName": 7)"));
  return ".Networks.azure.Endpoints.3af9f30c-eth0.IfName: expected a string, got number";
}
std::string HnsFailureWithError(const std::string& path, const std::string&) {
  testing::WriteAtomically(
      path, R"({"Success":false,"Error":"The RPC server is unavailable.","Output":null})");
  return "HNS reported failure: The RPC server is unavailable.";
}
std::string HnsFailureWithoutError(const std::string& path, const std::string&) {
  testing::WriteAtomically(path, R"({"Success":false})");
  return "HNS reported failure (Success false) without an Error message";
}
std::string HnsOutputMissing(const std::string& path, const std::string&) {
  testing::WriteAtomically(path, R"({"Success":true})");
  return "field Output: missing";
}
std::string HnsOutputWrongShape(const std::string& path, const std::string&) {
  testing::WriteAtomically(path,
                           R"({"Success":true,"Output":"62F746B4-84E6-4CEB-95BD-447E7184D454"})");
  return "field Output: expected an array, got string";
}
std::string EmptyFile(const std::string& path, const std::string&) {
  testing::WriteAtomically(path, "");
  return "invalid JSON: parse error at line 1, column 1: syntax error while parsing value - "
         "unexpected end of input";
}
std::string AllNul(const std::string& path, const std::string&) {
  testing::WriteAtomically(path, std::string(4096, '\0'));
  return "only NUL bytes (4096 of 4096 bytes): a save cut short left the file unwritten";
}
std::string HnsServiceUnknownState(const std::string& path, const std::string& good) {
  testing::WriteAtomically(path, Replace(good, R"("State": "running")", R"("State": "crashed")"));
  return R"(field State: "crashed" is not a service state)";
}
std::string AdapterOutOfRange(const std::string& path, const std::string& good) {
  testing::WriteAtomically(
      path, Replace(good, R"("InterfaceIndex": 1,)", R"("InterfaceIndex": 4294967296,)"));
  return "field [0].InterfaceIndex: out of range";
}

const PollerCase kPollerCases[] = {
    {"ipam_truncated", "azure-vnet-ipam.json", "ipam_state", 0, TruncateMidToken, ""},
    {"ipam_wrong_type", "azure-vnet-ipam.json", "ipam_state", 0, WrongType, ""},
    {"ipam_deep", "azure-vnet-ipam.json", "ipam_state", 0, DeepNesting, ""},
    {"ipam_100MB", "azure-vnet-ipam.json", "ipam_state", 0, Huge, ""},
    {"ipam_bad_utf8", "azure-vnet-ipam.json", "ipam_state", 0, BadUtf8, ""},
    {"ipam_duplicate_key", "azure-vnet-ipam.json", "ipam_state", 0, DuplicateKey, ""},
    {"ipam_number_overflow", "azure-vnet-ipam.json", "ipam_state", 0, NumberOverflow, ""},
    {"cni_truncated", "azure-vnet.json", "network_state", 1, TruncateMidToken, ""},
    {"cni_wrong_type", "azure-vnet.json", "network_state", 1, CniWrongType, ""},
    {"cni_bad_utf8", "azure-vnet.json", "network_state", 1, BadUtf8, ""},
    {"ipam_all_nul", "azure-vnet-ipam.json", "ipam_state", 0, AllNul, ""},
    {"cni_all_nul", "azure-vnet.json", "network_state", 1, AllNul, ""},
    {"hns_failure_with_error", "hns/endpoints.json", "hns", 2, HnsFailureWithError,
     "HNS GET /endpoints/"},
    {"hns_failure_without_error", "hns/endpoints.json", "hns", 2, HnsFailureWithoutError,
     "HNS GET /endpoints/"},
    {"hns_output_missing", "hns/networks.json", "hns", 2, HnsOutputMissing, "HNS GET /networks/"},
    {"hns_output_wrong_shape", "hns/networks.json", "hns", 2, HnsOutputWrongShape,
     "HNS GET /networks/"},
    {"hns_empty", "hns/endpoints.json", "hns", 2, EmptyFile, "HNS GET /endpoints/"},
    {"hns_100MB", "hns/endpoints.json", "hns", 2, Huge, ""},
    {"adapters_truncated", "adapters.json", "adapters", 3, TruncateMidToken, ""},
    {"adapters_out_of_range", "adapters.json", "adapters", 3, AdapterOutOfRange, ""},
    {"adapters_empty", "adapters.json", "adapters", 3, EmptyFile, ""},
    {"hns_service_truncated", "hns/service.json", "hns_service", 9, TruncateMidToken, ""},
    {"hns_service_unknown_state", "hns/service.json", "hns_service", 9, HnsServiceUnknownState, ""},
    {"hns_service_empty", "hns/service.json", "hns_service", 9, EmptyFile, ""},
};

// The data part of an exposition: every line not about the exporter itself.
std::string DataLines(const std::string& metrics) {
  std::string out;
  size_t pos = 0;
  while (pos < metrics.size()) {
    size_t nl = metrics.find('\n', pos);
    if (nl == std::string::npos) nl = metrics.size();
    std::string_view line(metrics.data() + pos, nl - pos);
    // The exporter's own series, and the HNS call durations, move every cycle.
    if (line.find("winnet_exporter_") == std::string_view::npos &&
        line.find("winnet_hns_call_") == std::string_view::npos) {
      out.append(line);
      out += '\n';
    }
    pos = nl + 1;
  }
  return out;
}

class HostilePoll : public ::testing::TestWithParam<PollerCase> {
 protected:
  // One server for the suite (stopping one takes a while), serving whichever
  // poller the running test has.
  static void SetUpTestSuite() {
    HttpOptions h;
    h.listen_address = "127.0.0.1:0";
    auto server = HttpServer::Start(h, [] {
      std::lock_guard<std::mutex> lock(mu_);
      return poller_ != nullptr ? poller_->Current() : std::make_shared<const Rendered>();
    });
    ASSERT_TRUE(server.ok()) << server.error();
    server_ = std::move(*server).release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(server_, nullptr);
    testing::CopyTree(testing::ExampleDir(), dir_.path());
    auto sources = MakeReplaySources(dir_.path());
    ASSERT_TRUE(sources.ok()) << sources.error();
    PollerOptions o;
    o.interval = std::chrono::milliseconds(50);
    o.timeout = std::chrono::milliseconds(5000);
    o.build = {"0.0.0-test", "abc", "linux"};
    own_ = std::make_unique<Poller>(std::move(*sources), o);
    std::lock_guard<std::mutex> lock(mu_);
    poller_ = own_.get();
  }
  void TearDown() override {
    std::lock_guard<std::mutex> lock(mu_);
    poller_ = nullptr;
  }

  Poller* poller() { return own_.get(); }
  int port() const { return server_->port(); }

  testing::TempDir dir_;
  std::unique_ptr<Poller> own_;
  static inline std::mutex mu_;
  static inline Poller* poller_ = nullptr;
  static inline HttpServer* server_ = nullptr;
};

TEST_P(HostilePoll, KeepsServingStaleDataReportsFailureAndLogsOnce) {
  const PollerCase& c = GetParam();
  const std::string path = dir_ / c.file;
  const std::string good = testing::ReadFileOrDie(path);
  testing::LogCapture log;
  poller()->RunCycle();
  auto before = poller()->Current();
  ASSERT_TRUE(before->sources[c.index].ok) << before->sources[c.index].error;
  const std::string data_before = DataLines(before->Metrics());

  const std::string problem = c.make(path, good);
  const std::string names = *c.names ? std::string(c.names) : path;
  for (int i = 0; i < 3; ++i) poller()->RunCycle();

  auto r = poller()->Current();
  EXPECT_EQ(r->cycle, 4u);
  const SourceView& v = r->sources[c.index];
  EXPECT_FALSE(v.ok);
  EXPECT_TRUE(v.stale);
  EXPECT_THAT(v.error, HasSubstr(names));
  EXPECT_THAT(v.error, HasSubstr(problem));
  EXPECT_TRUE(PrintableAscii(v.error)) << v.error;
  // The last good data is still served, unchanged; only the source metrics say otherwise.
  EXPECT_EQ(DataLines(r->Metrics()), data_before);
  EXPECT_THAT(r->Metrics(), HasSubstr("winnet_exporter_source_success{source=\"" +
                                      std::string(c.source) + "\"} 0"));
  EXPECT_THAT(r->Health(),
              HasSubstr(std::string(c.source) + ": failing, serving stale data: " + v.error));
  // One log line, naming the file and the problem, for three failed polls.
  auto lines = log.Matching({"source " + std::string(c.source) + ": failing"});
  ASSERT_EQ(lines.size(), 1u) << log.All();
  EXPECT_THAT(lines[0], HasSubstr(names));
  EXPECT_THAT(lines[0], HasSubstr(problem));
  EXPECT_THAT(lines[0], HasSubstr("serving its last good data, now stale"));
  EXPECT_EQ(lines[0].rfind("warning ", 0), 0u) << lines[0];

  // Every endpoint still answers, from the same render.
  for (const char* p : {"/metrics", "/healthz", "/api/v1/snapshot", "/"}) {
    auto resp = testing::HttpRequest(port(), "GET", p);
    EXPECT_EQ(resp.status, 200) << p << ": " << resp.error;
    if (std::string_view(p) == "/metrics") {
      EXPECT_EQ(resp.body, r->Metrics());
    }
    if (std::string_view(p) == "/api/v1/snapshot") {
      EXPECT_THAT(resp.body, HasSubstr("\"stale\": true"));
    }
  }

  // Repaired: fresh on the next cycle, and one line says so.
  testing::WriteAtomically(path, good);
  poller()->RunCycle();
  r = poller()->Current();
  EXPECT_TRUE(r->sources[c.index].ok);
  EXPECT_FALSE(r->sources[c.index].stale);
  EXPECT_EQ(DataLines(r->Metrics()), data_before);
  EXPECT_EQ(log.Matching({"source " + std::string(c.source) + ": ok again after 3 failed poll(s)"})
                .size(),
            1u)
      << log.All();
}

INSTANTIATE_TEST_SUITE_P(Files, HostilePoll, ::testing::ValuesIn(kPollerCases),
                         [](const ::testing::TestParamInfo<PollerCase>& info) {
                           return info.param.name;
                         });

TEST_F(HostilePoll, EmptyStateFileMeansNoStateNotAFailure) {
  const std::string path = dir_ / "azure-vnet-ipam.json";
  testing::LogCapture log;
  poller()->RunCycle();
  EXPECT_THAT(poller()->Current()->Metrics(),
              HasSubstr("winnet_ipam_pool_capacity_ips{subnet=\"10.240.0.0/16\"} 30"));
  testing::WriteAtomically(path, "");
  poller()->RunCycle();
  auto r = poller()->Current();
  EXPECT_TRUE(r->sources[0].ok);
  EXPECT_THAT(r->Metrics(), Not(HasSubstr("winnet_ipam_pool_capacity_ips")));
  EXPECT_TRUE(log.Matching({"warning"}).empty()) << log.All();
}

TEST_F(HostilePoll, WhitespaceOnlyStateFilesMeanNoStateNotAFailure) {
  testing::LogCapture log;
  poller()->RunCycle();
  for (const char* file : {"azure-vnet-ipam.json", "azure-vnet.json"}) {
    testing::WriteAtomically(dir_ / file, " \r\n\t\n");
  }
  poller()->RunCycle();
  auto r = poller()->Current();
  EXPECT_TRUE(r->sources[0].ok) << r->sources[0].error;
  EXPECT_TRUE(r->sources[1].ok) << r->sources[1].error;
  EXPECT_THAT(r->Metrics(), Not(HasSubstr("winnet_ipam_pool_capacity_ips")));
  EXPECT_TRUE(log.Matching({"warning"}).empty()) << log.All();
}

TEST_F(HostilePoll, BadEndpointStatsAreSkippedItemsNotAFailedSource) {
  const std::string path = dir_ / kStatsFile;
  testing::LogCapture log;
  poller()->RunCycle();
  testing::WriteAtomically(path, R"({"Success":false,"Error":"Element not found."})");
  for (int i = 0; i < 3; ++i) poller()->RunCycle();
  auto r = poller()->Current();
  const SourceView& v = r->sources[2];
  EXPECT_TRUE(v.ok);
  ASSERT_EQ(v.item_errors.size(), 1u);
  EXPECT_EQ(v.item_errors[0],
            "HNS GET /endpointstats/2CCD5F71-12FC-4E59-B1E9-F4FD46B1F9D2: field (top level): HNS "
            "reported "
            "failure: Element not found.; serving its last stats");
  EXPECT_THAT(r->Health(), HasSubstr("  skipped: " + v.item_errors[0]));
  auto lines = log.Matching({"source hns: 1 item(s) skipped, first: ", v.item_errors[0]});
  EXPECT_EQ(lines.size(), 1u) << log.All();
}

}  // namespace
}  // namespace winnet
