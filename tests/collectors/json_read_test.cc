// jsonr::ParseStreaming, and the two parsers that stream their records out of
// the document (IPAM addresses, HNS list items): the records, their contexts
// and the errors must be what a walk of the whole DOM gives.
#include "collectors/common/json_read.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "collectors/hns/hns_v1.h"
#include "collectors/ipam/ipam_state.h"

namespace winnet {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct Seen {
  std::string path;
  std::vector<std::string> keys;
  std::string value;
};

std::vector<Seen> StreamAll(const std::string& text, const std::vector<std::string>& path,
                            jsonr::Json* rest) {
  std::vector<Seen> seen;
  auto doc = jsonr::ParseStreaming(
      text, "f.json", path,
      [&](const jsonr::Ctx& ctx, const std::vector<std::string_view>& keys, jsonr::Json&& v) {
        seen.push_back({ctx.path(), {keys.begin(), keys.end()}, v.dump()});
      });
  EXPECT_TRUE(doc.ok()) << doc.error();
  if (doc.ok() && rest != nullptr) *rest = std::move(*doc);
  return seen;
}

// The error of a streaming parse that drops what it is handed ("" on success).
std::string StreamError(const std::string& text, const std::vector<std::string>& path) {
  auto r = jsonr::ParseStreaming(
      text, "f.json", path,
      [](const jsonr::Ctx&, const std::vector<std::string_view>&, jsonr::Json&&) {});
  return r.ok() ? "" : r.error();
}

TEST(ParseStreaming, HandsOutEachValueOnThePathAndKeepsTheRest) {
  jsonr::Json rest;
  auto seen =
      StreamAll(R"({"a":{"x":{"k":1},"10.0.0.0/8":[2],"y":null},"b":{"x":3}})", {"a", "*"}, &rest);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].path, "a.x");
  EXPECT_THAT(seen[0].keys, ElementsAre("a", "x"));
  EXPECT_EQ(seen[0].value, R"({"k":1})");
  EXPECT_EQ(seen[1].path, R"(a["10.0.0.0/8"])");
  EXPECT_EQ(seen[1].value, "[2]");
  EXPECT_EQ(seen[2].value, "null");
  EXPECT_EQ(rest.dump(), R"({"a":{},"b":{"x":3}})");
}

TEST(ParseStreaming, ArrayItemsKeepTheirIndexAfterEarlierOnesAreTaken) {
  jsonr::Json rest;
  auto seen =
      StreamAll(R"({"Output":[{"i":0},7,{"i":2}],"Success":true})", {"Output", "[]"}, &rest);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].path, "Output[0]");
  EXPECT_EQ(seen[1].path, "Output[1]");
  EXPECT_EQ(seen[2].path, "Output[2]");
  EXPECT_THAT(seen[2].keys, ElementsAre("Output", ""));
  EXPECT_EQ(rest.dump(), R"({"Output":[],"Success":true})");
  // An error after taken items still names the right index.
  EXPECT_EQ(StreamError(R"({"Output":[{"i":0},{"i":1,"i":2}]})", {"Output", "[]"}),
            R"(f.json: field Output[1]: duplicate key "i")");
}

TEST(ParseStreaming, StarTakesObjectMembersAndBracketsTakeArrayItemsOnly) {
  jsonr::Json rest;
  // An HNS list answer whose Output is one object keeps it whole ...
  EXPECT_TRUE(StreamAll(R"({"Output":{"ID":"a","Name":"b"}})", {"Output", "[]"}, &rest).empty());
  EXPECT_EQ(rest.dump(), R"({"Output":{"ID":"a","Name":"b"}})");
  // ... and IPAM addresses written as an array stay for the parser to refuse.
  EXPECT_TRUE(StreamAll(R"({"a":[{"InUse":true}]})", {"a", "*"}, &rest).empty());
  EXPECT_EQ(rest.dump(), R"({"a":[{"InUse":true}]})");
}

TEST(ParseStreaming, ATakenKeyIsStillADuplicate) {
  EXPECT_EQ(StreamError(R"({"a":{"x":1,"y":2,"x":3}})", {"a", "*"}),
            R"(f.json: field a: duplicate key "x")");
}

