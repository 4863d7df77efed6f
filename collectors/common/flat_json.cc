#include "collectors/common/flat_json.h"

#include <charconv>
#include <system_error>

namespace winnet {

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A byte a string may hold as it is: printable ASCII other than the quote and
// the backslash.
bool IsPlainStringByte(char c) { return c >= 0x20 && c <= 0x7E && c != '"' && c != '\\'; }

}  // namespace

char FlatJsonReader::Peek() {
  while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
  return pos_ < text_.size() ? text_[pos_] : '\0';
}

bool FlatJsonReader::ReadString(std::string_view* out) {
  if (Peek() != '"') return false;
  const size_t begin = pos_ + 1;
  for (size_t i = begin; i < text_.size(); ++i) {
    const char c = text_[i];
    if (c == '"') {
      *out = text_.substr(begin, i - begin);
      pos_ = i + 1;
      return true;
    }
    if (!IsPlainStringByte(c)) return false;
  }
  return false;  // no closing quote
}

bool FlatJsonReader::ReadUint(uint64_t* out) {
  if (!IsDigit(Peek())) return false;
  size_t end = pos_;
  while (end < text_.size() && IsDigit(text_[end])) ++end;
  if (text_[pos_] == '0' && end - pos_ > 1) return false;  // a leading zero is invalid JSON
  const char* first = text_.data() + pos_;
  const char* last = text_.data() + end;
  auto [ptr, ec] = std::from_chars(first, last, *out);
  if (ec != std::errc() || ptr != last) return false;  // beyond 64 bits
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
  for (size_t i = 0; i < keys.count; ++i) {
    if (keys.seen[i] == *key) return false;  // the full parser refuses a duplicate key
  }
  keys.seen[keys.count++] = *key;
  return true;
}

bool IsFlatJson(std::string_view text) {
  FlatJsonReader reader(text);
  return reader.SkipValue() && reader.AtEnd();
}

}  // namespace winnet
