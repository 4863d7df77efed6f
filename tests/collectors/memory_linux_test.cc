// TuneAllocator (collectors/common/memory_linux.cc): a large block freed is
// given back, and the next one of that size gets a mapping of its own again
// instead of arena pages that stay resident.
#include <gtest/gtest.h>
#include <malloc.h>

#include <cstring>

#include "collectors/common/memory.h"
#include "tests/sanitized.h"

namespace winnet {
namespace {

size_t MappedBlockBytes() { return mallinfo2().hblkhd; }

TEST(TuneAllocator, LargeBlocksKeepTheirOwnMappingAfterOneIsFreed) {
  if (testing::kSanitized) GTEST_SKIP() << "the sanitizer's allocator replaces glibc's";
  TuneAllocator();
  constexpr size_t kSize = 600 << 10;  // about one exposition at 5,000 remote endpoints
  for (int round = 0; round < 3; ++round) {
    const size_t before = MappedBlockBytes();
    auto* block = static_cast<char*>(malloc(kSize));
    ASSERT_NE(block, nullptr);
    std::memset(block, round + 1, kSize);
    EXPECT_GE(MappedBlockBytes(), before + kSize) << "round " << round;
    free(block);
    EXPECT_LT(MappedBlockBytes(), before + kSize) << "round " << round;
  }
}

}  // namespace
}  // namespace winnet
