// The fast paths of ParseHnsEndpointStats and ParseAdaptersJson against their
// full parsers: whatever a fast path accepts, the full parser reads to the
// same result, and the usual answers do take the fast path.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "collectors/adapters/adapters_internal.h"
#include "collectors/hns/hns_v1_internal.h"
#include "tests/json_mutations.h"
#include "tests/test_util.h"

namespace winnet {
namespace {

// A stats answer as HNS writes it.
constexpr const char* kStats =
    R"({"Output":{"BytesReceived":1459851198,"BytesSent":1540850860,"DroppedPacketsIncoming":15,)"
    R"("DroppedPacketsOutgoing":0,"EndpointId":"0051F272-7D96-422D-8AF4-08721BEBC2AB",)"
    R"("InstanceId":"0C6D3F1E-2A4B-4C5D-8E6F-7A8B9C0D1E2F","PacketsReceived":1622056,)"
    R"("PacketsSent":2201215},"Success":true})";

// An adapters.json row with every field.
constexpr const char* kRow =
    R"json({"Alias":"vEthernet (a756b816-eth0)",)json"
    R"json("Description":"Hyper-V Virtual Ethernet Adapter #3",)json"
    R"json("InterfaceIndex":23,"PhysicalAddress":"00-15-5D-3A-7C-11","OperStatus":1,)json"
    R"json("ReceiveLinkSpeed":100000000000,"TransmitLinkSpeed":100000000000,"InOctets":1000,)json"
    R"json("OutOctets":2000,"InUcastPkts":10,"InNUcastPkts":1,"OutUcastPkts":20,)json"
    R"json("OutNUcastPkts":2,)json"
    R"json("InDiscards":3,"InErrors":4,"OutDiscards":5,"OutErrors":6})json";

std::vector<std::string> FilesIn(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    out.push_back(testing::ReadFileOrDie(e.path().string()));
  }
  return out;
}

// The stats answers of the fixtures and examples, and kStats.
std::vector<std::string> StatsSamples() {
  std::vector<std::string> out = {kStats, testing::Fixture("hns/endpointstats.json"),
                                  testing::Fixture("hns/variants/endpointstats-big-numbers.json")};
  for (const char* dir : {"/examples/aks-windows-node/hns/endpointstats",
                          "/examples/aks-windows-overlay-node/hns/endpointstats",
                          "/tests/fixtures/containerd-node/hns/endpointstats"}) {
    for (std::string& f : FilesIn(testing::SourceDir() + dir)) out.push_back(std::move(f));
  }
  return out;
}

// The adapter tables of the fixtures and examples, and what the capture writer
// makes of them.
std::vector<std::string> AdapterSamples() {
  std::vector<std::string> out = {testing::ReadFileOrDie(testing::ExampleDir() + "/adapters.json"),
                                  testing::Fixture("hns-consistency/adapters.json"),
                                  std::string("[") + kRow + "]", "[]"};
  auto rows = ParseAdaptersJsonFull(out[0], "a");
  EXPECT_TRUE(rows.ok()) << rows.error();
  if (rows.ok()) out.push_back(AdaptersToJson(*rows));
  return out;
}

// "" when the fast path gives up on `text` or reads what the full parser reads,
// else how they differ. Counts the texts the fast path accepted. (When the
// fast path gives up, ParseX is the full parser: PublicParsersAreTheFullParsers.)
template <typename Fast, typename Full>
std::string Disagreement(const std::string& text, Fast fast_path, Full full_path, int* accepted) {
  const auto fast = fast_path(text);
  if (!fast) return "";
  ++*accepted;
  const auto full = full_path(text, "f");
  if (!full.ok()) {
    return "the fast path accepts what the full parser refuses (" + full.error() + "): " + text;
  }
  if (!(*fast == *full)) return "the fast path reads another result: " + text;
  return "";
}

// Checks every text; returns how many the fast path accepted.
int CheckStats(const std::vector<std::string>& texts) {
  int accepted = 0;
  std::vector<std::string> wrong;
  for (const std::string& text : texts) {
    std::string d =
        Disagreement(text, ParseHnsEndpointStatsFast, ParseHnsEndpointStatsFull, &accepted);
    if (!d.empty()) wrong.push_back(std::move(d));
  }
  EXPECT_TRUE(wrong.empty()) << wrong.size() << " disagreements, first: " << wrong[0];
  return accepted;
}

int CheckAdapters(const std::vector<std::string>& texts) {
  int accepted = 0;
  std::vector<std::string> wrong;
  for (const std::string& text : texts) {
    std::string d = Disagreement(text, ParseAdaptersJsonFast, ParseAdaptersJsonFull, &accepted);
    if (!d.empty()) wrong.push_back(std::move(d));
  }
  EXPECT_TRUE(wrong.empty()) << wrong.size() << " disagreements, first: " << wrong[0];
  return accepted;
}

// The public parser gives the full parser's result, or its very error.
template <typename Public, typename Full>
void ExpectSameAsFull(const std::string& text, Public public_path, Full full_path) {
  const auto got = public_path(text, "f");
  const auto full = full_path(text, "f");
  ASSERT_EQ(got.ok(), full.ok()) << text;
  if (full.ok()) {
    EXPECT_TRUE(*got == *full) << text;
  } else {
    EXPECT_EQ(got.error(), full.error()) << text;
  }
}

// Every key either parser reads, quoted, and some it does not: token
// mutations rename keys with them.
std::vector<std::string> Tokens() {
  std::vector<std::string> tokens = testing::ValueTokens();
  for (const char* key : {"Success",
                          "Output",
                          "Error",
                          "EndpointId",
                          "InstanceId",
                          "BytesReceived",
                          "BytesSent",
                          "PacketsReceived",
                          "PacketsSent",
                          "DroppedPacketsIncoming",
                          "DroppedPacketsOutgoing",
                          "Alias",
                          "alias",
                          "Description",
                          "InterfaceIndex",
                          "PhysicalAddress",
                          "OperStatus",
                          "ReceiveLinkSpeed",
                          "TransmitLinkSpeed",
                          "InOctets",
                          "OutOctets",
                          "InUcastPkts",
                          "InNUcastPkts",
                          "OutUcastPkts",
                          "OutNUcastPkts",
                          "InDiscards",
                          "InErrors",
                          "OutDiscards",
                          "OutErrors",
                          "Foo"}) {
    tokens.push_back(std::string("\"") + key + "\"");
  }
  return tokens;
}

TEST(FastPaths, TheUsualStatsAnswersTakeTheFastPath) {
  for (const std::string& text : StatsSamples()) {
    EXPECT_TRUE(ParseHnsEndpointStatsFast(text).has_value()) << text;
  }
  auto stats = ParseHnsEndpointStatsFast(kStats);
  ASSERT_TRUE(stats.has_value());
  EXPECT_EQ(stats->endpoint_id, "0051f272-7d96-422d-8af4-08721bebc2ab");
  EXPECT_EQ(stats->bytes_received, 1459851198u);
  EXPECT_EQ(stats->dropped_packets_incoming, 15u);
  EXPECT_EQ(stats->packets_sent, 2201215u);
}

TEST(FastPaths, TheCaptureWritersTablesTakeTheFastPath) {
  for (const std::string& text : AdapterSamples()) {
    EXPECT_TRUE(ParseAdaptersJsonFast(text).has_value()) << text;
  }
  auto rows = ParseAdaptersJsonFast(std::string("[") + kRow + "]");
  ASSERT_TRUE(rows.has_value());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].mac, "00:15:5d:3a:7c:11");
  EXPECT_EQ((*rows)[0].interface_index, 23u);
  EXPECT_EQ((*rows)[0].out_errors, 6u);
}

