#include "collectors/common/flat_json.h"

#include <array>
#include <charconv>
#include <system_error>

namespace winnet {

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The bytes a string may hold as they are: printable ASCII other than the
// quote and the backslash. A table, as every byte of every string is looked up.
constexpr std::array<bool, 256> kPlainStringByte = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c <= 0x7E; ++c) plain[c] = c != '"' && c != '\\';
  return plain;
}();

// 0 to 63 from a key's length and its first and last bytes: keys of one
// object mostly differ in these, so a duplicate is looked for only among keys
// of the same hash.
unsigned KeyHash(std::string_view key) {
  if (key.empty()) return 0;
  return (key.size() * 7 + static_cast<unsigned char>(key.front()) * 3 +
          static_cast<unsigned char>(key.back())) &
         63;
}

}  // namespace

char FlatJsonReader::Peek() {
  while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
  return pos_ < text_.size() ? text_[pos_] : '\0';
}

bool FlatJsonReader::ReadString(std::string_view* out) {
  if (Peek() != '"') return false;
  const size_t begin = pos_ + 1;
  size_t end = begin;
  while (end < text_.size() && kPlainStringByte[static_cast<unsigned char>(text_[end])]) ++end;
  // Not the closing quote: an escape, a control or non-ASCII byte, or the end.
  if (end == text_.size() || text_[end] != '"') return false;
  *out = text_.substr(begin, end - begin);
  pos_ = end + 1;
  return true;
}

bool FlatJsonReader::ReadUint(uint64_t* out) {
  if (!IsDigit(Peek())) return false;
  size_t end = pos_;
  uint64_t value = 0;  // wraps past 19 digits: then from_chars decides
  for (; end < text_.size() && IsDigit(text_[end]); ++end) value = value * 10 + (text_[end] - '0');
  if (text_[pos_] == '0' && end - pos_ > 1) return false;  // a leading zero is invalid JSON
  if (end - pos_ > 19) {  // 19 digits always fit in 64 bits, 20 not always
    const char* last = text_.data() + end;
    auto [ptr, ec] = std::from_chars(text_.data() + pos_, last, value);
    if (ec != std::errc() || ptr != last) return false;  // beyond 64 bits
  }
  *out = value;
  pos_ = end;
  return true;
}

bool FlatJsonReader::ReadBool(bool* out) {
  Peek();
  const std::string_view rest = text_.substr(pos_);
  if (rest.substr(0, 4) == "true") {
    pos_ += 4;
    *out = true;
    return true;
  }
  if (rest.substr(0, 5) == "false") {
    pos_ += 5;
    *out = false;
    return true;
  }
  return false;
}

bool FlatJsonReader::SkipScalar() {
  std::string_view text;
  uint64_t number = 0;
  bool boolean = false;
  switch (Peek()) {
    case '"': return ReadString(&text);
    case 't':
    case 'f': return ReadBool(&boolean);
    default: return ReadUint(&number);
  }
}

bool FlatJsonReader::SkipValue() {
  switch (Peek()) {
    case '{': return ReadObject([this](std::string_view) { return SkipValue(); });
    case '[': return ReadArray([this] { return SkipValue(); });
    default: return SkipScalar();
  }
}

bool FlatJsonReader::AtEnd() {
  Peek();
  return pos_ == text_.size();
}

bool FlatJsonReader::Enter(char open) {
  if (Peek() != open || depth_ == kMaxDepth) return false;
  ++pos_;
  ++depth_;
  return true;
}

bool FlatJsonReader::Close(char close) {
  if (Peek() != close) return false;
  ++pos_;
  --depth_;
  return true;
}

FlatJsonReader::After FlatJsonReader::Next(char close) {
  const char c = Peek();
  if (c == ',') {
    ++pos_;
    return After::kMore;
  }
  return Close(close) ? After::kEnd : After::kGiveUp;
}

bool FlatJsonReader::ReadKey(Keys& keys, std::string_view* key) {
  if (!ReadString(key) || Peek() != ':') return false;
  ++pos_;
  if (keys.count == keys.seen.size()) return false;
  const uint64_t bit = uint64_t{1} << KeyHash(*key);
  if ((keys.hashes & bit) != 0) {
    for (size_t i = 0; i < keys.count; ++i) {
      if (keys.seen[i] == *key) return false;  // the full parser refuses a duplicate key
    }
  }
  keys.hashes |= bit;
  keys.seen[keys.count++] = *key;
  return true;
}

bool IsFlatJson(std::string_view text) {
  FlatJsonReader reader(text);
  return reader.SkipValue() && reader.AtEnd();
}

}  // namespace winnet
