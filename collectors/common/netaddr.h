// Small pure helpers for the encodings of the state files and HNS: base64 masks
// and MACs (Go encoding/json), dash MACs (HNS), GUIDs in any case, RFC 3339.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/common/result.h"

namespace winnet {

// Standard base64 with or without padding; nullopt on any invalid character.
std::optional<std::vector<uint8_t>> DecodeBase64(std::string_view in);

// Number of leading one bits of a network mask; nullopt when the ones are not
// contiguous. A 16-byte mask applied to IPv4 is the caller's business.
std::optional<int> MaskPrefixLength(const std::vector<uint8_t>& mask);

// "00:15:5d:db:d3:43": lower case, colon separated.
std::string FormatMac(const std::vector<uint8_t>& bytes);

// Accepts "00-15-5D-DB-D3-43", "00:15:5d:db:d3:43" or "00155DDBD343" in any case.
// Returns the canonical FormatMac form, or nullopt.
std::optional<std::string> NormalizeMacText(std::string_view text);

// ASCII letters in lower case; other bytes unchanged.
std::string LowerAscii(std::string_view text);

// Lower case, surrounding braces removed. HNS writes GUIDs upper case, the CNI lower.
std::string NormalizeGuid(std::string_view guid);

// True for "8f109901-9970-4fda-bb2b-e9882fb3e8fb" in any case, without braces
// (what NormalizeGuid returns for a GUID).
bool IsGuid(std::string_view text);

// True for the all-zero GUID, with or without braces: what HNS and the CNI
// write for "no such object" (docs/hns.md, "Fields the parsers read").
bool IsZeroGuid(std::string_view text);

// NormalizeGuid for a field that refers to another object: "" (none) for the
// all-zero GUID.
std::string NormalizeGuidReference(std::string_view guid);

// RFC 3339 ("2025-03-14T09:26:53.1234567Z", "...+05:30") to Unix seconds. The
// error says what is wrong after the quoted text: `is not an RFC 3339 time`,
// or which field is out of range (`has day 31, but February 2025 has 28
// days`). Second 60 is refused: Go never writes a leap second.
Result<double> ParseRfc3339(std::string_view text);

// Unix seconds as RFC 3339 UTC to the second ("2026-11-29T20:57:01Z"), for
// any year; pure, so that no platform's gmtime is needed.
std::string FormatRfc3339Utc(int64_t unix_seconds);

// Go's zero time.Time, 0001-01-01T00:00:00Z, in Unix seconds: what Go writes
// for a time that was never set (docs/state-files.md).
inline constexpr double kGoZeroTimeUnix = -62135596800.0;

// True for a dotted-quad IPv4 address.
bool IsIpv4(std::string_view text);

// The canonical text of an IP address, so that two spellings of one address
// compare equal: IPv4 as four decimal numbers without leading zeros; IPv6 as
// RFC 5952 writes it (lower case, no leading zeros, the longest run of two or
// more zero groups as "::", the first of equal runs), an embedded IPv4 tail
// in hex groups too (::ffff:10.0.0.1 is ::ffff:a00:1).
// nullopt when `text` is neither (a zone "%eth0" or a prefix "/24" included).
std::optional<std::string> CanonicalIpText(std::string_view text);
// CanonicalIp (collectors/common/ip_address.h): the same, or `text` unchanged.

// `text` with every byte that is not part of a well-formed UTF-8 sequence
// replaced by U+FFFD. Linux interface names are arbitrary bytes; labels,
// JSON and HTML must be UTF-8 (Prometheus rejects a whole scrape otherwise).
std::string ToValidUtf8(std::string_view text);

}  // namespace winnet
