#include <gtest/gtest.h>

#include "collectors/adapters/live_adapters.h"

namespace winnet {
namespace {

TEST(KernelAdapters, DumpListsLoopbackWithCounters) {
  auto src = MakeKernelAdapterSource();
  auto rows = src->List();
  ASSERT_TRUE(rows.ok()) << rows.error();
  const AdapterRow* lo = nullptr;
  for (const auto& r : *rows) {
    if (r.alias == "lo") lo = &r;
  }
  ASSERT_NE(lo, nullptr) << "no loopback interface in the dump";
  EXPECT_TRUE(lo->Up());
  EXPECT_GT(lo->interface_index, 0u);
  // Counters are monotonic: a second dump never goes backwards.
  auto again = src->List();
  ASSERT_TRUE(again.ok()) << again.error();
  for (const auto& r : *again) {
    if (r.alias == "lo") {
      EXPECT_GE(r.in_octets, lo->in_octets);
    }
  }
}

}  // namespace
}  // namespace winnet