// The public parsers do use the fast path, and only for what it accepts.
TEST(FastPaths, ThePublicParsersTakeTheFastPath) {
  const uint64_t stats = HnsEndpointStatsFastReads();
  ASSERT_TRUE(ParseHnsEndpointStats(kStats, "s").ok());
  EXPECT_EQ(HnsEndpointStatsFastReads(), stats + 1);
  EXPECT_FALSE(ParseHnsEndpointStats(R"({"Success":true,"Output":{}})", "s").ok());
  EXPECT_EQ(HnsEndpointStatsFastReads(), stats + 1);
  const uint64_t tables = AdaptersJsonFastReads();
  for (const std::string& text : AdapterSamples()) ASSERT_TRUE(ParseAdaptersJson(text, "a").ok());
  EXPECT_EQ(AdaptersJsonFastReads(), tables + AdapterSamples().size());
  EXPECT_FALSE(ParseAdaptersJson("[{}]", "a").ok());
  EXPECT_EQ(AdaptersJsonFastReads(), tables + AdapterSamples().size());
}

TEST(FastPaths, StatsAgreeWithTheFullParserOnSamplesAndMutations) {
  std::vector<std::string> texts = StatsSamples();
  for (std::string& t : testing::ByteMutations(kStats)) texts.push_back(std::move(t));
  for (std::string& t : testing::TokenMutations(kStats, Tokens())) texts.push_back(std::move(t));
  for (std::string& t : testing::MemberDeletions(kStats)) texts.push_back(std::move(t));
  const int accepted = CheckStats(texts);
  // Both sides were exercised.
  EXPECT_GT(accepted, 1000);
  EXPECT_GT(static_cast<int>(texts.size()) - accepted, 10000);
}

TEST(FastPaths, AdaptersAgreeWithTheFullParserOnSamplesAndMutations) {
  std::vector<std::string> texts = AdapterSamples();
  const std::string one = std::string("[") + kRow + "]";
  const std::string two = std::string("[") + kRow + ",\n" + kRow + "]";
  for (std::string& t : testing::ByteMutations(one)) texts.push_back(std::move(t));
  for (std::string& t : testing::TokenMutations(two, Tokens())) texts.push_back(std::move(t));
  for (std::string& t : testing::MemberDeletions(two)) texts.push_back(std::move(t));
  const int accepted = CheckAdapters(texts);
  EXPECT_GT(accepted, 1000);
  EXPECT_GT(static_cast<int>(texts.size()) - accepted, 10000);
}

