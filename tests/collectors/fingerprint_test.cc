#include "collectors/common/fingerprint.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace winnet {
namespace {

TEST(Fingerprint, EqualTextsEqualFingerprints) {
  EXPECT_EQ(FingerprintOf("abc"), FingerprintOf(std::string("abc")));
  EXPECT_EQ(FingerprintOf(""), FingerprintOf(std::string_view()));
  EXPECT_EQ(FingerprintOf("abc").size, 3u);
}

// Every single-bit change, at every position of texts of every length up to
// 80 bytes (the word loop, the lanes and the tail), changes the hash.
TEST(Fingerprint, EverySingleBitChangeChangesTheHash) {
  for (size_t n = 1; n <= 80; ++n) {
    std::string text(n, 'x');
    for (size_t i = 0; i < n; ++i) text[i] = static_cast<char>('a' + i % 26);
    const uint64_t base = FingerprintOf(text).hash;
    for (size_t i = 0; i < n; ++i) {
      for (int bit = 0; bit < 8; ++bit) {
        std::string changed = text;
        changed[i] = static_cast<char>(changed[i] ^ (1 << bit));
        EXPECT_NE(FingerprintOf(changed).hash, base) << "length " << n << " byte " << i;
      }
    }
  }
}

// Zero bytes are not lost in the tail: "a" and "a\0" differ, by hash too.
TEST(Fingerprint, TrailingZerosAndLengthCount) {
  std::set<uint64_t> hashes;
  std::string text;
  for (int n = 0; n < 70; ++n) {
    hashes.insert(FingerprintOf(text).hash);
    text.push_back('\0');
  }
  EXPECT_EQ(hashes.size(), 70u);
}

// Counters as they change in a stats file: many near-identical texts, no
// collision among them.
TEST(Fingerprint, NoCollisionAmongManyCounterTexts) {
  std::set<uint64_t> hashes;
  for (int i = 0; i < 100000; ++i) {
    hashes.insert(
        FingerprintOf("{\"BytesReceived\": " + std::to_string(1000000 + i) + ", \"BytesSent\": 42}")
            .hash);
  }
  EXPECT_EQ(hashes.size(), 100000u);
}

}  // namespace
}  // namespace winnet
