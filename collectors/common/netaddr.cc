#include "collectors/common/netaddr.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <utility>

#include "collectors/common/ip_address.h"

namespace winnet {

std::optional<std::vector<uint8_t>> DecodeBase64(std::string_view in) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  while (!in.empty() && in.back() == '=') in.remove_suffix(1);
  if (in.size() % 4 == 1) return std::nullopt;
  std::vector<uint8_t> out;
  out.reserve(in.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    int v = value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<uint8_t>((acc >> bits) & 0xff));
    }
  }
  return out;
}

std::optional<int> MaskPrefixLength(const std::vector<uint8_t>& mask) {
  int ones = 0;
  bool seen_zero = false;
  for (uint8_t b : mask) {
    for (int bit = 7; bit >= 0; --bit) {
      bool one = (b >> bit) & 1;
      if (one && seen_zero) return std::nullopt;
      if (one) {
        ++ones;
      } else {
        seen_zero = true;
      }
    }
  }
  return ones;
}

std::string FormatMac(const std::vector<uint8_t>& bytes) {
  // Not snprintf: a MAC is formatted for every adapter row at every poll.
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 3);
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i > 0) out += ':';
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 0xF];
  }
  return out;
}

std::optional<std::string> NormalizeMacText(std::string_view text) {
  std::vector<uint8_t> bytes;
  int nibble = -1;
  for (char c : text) {
    if (c == '-' || c == ':') continue;
    int v;
    if (c >= '0' && c <= '9') {
      v = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      v = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      v = c - 'A' + 10;
    } else {
      return std::nullopt;
    }
    if (nibble < 0) {
      nibble = v;
    } else {
      bytes.push_back(static_cast<uint8_t>(nibble * 16 + v));
      nibble = -1;
    }
  }
  if (nibble >= 0 || bytes.empty()) return std::nullopt;
  return FormatMac(bytes);
}

std::string LowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string NormalizeGuid(std::string_view guid) {
  if (guid.size() >= 2 && guid.front() == '{' && guid.back() == '}') {
    guid = guid.substr(1, guid.size() - 2);
  }
  return LowerAscii(guid);
}

bool IsGuid(std::string_view g) {
  if (g.size() != 36) return false;
  for (size_t i = 0; i < g.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? g[i] != '-' : std::isxdigit(static_cast<unsigned char>(g[i])) == 0) return false;
  }
  return true;
}

bool IsZeroGuid(std::string_view text) {
  return NormalizeGuid(text) == "00000000-0000-0000-0000-000000000000";
}

std::string NormalizeGuidReference(std::string_view guid) {
  return IsZeroGuid(guid) ? std::string() : NormalizeGuid(guid);
}

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// The inverse of DaysFromCivil: the proleptic Gregorian date of a day count
// since 1970-01-01 (H. Hinnant's civil_from_days).
void CivilFromDays(int64_t days, int64_t* y, unsigned* m, unsigned* d) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

// The fields of an RFC 3339 time as written, before any range check.
struct TimeFields {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  double fraction = 0;
  int offset_hours = 0, offset_minutes = 0, offset_sign = 1;
};

// ".1234567" at `pos`, if there; false when the dot has no digit after it.
bool ReadFraction(std::string_view s, size_t& pos, double* fraction) {
  if (pos >= s.size() || s[pos] != '.') return true;
  const size_t start = ++pos;
  double scale = 0.1;
  while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
    *fraction += (s[pos] - '0') * scale;
    scale /= 10;
    ++pos;
  }
  return pos != start;
}

// "Z" or "+hh:mm"/"-hh:mm" at `pos`, and nothing after it.
bool ReadZone(std::string_view s, size_t pos, TimeFields* t) {
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) return pos + 1 == s.size();
  if (pos >= s.size() || (s[pos] != '+' && s[pos] != '-')) return false;
  t->offset_sign = s[pos] == '+' ? 1 : -1;
  return pos + 6 == s.size() && Digits(s, pos + 1, 2, &t->offset_hours) && s[pos + 3] == ':' &&
         Digits(s, pos + 4, 2, &t->offset_minutes);
}

