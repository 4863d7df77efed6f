// TuneAllocator (collectors/common/memory_linux.cc): a large block freed is
// given back, and the next one of that size gets a mapping of its own again
// instead of arena pages that stay resident.
#include <gtest/gtest.h>
#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "collectors/common/memory.h"
#include "tests/sanitized.h"

namespace winnet {
namespace {

size_t MappedBlockBytes() { return mallinfo2().hblkhd; }

// The rounds, in a process of its own: exits 0 when each block had its own
// mapping and gave it back, else names the round on stderr and exits 1.
void RunRoundsAndExit() {
  TuneAllocator();
  constexpr size_t kSize = 600 << 10;  // about one exposition at 5,000 remote endpoints
  for (int round = 0; round < 3; ++round) {
    const size_t before = MappedBlockBytes();
    auto* block = static_cast<char*>(malloc(kSize));
    if (block == nullptr) std::exit(2);
    std::memset(block, round + 1, kSize);
    const size_t mapped = MappedBlockBytes();
    free(block);
    const size_t after = MappedBlockBytes();
    if (mapped < before + kSize || after >= before + kSize) {
      std::fprintf(stderr, "round %d: mapped blocks %zu before, %zu with the block, %zu after\n",
                   round, before, mapped, after);
      std::exit(1);
    }
  }
  std::exit(0);
}

// In the exporter TuneAllocator runs first thing; here the blocks earlier
// tests freed would be in the arena and serve the request, so the rounds run
// in a new process of this test alone ("threadsafe" death tests re-run it).
TEST(TuneAllocator, LargeBlocksKeepTheirOwnMappingAfterOneIsFreed) {
  if (testing::kSanitized) GTEST_SKIP() << "the sanitizer's allocator replaces glibc's";
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(RunRoundsAndExit(), ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace winnet
