#include "collectors/hns/hns_remote.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "collectors/hns/hns_data.h"
#include "tests/test_util.h"

namespace winnet {
namespace {

HnsEndpoint Remote(const std::string& id, const std::string& network_id,
                   const std::string& network_name) {
  HnsEndpoint e;
  e.id = id;
  e.name = id + "-name";
  e.network_id = network_id;
  e.network_name = network_name;
  e.ip = "10.1.0." + std::to_string(id.size());
  e.mac = "00:15:5d:00:00:" + id;
  e.state = 1;
  e.remote = true;
  return e;
}

// Every field a remote endpoint shows reads back as it went in, empty fields
// and the first and last endpoint included.
TEST(HnsRemoteEndpoints, GiveBackEveryFieldAsAdded) {
  HnsRemoteEndpoints list;
  HnsEndpoint first = Remote("a", "net-1", "azure");
  first.name = "";
  first.ipv6 = "fd00::a";
  HnsEndpoint middle = Remote("bb", "net-1", "azure");
  middle.ip = "";
  middle.mac = "";
  middle.state = 42;
  HnsEndpoint last = Remote("ccc", "", "");
  last.name = "名前-ä";  // UTF-8, as HNS may write it
  for (const auto* e : {&first, &middle, &last}) list.Add(*e);
  list.ShrinkToFit();
  ASSERT_EQ(list.size(), 3u);
  for (size_t i = 0; i < list.size(); ++i) {
    const HnsEndpoint& want = i == 0 ? first : i == 1 ? middle : last;
    const HnsRemoteEndpoints::Ref got = list[i];
    EXPECT_EQ(got.id(), want.id) << i;
    EXPECT_EQ(got.name(), want.name) << i;
    EXPECT_EQ(got.ip(), want.ip) << i;
    EXPECT_EQ(got.ipv6(), want.ipv6) << i;
    EXPECT_EQ(got.mac(), want.mac) << i;
    EXPECT_EQ(got.state(), want.state) << i;
    EXPECT_EQ(got.network().id, want.network_id) << i;
    EXPECT_EQ(got.network().name, want.network_name) << i;
  }
}

// The networks are kept once each, by id and name together.
TEST(HnsRemoteEndpoints, KeepEachNetworkOnce) {
  HnsRemoteEndpoints list;
  for (const auto& e : {Remote("a", "n1", "azure"), Remote("b", "n2", "other"),
                        Remote("c", "n1", "azure"), Remote("d", "n1", "renamed")}) {
    list.Add(e);
  }
  ASSERT_EQ(list.networks().size(), 3u);
  EXPECT_EQ(list[0].network_index(), 0u);
  EXPECT_EQ(list[1].network_index(), 1u);
  EXPECT_EQ(list[2].network_index(), 0u);
  EXPECT_EQ(list[3].network_index(), 2u);
  EXPECT_EQ(list[3].network().name, "renamed");
  list.ShrinkToFit();
  list.Add(Remote("e", "n2", "other"));
  EXPECT_EQ(list.networks().size(), 3u) << "found again after ShrinkToFit";
  EXPECT_EQ(list[4].network_index(), 1u);
}

// Splitting an HNS list keeps the local endpoints as records and the remote
// ones in the compact list, each in HNS's order, nothing dropped.
TEST(HnsRemoteEndpoints, SplitFromTheHnsListInOrder) {
  auto parsed = ParseHnsEndpoints(testing::Fixture("hns/endpoints.json"), "GET /endpoints/");
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  std::vector<HnsEndpoint> all = *parsed;
  all.push_back(Remote("e1", "n", "azure"));
  all.push_back(all.front());
  all.back().id = "second-local";
  HnsData data;
  SetHnsEndpoints(all, &data);
  ASSERT_EQ(data.endpoints.size(), 2u);
  EXPECT_EQ(data.endpoints[0].id, "e3a1c7d2-4b6f-4f0e-8a9d-1c2b3d4e5f60");
  EXPECT_EQ(data.endpoints[0].raw_id, "E3A1C7D2-4B6F-4F0E-8A9D-1C2B3D4E5F60");
  EXPECT_EQ(data.endpoints[1].id, "second-local");
  ASSERT_EQ(data.remote->size(), 2u);
  const HnsEndpoint& fixture_remote = (*parsed)[1];
  EXPECT_TRUE(fixture_remote.raw_id.empty()) << "remote endpoints have no stats to ask for";
  EXPECT_EQ((*data.remote)[0].id(), fixture_remote.id);
  EXPECT_EQ((*data.remote)[0].ip(), fixture_remote.ip);
  EXPECT_EQ((*data.remote)[0].mac(), fixture_remote.mac);
  EXPECT_EQ((*data.remote)[0].network().name, fixture_remote.network_name);
  EXPECT_EQ((*data.remote)[1].id(), "e1");
}

// What the list is for: far less than the records it replaces (bench/README.md,
// "Footprint" has the figures at 5,000 remote endpoints).
TEST(HnsRemoteEndpoints, HoldFarLessThanTheRecords) {
  HnsRemoteEndpoints list;
  size_t records = 0;
  for (int i = 0; i < 1000; ++i) {
    HnsEndpoint e =
        Remote("9b1d3f5a-7c2e-4a6b-8d0f-" + std::to_string(100000000000 + i), "n", "azure");
    records += sizeof(HnsEndpoint) + e.id.capacity() + e.name.capacity() + e.mac.capacity();
    list.Add(e);
  }
  list.ShrinkToFit();
  EXPECT_LT(list.HeldBytes() * 3, records) << list.HeldBytes() << " of " << records;
}

}  // namespace
}  // namespace winnet
