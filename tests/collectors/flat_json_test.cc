#include "collectors/common/flat_json.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "collectors/common/json_read.h"
#include "tests/json_mutations.h"

namespace winnet {
namespace {

using namespace std::string_literals;

// An object of n members "k0": 0, "k1": 1, ...
std::string ObjectOf(int n) {
  std::string text = "{";
  for (int i = 0; i < n; ++i) {
    text += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":" + std::to_string(i);
  }
  return text + "}";
}

TEST(FlatJson, AcceptsTheSubset) {
  const std::vector<std::string> accepted = {
      "{}",
      "[]",
      "0",
      "18446744073709551615",
      R"("")",
      R"(" !#$%&'()*+,-./09:;<=>?@AZ[]^_`az{|}~")",
      "true",
      "false",
      R"({"a":1,"b":"x","c":true,"d":[1,2,{"e":false}],"f":{}})",
      " \t\r\n{ \"a\" \t:\n 1 \r, \"b\":[ ] }\n\t ",
      "[[[[1]]]]",
      R"({"a":{"b":{"c":{"d":1}}}})",
      ObjectOf(static_cast<int>(FlatJsonReader::kMaxKeys)),
      R"({"a":1,"b":{"a":2}})",  // the same key in two objects
  };
  for (const std::string& text : accepted) {
    EXPECT_TRUE(IsFlatJson(text)) << text;
    EXPECT_TRUE(jsonr::Parse(text, "t").ok()) << text;
  }
}

TEST(FlatJson, GivesUpOnAnythingElse) {
  const std::vector<std::string> given_up = {
      // Escapes, control bytes, DEL and non-ASCII, in values and in keys.
      R"("a\"b")", R"("\u0041")", R"({"a\n":1})", "\"a\tb\"", "\"\x01\"", "\"\x7F\"",
      "\"caf\xC3\xA9\"", "\"\x80\"", "\"\xFF\"", "{\"\xC3\xA9\":1}", "\"a\0b\""s,
      // Numbers other than non-negative integers in 64 bits.
      "-1", "-0", "1.5", "1.0", "0.0", "1e3", "1E3", "0e0", "1e-2", "01", "00", "+1",
      "18446744073709551616", "99999999999999999999", ".5", "0x10", R"({"a":1.5})", "[1e3]",
      "[2E1]",
      // null, and what is no literal.
      "null", R"({"a":null})", "[null]", "tru", "True", "nul", "NaN", "Infinity",
      // Duplicate keys, at the top and nested.
      R"({"a":1,"a":2})", R"({"a":1,"a":1})", R"({"x":{"c":1,"c":"d"}})",
      // Deeper than kMaxDepth, more keys than kMaxKeys.
      "[[[[[1]]]]]", R"({"a":{"b":{"c":{"d":{"e":1}}}}})", "[[[[{}]]]]",
      ObjectOf(static_cast<int>(FlatJsonReader::kMaxKeys) + 1),
      // Anything after the value but whitespace.
      "{} x", "{}{}", "1 2", "{},", "truex", "1a", "{}\0"s, "[]]", "{}}",
      // Whitespace JSON does not have, a byte order mark, nothing at all.
      "\f{}", "\v{}", "\xC2\xA0{}", "\xEF\xBB\xBF{}", "", "  \n",
      // Broken structure.
      R"({"a":1,})", "[1,]", R"({"a" 1})", "{1:1}", "[1 2]", R"({"a":1)", "[", "{", R"("abc)",
      "{'a':1}", R"({"a"})", R"({"a":})", "[,1]", "{,}", R"({"a":1 "b":2})", "]", "}"};
  for (const std::string& text : given_up) EXPECT_FALSE(IsFlatJson(text)) << text;
}

TEST(FlatJson, ReadsValuesInPlace) {
  const std::string text = R"({"s":"ab c","n":18446744073709551615,"t":true,"f":false,"o":{}})";
  FlatJsonReader reader(text);
  std::string_view s;
  uint64_t n = 0;
  bool t = false, f = true;
  std::vector<std::string_view> keys;
  ASSERT_TRUE(reader.ReadObject([&](std::string_view key) {
    keys.push_back(key);
    if (key == "s") return reader.ReadString(&s);
    if (key == "n") return reader.ReadUint(&n);
    if (key == "t") return reader.ReadBool(&t);
    if (key == "f") return reader.ReadBool(&f);
    return reader.ReadObject([](std::string_view) { return false; });
  }));
  EXPECT_TRUE(reader.AtEnd());
  EXPECT_EQ(keys, (std::vector<std::string_view>{"s", "n", "t", "f", "o"}));
  EXPECT_EQ(s, "ab c");
  EXPECT_EQ(s.data(), text.data() + 6);  // a view into the text, not a copy
  EXPECT_EQ(n, 18446744073709551615u);
  EXPECT_TRUE(t);
  EXPECT_FALSE(f);
}

TEST(FlatJson, ReadersGiveUpOnAnotherTypeOrAnUnreadValue) {
  std::string_view s;
  uint64_t n = 0;
  bool b = false;
  EXPECT_FALSE(FlatJsonReader("1").ReadString(&s));
  EXPECT_FALSE(FlatJsonReader(R"("1")").ReadUint(&n));
  EXPECT_FALSE(FlatJsonReader("1").ReadBool(&b));
  EXPECT_FALSE(FlatJsonReader("{}").SkipScalar());
  EXPECT_FALSE(FlatJsonReader("[]").SkipScalar());
  EXPECT_FALSE(FlatJsonReader("[]").ReadObject([](std::string_view) { return true; }));
  EXPECT_FALSE(FlatJsonReader("{}").ReadArray([] { return true; }));
  // A member whose value is left unread: the reader does not take it for the next.
  FlatJsonReader unread(R"({"a":1})");
  EXPECT_FALSE(unread.ReadObject([](std::string_view) { return true; }));
  FlatJsonReader unread_element("[1]");
  EXPECT_FALSE(unread_element.ReadArray([] { return true; }));
  // The callback's false is the reader's.
  FlatJsonReader refused(R"({"a":1})");
  EXPECT_FALSE(refused.ReadObject([&](std::string_view) { return false; }));
}

// Whatever the scanner accepts, the full parser accepts: one byte away from a
// document of every construct, and with each token replaced.
TEST(FlatJson, AcceptsNothingTheFullParserRefuses) {
  const std::string seed =
      R"({"a": [1, 20, {"b": true}], "c": {"d": "e f", "g": false}, "h": 0, "i": []})";
  std::vector<std::string> texts = testing::ByteMutations(seed);
  for (std::string& t : testing::TokenMutations(seed, testing::ValueTokens())) {
    texts.push_back(std::move(t));
  }
  int accepted = 0;
  std::vector<std::string> wrong;
  for (const std::string& text : texts) {
    if (!IsFlatJson(text)) continue;
    ++accepted;
    if (!jsonr::Parse(text, "t").ok()) wrong.push_back(text);
  }
  EXPECT_TRUE(wrong.empty()) << wrong.size() << " accepted but invalid, first: " << wrong[0];
  // Both sides were exercised: many mutations stay in the subset, many leave it.
  EXPECT_GT(accepted, 500);
  EXPECT_GT(texts.size() - accepted, 2000u);
}

}  // namespace
}  // namespace winnet