// Valid answers the fast path leaves to the full parser, and what it reads of them.
TEST(FastPaths, StatsOutsideTheSubsetAreReadByTheFullParser) {
  const std::string counters =
      R"("BytesReceived":1,"BytesSent":2,"PacketsReceived":3,"PacketsSent":4,)"
      R"("DroppedPacketsIncoming":5,"DroppedPacketsOutgoing":6)";
  for (const std::string& output : {
           R"("EndpointId":0,)" + counters,              // an unset marker: no endpoint id
           R"("EndpointId":null,)" + counters,           // null
           R"("InstanceId":"\u0041",)" + counters,       // an escape
           R"("Resources":{"State":null},)" + counters,  // null in a value nothing reads
           counters + R"(,"LastUpdateTime":1.5)",        // a float
           R"("BytesReceived":1.0,)" + counters.substr(counters.find(',') + 1),
       }) {
    const std::string text = R"({"Success":true,"Output":{)" + output + "}}";
    EXPECT_FALSE(ParseHnsEndpointStatsFast(text).has_value()) << text;
    auto r = ParseHnsEndpointStats(text, "s");
    ASSERT_TRUE(r.ok()) << r.error();
    EXPECT_EQ(r->bytes_received, 1u) << text;
    EXPECT_EQ(r->endpoint_id, "") << text;
  }
  EXPECT_EQ(CheckStats({R"({"Success":false,"Error":"x"})"}), 0);
}

TEST(FastPaths, AdapterTablesOutsideTheSubsetAreReadByTheFullParser) {
  const std::string counters =
      R"("InOctets":1,"OutOctets":0,"InUcastPkts":0,"InNUcastPkts":0,"OutUcastPkts":0,)"
      R"("OutNUcastPkts":0,"InDiscards":0,"InErrors":0,"OutDiscards":0,"OutErrors":0)";
  for (const std::string& fields : {
           R"("Alias":"x","Description":0,)" + counters,  // an unset marker
           R"("Alias":"x","PhysicalAddress":null,)" + counters,
           R"("Alias":"x","Hidden":true,)" + counters,    // a key nothing reads
           R"("Alias":"x","OperStatus":-1,)" + counters,  // negative
           R"("Alias":"\u0078",)" + counters,             // an escape
       }) {
    const std::string text = "[{" + fields + "}]";
    EXPECT_FALSE(ParseAdaptersJsonFast(text).has_value()) << text;
    auto r = ParseAdaptersJson(text, "a");
    ASSERT_TRUE(r.ok()) << r.error();
    EXPECT_EQ((*r)[0].alias, "x") << text;
    EXPECT_EQ((*r)[0].in_octets, 1u) << text;
  }
  // Absent optional fields are the full parser's defaults, on the fast path too.
  const std::string minimal = R"([{"Alias":"x",)" + counters + "}]";
  ASSERT_TRUE(ParseAdaptersJsonFast(minimal).has_value());
  EXPECT_EQ(CheckAdapters({minimal}), 1);
}

// Answers the fast path takes, and errors of every kind: the public parsers
// read and report them as the full parsers do.
TEST(FastPaths, PublicParsersAreTheFullParsers) {
  std::vector<std::string> stats = StatsSamples();
  for (const char* text : {
           "",
           "{",
           R"({"Success":false,"Error":"x","ErrorCode":2151350291})",
           R"({"Success":true})",
           R"({"Success":true,"Output":[]})",
           R"({"Success":true,"Output":{"BytesReceived":1}})",
           R"({"Success":true,"Success":true,"Output":{}})",
           R"({"Success":true,"Output":{"BytesReceived":-1}})",
           R"({"Success":"true","Output":{}})",
       }) {
    stats.push_back(text);
  }
  for (const std::string& text : stats) {
    ExpectSameAsFull(text, ParseHnsEndpointStats, ParseHnsEndpointStatsFull);
  }
  std::vector<std::string> tables = AdapterSamples();
  for (const char* text : {
           "",
           "{}",
           R"([{"Alias":"x","InOctets":1}])",
           R"([{"Alias":"x","PhysicalAddress":"nope"}])",
           R"([{"Alias":"x","InterfaceIndex":4294967296}])",
           R"([{"Alias":"x","OperStatus":9223372036854775808}])",
           R"([{"Alias":"x","Alias":"y"}])",
           "[1]",
       }) {
    tables.push_back(text);
  }
  for (const std::string& text : tables) {
    ExpectSameAsFull(text, ParseAdaptersJson, ParseAdaptersJsonFull);
  }
}

}  // namespace
}  // namespace winnet