// "YYYY-MM-DDThh:mm:ss[.f…](Z|±hh:mm)" split into fields; nullopt for any other shape.
std::optional<TimeFields> SplitRfc3339(std::string_view s) {
  TimeFields t;
  if (s.size() < 20 || !Digits(s, 0, 4, &t.year) || s[4] != '-' || !Digits(s, 5, 2, &t.month) ||
      s[7] != '-' || !Digits(s, 8, 2, &t.day) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      !Digits(s, 11, 2, &t.hour) || s[13] != ':' || !Digits(s, 14, 2, &t.minute) || s[16] != ':' ||
      !Digits(s, 17, 2, &t.second)) {
    return std::nullopt;
  }
  size_t pos = 19;
  if (!ReadFraction(s, pos, &t.fraction) || !ReadZone(s, pos, &t)) return std::nullopt;
  return t;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// "" when every field is in range, else which one is not and why.
std::string OutOfRangeField(const TimeFields& t) {
  static constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                            "May",       "June",     "July",     "August",
                                            "September", "October",  "November", "December"};
  auto n = [](int v) { return std::to_string(v); };
  if (t.month < 1 || t.month > 12) return "has month " + n(t.month) + "; months go from 1 to 12";
  const int days = DaysInMonth(t.year, t.month);
  if (t.day < 1 || t.day > days) {
    return "has day " + n(t.day) + ", but " + kMonths[t.month - 1] + " " + n(t.year) + " has " +
           n(days) + " days";
  }
  if (t.hour > 23) return "has hour " + n(t.hour) + "; hours go up to 23";
  if (t.minute > 59) return "has minute " + n(t.minute) + "; minutes go up to 59";
  if (t.second == 60) return "has second 60 (a leap second); seconds go up to 59";
  if (t.second > 59) return "has second " + n(t.second) + "; seconds go up to 59";
  if (t.offset_hours > 23 || t.offset_minutes > 59) return "has a zone offset out of range";
  return "";
}

}  // namespace

Result<double> ParseRfc3339(std::string_view text) {
  const auto t = SplitRfc3339(text);
  if (!t) return MakeError("is not an RFC 3339 time");
  if (std::string why = OutOfRangeField(*t); !why.empty()) return MakeError(std::move(why));
  const int64_t days =
      DaysFromCivil(t->year, static_cast<unsigned>(t->month), static_cast<unsigned>(t->day));
  const int64_t offset_seconds =
      int64_t{t->offset_sign} * (int64_t{t->offset_hours} * 3600 + int64_t{t->offset_minutes} * 60);
  const int64_t secs =
      days * 86400 + int64_t{t->hour} * 3600 + int64_t{t->minute} * 60 + t->second - offset_seconds;
  return static_cast<double>(secs) + t->fraction;
}

std::string FormatRfc3339Utc(int64_t unix_seconds) {
  int64_t days = unix_seconds / 86400;
  int64_t secs_of_day = unix_seconds % 86400;
  if (secs_of_day < 0) {
    secs_of_day += 86400;
    --days;
  }
  int64_t year = 0;
  unsigned month = 0, day = 0;
  CivilFromDays(days, &year, &month, &day);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02dZ", static_cast<long long>(year),
                month, day, static_cast<int>(secs_of_day / 3600),
                static_cast<int>(secs_of_day / 60 % 60), static_cast<int>(secs_of_day % 60));
  return buf;
}

bool IsIpv4(std::string_view text) {
  int parts = 0;
  size_t i = 0;
  while (i <= text.size()) {
    size_t start = i;
    int v = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      v = v * 10 + (text[i] - '0');
      if (v > 255 || i - start >= 3) return false;
      ++i;
    }
    if (i == start) return false;
    ++parts;
    if (i == text.size()) break;
    if (text[i] != '.') return false;
    ++i;
  }
  return parts == 4;
}

std::string ToValidUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    auto b = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
    unsigned char c = b(i);
    size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c < 0x80) {
      len = 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // no overlong forms
      if (c == 0xED) hi = 0x9F;  // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
    }
    bool ok = len > 0 && i + len <= text.size();
    for (size_t k = 1; ok && k < len; ++k) {
      unsigned char lim_lo = k == 1 ? lo : 0x80, lim_hi = k == 1 ? hi : 0xBF;
      ok = b(i + k) >= lim_lo && b(i + k) <= lim_hi;
    }
    if (ok) {
      out.append(text.substr(i, len));
      i += len;
    } else {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
    }
  }
  return out;
}

std::optional<std::string> CanonicalIpText(std::string_view text) {
  auto ip = ParseIpAddress(text);
  if (!ip) return std::nullopt;
  return FormatIpAddress(*ip);
}

}  // namespace winnet
