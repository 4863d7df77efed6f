// Size and 64-bit hash of a text: what the caching readers remember of the
// last bytes instead of the bytes (a state file can be megabytes).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace winnet {

struct Fingerprint {
  size_t size = 0;
  uint64_t hash = 0;
  bool operator==(const Fingerprint&) const = default;
};

namespace fingerprint_detail {

inline constexpr uint64_t kOdd1 = 0x9e3779b97f4a7c15ULL;  // 2^64 / golden ratio, odd
inline constexpr uint64_t kOdd2 = 0xc2b2ae3d27d4eb4fULL;
inline constexpr uint64_t kOdd3 = 0x165667b19e3779f9ULL;

inline uint64_t Rotl(uint64_t v, int r) { return (v << r) | (v >> (64 - r)); }

inline uint64_t Word(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

// One 8-byte word into a lane: a bijection of the lane for any word, so two
// texts that differ in one word always leave different lanes.
inline uint64_t Step(uint64_t lane, uint64_t word) { return Rotl((lane ^ word) * kOdd1, 31); }

// Final avalanche: every input bit reaches every output bit.
inline uint64_t Avalanche(uint64_t h) {
  h ^= h >> 32;
  h *= kOdd2;
  h ^= h >> 29;
  h *= kOdd3;
  h ^= h >> 32;
  return h;
}

}  // namespace fingerprint_detail

// A 64-bit hash for change detection, not against an adversary (neither was
// std::hash): four independent lanes of 8-byte words, so the CPU runs them
// side by side (several GB/s, memory bound), then an avalanche of the lanes,
// the tail and the size. Two texts that differ in one word differ in a lane;
// any two different texts of the same size get the same hash with a
// probability of about 2^-64, as with std::hash. On a 2.5 MB text: 11.5 GB/s
// against std::hash's 5.9 GB/s (g++ 12 -O3, the build machine of bench/README.md).
inline Fingerprint FingerprintOf(std::string_view text) {
  using namespace fingerprint_detail;
  const char* p = text.data();
  const size_t n = text.size();
  uint64_t a = kOdd1, b = kOdd2, c = kOdd3, d = kOdd1 ^ kOdd2;
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    a = Step(a, Word(p + i));
    b = Step(b, Word(p + i + 8));
    c = Step(c, Word(p + i + 16));
    d = Step(d, Word(p + i + 24));
  }
  for (; i + 8 <= n; i += 8) a = Step(a, Word(p + i));
  uint64_t tail = 0;
  if (n > i) std::memcpy(&tail, p + i, n - i);
  uint64_t h = Step(Avalanche(a) ^ Rotl(b, 17), tail ^ n);
  h = Step(h ^ Avalanche(c), Rotl(d, 43));
  return Fingerprint{n, Avalanche(h)};
}

// "<what> N bytes, over the limit of M bytes; not parsed", or "" within the limit.
inline std::string TooBig(std::string_view what, size_t size, size_t limit) {
  if (size <= limit) return {};
  return std::string(what) + " " + std::to_string(size) + " bytes, over the limit of " +
         std::to_string(limit) + " bytes; not parsed";
}

}  // namespace winnet
