#include <gtest/gtest.h>

#include <map>
#include <set>

#include "collectors/adapters/live_adapters.h"

namespace winnet {
namespace {

// Under Wine the rows are the host's Linux interfaces (lo, eth0, ...); on
// Windows the loopback pseudo-interface and the (v)Ethernet adapters.
TEST(KernelAdapters, IfTableListsInterfacesWithCounters) {
  auto src = MakeKernelAdapterSource();
  EXPECT_EQ(src->Where(), "GetIfTable2Ex(MibIfTableRaw)");
  auto rows = src->List();
  ASSERT_TRUE(rows.ok()) << rows.error();
  ASSERT_FALSE(rows->empty());
  std::set<std::string> aliases;
  std::map<uint32_t, uint64_t> in_octets;
  for (const auto& r : *rows) {
    EXPECT_FALSE(r.alias.empty());
    EXPECT_TRUE(aliases.insert(r.alias).second) << "duplicate alias " << r.alias;
    EXPECT_GT(r.interface_index, 0u) << r.alias;
    EXPECT_TRUE(r.oper_status >= 1 && r.oper_status <= 7) << r.alias << " " << r.oper_status;
    in_octets[r.interface_index] = r.in_octets;
  }
  // Counters are monotonic: a second call never goes backwards.
  auto again = src->List();
  ASSERT_TRUE(again.ok()) << again.error();
  for (const auto& r : *again) {
    if (auto it = in_octets.find(r.interface_index); it != in_octets.end()) {
      EXPECT_GE(r.in_octets, it->second) << r.alias;
    }
  }
}

}  // namespace
}  // namespace winnet