TEST(ParseStreaming, ValuesOffThePathOrAtOtherDepthsStay) {
  jsonr::Json rest;
  auto seen = StreamAll(R"({"a":{"b":{"c":1}},"c":{"b":2}})", {"a", "b", "c"}, &rest);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].path, "a.b.c");
  EXPECT_EQ(rest.dump(), R"({"a":{"b":{}},"c":{"b":2}})");
}

constexpr const char* kPool =
    R"({"IPAM":{"AddressSpaces":{"local":{"Pools":{"10.0.0.0/24":{%s}}}}}})";

std::string Pool(const std::string& body) {
  std::string out = kPool;
  out.replace(out.find("%s"), 2, body);
  return out;
}

TEST(IpamStreaming, AllocatedAddressesEndSortedByKeyWhateverTheFileOrder) {
  auto r = ParseIpamState(Pool(R"("Addresses":{
      "10.0.0.9":{"ID":"c9","Addr":"10.0.0.9","InUse":true},
      "10.0.0.10":{"ID":"c1","Addr":"10.0.0.10","InUse":true},
      "10.0.0.3":{"ID":"","Addr":"10.0.0.3","InUse":false},
      "10.0.0.4":{"ID":"c4","Addr":"10.0.0.4","InUse":true}})"),
                          "ipam.json");
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_EQ(r->pools.size(), 1u);
  const auto& a = r->pools[0].in_use;
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(r->pools[0].Capacity(), 4u);
  EXPECT_EQ(a[0].ip, "10.0.0.10");
  EXPECT_EQ(a[1].ip, "10.0.0.4");
  EXPECT_EQ(a[2].ip, "10.0.0.9");
  EXPECT_EQ(a[0].id, "c1");
  EXPECT_EQ(a[2].id, "c9");
  EXPECT_EQ(r->pools[0].Allocated(), 3u);
}

TEST(IpamStreaming, ErrorsComeInTheOrderOfTheDomWalk) {
  // A bad pool field is found before any bad address of that pool, even when
  // the addresses come first in the file.
  auto r =
      ParseIpamState(Pool(R"("Addresses":{"10.0.0.5":{"InUse":"yes"}},"Gateway":7)"), "ipam.json");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error(),
              HasSubstr(R"(Pools["10.0.0.0/24"].Gateway: expected a string, got number)"));
  // Of two bad addresses, the first by key.
  r = ParseIpamState(Pool(R"("Addresses":{"10.0.0.7":{"InUse":1},"10.0.0.5":{"Addr":"x"}})"),
                     "ipam.json");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error(), HasSubstr(R"(Addresses["10.0.0.5"].Addr: "x" differs from its key)"));
  // An address that is not an object.
  r = ParseIpamState(Pool(R"("Addresses":{"10.0.0.5":true})"), "ipam.json");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error(), HasSubstr(R"(Addresses["10.0.0.5"]: expected an object, got boolean)"));
  // Addresses of the wrong type.
  r = ParseIpamState(Pool(R"("Addresses":[{"InUse":true}])"), "ipam.json");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error(),
              HasSubstr(R"(Pools["10.0.0.0/24"].Addresses: expected an object, got array)"));
}

TEST(HnsStreaming, TheEnvelopeIsJudgedBeforeTheItems) {
  // Success false after bad items: HNS's failure is the error.
  auto r = ParseHnsEndpoints(
      R"({"Output":[{"Name":"no id"}],"Success":false,"Error":"Element not found."})",
      "HNS GET /endpoints/");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error(), HasSubstr("HNS reported failure: Element not found."));
  // An object Output is one item, not a map of items: its members are not taken.
  r = ParseHnsEndpoints(R"({"Success":true,"Output":{"a":{"ID":"x"}}})", "HNS GET /endpoints/");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error(), HasSubstr("field Output.ID: missing"));
  // The first bad item is named by its index.
  r = ParseHnsEndpoints(
      R"({"Success":true,"Output":[{"ID":"a"},{"ID":"b"},{"Name":"c"},{"Name":"d"}]})",
      "HNS GET /endpoints/");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error(), HasSubstr("field Output[2].ID: missing"));
  // Good items in order.
  r = ParseHnsEndpoints(
      R"({"Output":[{"ID":"A-1"},{"ID":"b-2","IsRemoteEndpoint":true}],"Success":true})",
      "HNS GET /endpoints/");
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].raw_id, "A-1");
  EXPECT_TRUE((*r)[1].remote);
}

}  // namespace
}  // namespace winnet
