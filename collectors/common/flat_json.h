// A strict scanner for a small subset of JSON, for the fast paths of the
// fixed-shape answers that are read many times a second (HNS endpoint stats,
// adapters.json): it reads them in place and builds no document. Anything
// outside the subset makes it give up (false), which is never an error: the
// caller then parses the text with the full parser (json_read.h), which reads
// it or says what is wrong. The subset is chosen so that every text the scanner
// accepts is valid JSON that the full parser reads to the same values:
//   - objects and arrays nested at most kMaxDepth deep; at most kMaxKeys members
//     in one object and no key twice (the full parser refuses duplicates);
//   - strings of printable ASCII (0x20 to 0x7E) without a backslash: no escape
//     to decode, no control byte (invalid JSON), no UTF-8 to validate;
//   - numbers that are non-negative integers as JSON writes them (no sign,
//     leading zero, fraction or exponent) and fit in 64 bits: exactly those the
//     full parser keeps as unsigned integers;
//   - true and false; null gives up (readers take it for an absent field);
//   - JSON's whitespace (space, tab, LF, CR); no byte order mark, and nothing
//     but whitespace after the value.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace winnet {

class FlatJsonReader {
 public:
  static constexpr int kMaxDepth = 4;
  static constexpr size_t kMaxKeys = 32;

  explicit FlatJsonReader(std::string_view text) : text_(text) {}

  // Each reads the value at the cursor and returns false (give up) when it is
  // not of that type or not in the subset. A string is the bytes between its
  // quotes, a view into the text. A scalar ends where its own bytes do: what
  // reads next wants a comma, a closing bracket or the end, so that "1.5",
  // "1e3" and "truex" give up there.
  bool ReadString(std::string_view* out);
  bool ReadUint(uint64_t* out);
  bool ReadBool(bool* out);
  // Skips a string, number or boolean; an object or array gives up.
  bool SkipScalar();
  // Skips a value of any type the subset has.
  bool SkipValue();

  // Reads an object, calling member(key) for each member in order: member
  // reads the value with the functions above and returns true, or false to
  // give up. A value it leaves unread makes the reader give up.
  template <typename F>
  bool ReadObject(F&& member);
  // Reads an array, calling element() for each element, likewise.
  template <typename F>
  bool ReadArray(F&& element);

  // True when nothing but whitespace is left: the check after the top value.
  bool AtEnd();

 private:
  enum class After { kMore, kEnd, kGiveUp };
  // The keys of one object so far, to refuse a duplicate. `hashes` has a bit
  // per KeyHash of them: a key whose bit is clear is new without a comparison.
  struct Keys {
    std::array<std::string_view, kMaxKeys> seen;
    size_t count = 0;
    uint64_t hashes = 0;
  };

  // Skips whitespace; the next byte, or '\0' at the end of the text.
  char Peek();
  // Consumes the opening bracket; false when it is not there or too deep.
  bool Enter(char open);
  // Consumes the closing bracket if it is next.
  bool Close(char close);
  // After a member or element: a comma, the closing bracket, or neither.
  After Next(char close);
  // Reads a key and its colon; false on a duplicate or too many keys.
  bool ReadKey(Keys& keys, std::string_view* key);

  std::string_view text_;
  size_t pos_ = 0;
  int depth_ = 0;
};

template <typename F>
bool FlatJsonReader::ReadObject(F&& member) {
  if (!Enter('{')) return false;
  if (Close('}')) return true;
  Keys keys;
  for (;;) {
    std::string_view key;
    if (!ReadKey(keys, &key) || !member(key)) return false;
    const After after = Next('}');
    if (after != After::kMore) return after == After::kEnd;
  }
}

template <typename F>
bool FlatJsonReader::ReadArray(F&& element) {
  if (!Enter('[')) return false;
  if (Close(']')) return true;
  for (;;) {
    if (!element()) return false;
    const After after = Next(']');
    if (after != After::kMore) return after == After::kEnd;
  }
}

// True when `text` is one value of the subset and nothing else.
bool IsFlatJson(std::string_view text);

}  // namespace winnet
