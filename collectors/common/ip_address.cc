#include "collectors/common/ip_address.h"

#include <charconv>
#include <vector>

namespace winnet {

namespace {

bool ParseIpv4Into(std::string_view text, uint8_t* out) {
  for (int i = 0; i < 4; ++i) {
    size_t end = i < 3 ? text.find('.') : text.size();
    if (end == std::string_view::npos || end == 0 || end > 3) return false;
    std::string_view part = text.substr(0, end);
    if (part.size() > 1 && part[0] == '0') return false;  // no octal-looking parts
    unsigned v = 0;
    auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
    if (ec != std::errc() || p != part.data() + part.size() || v > 255) return false;
    out[i] = static_cast<uint8_t>(v);
    text = i < 3 ? text.substr(end + 1) : std::string_view();
  }
  return true;
}

// Splits "a:b:c" into groups; an empty text gives no groups.
std::vector<std::string_view> SplitGroups(std::string_view text) {
  std::vector<std::string_view> groups;
  if (text.empty()) return groups;
  for (;;) {
    size_t c = text.find(':');
    groups.push_back(text.substr(0, c));
    if (c == std::string_view::npos) break;
    text = text.substr(c + 1);
  }
  return groups;
}

// Writes the 16-bit groups of `groups` (the last may be a dotted quad) to
// `out`; returns the number of bytes written, or -1.
int ParseGroups(const std::vector<std::string_view>& groups, uint8_t* out, int room) {
  int n = 0;
  for (size_t i = 0; i < groups.size(); ++i) {
    std::string_view g = groups[i];
    if (i + 1 == groups.size() && g.find('.') != std::string_view::npos) {
      if (n + 4 > room || !ParseIpv4Into(g, out + n)) return -1;
      return n + 4;
    }
    unsigned v = 0;
    if (g.empty() || g.size() > 4 || n + 2 > room) return -1;
    auto [p, ec] = std::from_chars(g.data(), g.data() + g.size(), v, 16);
    if (ec != std::errc() || p != g.data() + g.size()) return -1;
    out[n++] = static_cast<uint8_t>(v >> 8);
    out[n++] = static_cast<uint8_t>(v & 0xff);
  }
  return n;
}

std::optional<IpAddress> ParseIpv6(std::string_view text) {
  IpAddress ip;
  ip.v6 = true;
  size_t gap = text.find("::");
  if (gap == std::string_view::npos) {
    if (ParseGroups(SplitGroups(text), ip.bytes.data(), 16) != 16) return std::nullopt;
    return ip;
  }
  std::string_view head = text.substr(0, gap), tail = text.substr(gap + 2);
  if (tail.find("::") != std::string_view::npos) return std::nullopt;
  std::array<uint8_t, 16> back{};
  int h = ParseGroups(SplitGroups(head), ip.bytes.data(), 16);
  int t = ParseGroups(SplitGroups(tail), back.data(), 16);
  if (h < 0 || t < 0 || h + t > 14) return std::nullopt;
  for (int i = 0; i < t; ++i)
    ip.bytes[static_cast<size_t>(16 - t + i)] = back[static_cast<size_t>(i)];
  return ip;
}

}  // namespace

std::optional<IpAddress> ParseIpAddress(std::string_view text) {
  if (text.empty() || text.size() > 45) return std::nullopt;
  if (text.find(':') != std::string_view::npos) return ParseIpv6(text);
  IpAddress ip;
  if (!ParseIpv4Into(text, ip.bytes.data())) return std::nullopt;
  return ip;
}

std::string FormatIpAddress(const IpAddress& ip) {
  if (!ip.v6) {
    return std::to_string(ip.bytes[0]) + "." + std::to_string(ip.bytes[1]) + "." +
           std::to_string(ip.bytes[2]) + "." + std::to_string(ip.bytes[3]);
  }
  uint16_t g[8];
  for (int i = 0; i < 8; ++i)
    g[i] = static_cast<uint16_t>(ip.bytes[2 * i] << 8 | ip.bytes[2 * i + 1]);
  int best = -1, best_len = 0;  // the longest run of two or more zero groups, first wins
  for (int i = 0; i < 8;) {
    int j = i;
    while (j < 8 && g[j] == 0) ++j;
    if (j - i > best_len && j - i >= 2) best = i, best_len = j - i;
    i = j == i ? i + 1 : j;
  }
  std::string out;
  char buf[8];
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    auto [p, ec] = std::to_chars(buf, buf + sizeof buf, g[i], 16);
    out.append(buf, p);
  }
  return out;
}

std::string CanonicalIp(std::string_view text) {
  auto ip = ParseIpAddress(text);
  return ip ? FormatIpAddress(*ip) : std::string(text);
}

bool IpPrefix::Contains(const IpAddress& ip) const {
  if (ip.v6 != base.v6) return false;
  int bits = length;
  for (size_t i = 0; i < ip.size() && bits > 0; ++i, bits -= 8) {
    uint8_t mask = bits >= 8 ? 0xff : static_cast<uint8_t>(0xff << (8 - bits));
    if ((ip.bytes[i] & mask) != base.bytes[i]) return false;
  }
  return true;
}

std::optional<IpPrefix> MakeIpPrefix(std::string_view address, int length) {
  auto ip = ParseIpAddress(address);
  if (!ip || length < 0 || static_cast<size_t>(length) > ip->size() * 8) return std::nullopt;
  IpPrefix p{*ip, length};
  int bits = length;
  for (size_t i = 0; i < p.base.size(); ++i, bits -= 8) {
    if (bits >= 8) continue;
    p.base.bytes[i] &= bits <= 0 ? 0 : static_cast<uint8_t>(0xff << (8 - bits));
  }
  return p;
}

std::optional<IpPrefix> ParseIpPrefix(std::string_view text) {
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::string_view len_text = text.substr(slash + 1);
  int len = 0;
  auto [p, ec] = std::from_chars(len_text.data(), len_text.data() + len_text.size(), len);
  if (len_text.empty() || ec != std::errc() || p != len_text.data() + len_text.size()) {
    return std::nullopt;
  }
  return MakeIpPrefix(text.substr(0, slash), len);
}

std::string FormatIpPrefix(const IpPrefix& prefix) {
  return FormatIpAddress(prefix.base) + "/" + std::to_string(prefix.length);
}

}  // namespace winnet
