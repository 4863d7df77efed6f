// Size and 64-bit hash of a text: what the caching readers remember of the
// last bytes instead of the bytes (a state file can be megabytes).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace winnet {

struct Fingerprint {
  size_t size = 0;
  size_t hash = 0;
  bool operator==(const Fingerprint&) const = default;
};

inline Fingerprint FingerprintOf(std::string_view text) {
  return Fingerprint{text.size(), std::hash<std::string_view>{}(text)};
}

// "<what> N bytes, over the limit of M bytes; not parsed", or "" within the limit.
inline std::string TooBig(std::string_view what, size_t size, size_t limit) {
  if (size <= limit) return {};
  return std::string(what) + " " + std::to_string(size) + " bytes, over the limit of " +
         std::to_string(limit) + " bytes; not parsed";
}

}  // namespace winnet
