// IPv4 and IPv6 addresses and prefixes as text: parsed, written in one
// canonical form (IPv6 as RFC 5952: lower case, longest zero run compressed),
// and compared by prefix. Pure; the join compares every address of the state
// files, CNS and HNS in this form (docs/metrics.md, "Dual-stack").
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace winnet {

struct IpAddress {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};  // IPv4 in the first 4

  size_t size() const { return v6 ? 16 : 4; }
  friend bool operator==(const IpAddress&, const IpAddress&) = default;
};

// "10.0.0.5", "fd00::5", "FD00:0:0::5", "::ffff:10.0.0.5" (an IPv4-mapped
// IPv6 address stays IPv6). A zone ("%eth0") or anything else: nullopt.
std::optional<IpAddress> ParseIpAddress(std::string_view text);

// Dotted quad, or RFC 5952 text.
std::string FormatIpAddress(const IpAddress& ip);

// The canonical text of `text`, or `text` unchanged when it is no address.
std::string CanonicalIp(std::string_view text);

struct IpPrefix {
  IpAddress base;  // masked: host bits zero
  int length = 0;

  bool Contains(const IpAddress& ip) const;
};

// "10.244.1.0/24", "fd00:10:244::/64". Host bits are cleared.
std::optional<IpPrefix> ParseIpPrefix(std::string_view text);
// An address and a prefix length given apart (CNS's IPSubnet).
std::optional<IpPrefix> MakeIpPrefix(std::string_view address, int length);
// "10.244.1.0/24": the canonical CIDR form.
std::string FormatIpPrefix(const IpPrefix& prefix);

}  // namespace winnet
