// A writer racing the reader: while the poller polls a replay directory as
// fast as it can, another thread rewrites azure-vnet-ipam.json thousands of
// times. Azure CNI's way (temp file in the same directory, renamed over) must
// never give a parse error; the old way (truncate and write in place) may, and
// the exporter must survive it: keep publishing, keep the last good data, and
// recover once the file is whole again. Linux only: Windows' rename over an
// open file has other rules (docs/state-files.md, "Reading a file the CNI replaces").
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <set>
#include <string>
#include <thread>

#include "collectors/registry.h"
#include "exporter/poller.h"
#include "tests/sanitized.h"
#include "tests/temp_dir.h"

namespace winnet {
namespace {

using namespace std::chrono_literals;

// Sanitized builds write and poll several times slower.
constexpr int kMinWrites = testing::kSanitized ? 300 : 1000;
constexpr int kMinCycles = testing::kSanitized ? 100 : 500;

// An IPAM file with `n` addresses of which n / 3 are in use; its size varies
// with n, so a torn read shows.
std::string IpamWith(int n) {
  std::string t =
      R"({"IPAM":{"Version":"v1.5.35","TimeStamp":"2026-11-20T14:32:07Z","AddressSpaces":{"local":)"
      R"({"Id":"local","Pools":{"10.240.0.0/16":{"Id":"10.240.0.0/16","Addresses":{)";
  for (int i = 0; i < n; ++i) {
    std::string ip = "10.240." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1);
    if (i > 0) t += ",";
    t += "\n\"" + ip + R"(":{"ID":")" +
         (i < n / 3 ? std::string(64, 'a' + static_cast<char>(i % 26)) : "") + R"(","Addr":")" +
         ip + R"(","InUse":)" + (i < n / 3 ? "true" : "false") + "}";
  }
  return t + "}}}}}}}\n";
}

struct RaceResult {
  int writes = 0;
  int cycles = 0;
  int failures = 0;      // cycles whose IPAM poll failed
  int inconsistent = 0;  // published pools that are not one of the written files
  int without_data = 0;  // renders after the first success without any IPAM pool
  std::set<uint64_t> capacities;
  std::string first_error;
};

// Polls `dir` in a loop while `write` rewrites the file `writes` times (or
// until `limit`); each write uses the next size in 1..300.
template <typename Write>
RaceResult Race(const testing::TempDir& dir, int writes, std::chrono::milliseconds limit,
                Write write) {
  auto sources = MakeReplaySources(dir.path());
  EXPECT_TRUE(sources.ok());
  PollerOptions o;
  o.interval = 1ms;
  o.timeout = 2000ms;
  o.build = {"0.0.0-test", "abc", "linux"};
  Poller poller(std::move(*sources), o);
  poller.RunCycle();
  EXPECT_TRUE(poller.Current()->sources[0].ok);

  RaceResult res;
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    auto until = std::chrono::steady_clock::now() + limit;
    for (int i = 0; i < writes && std::chrono::steady_clock::now() < until; ++i) {
      write(dir / "azure-vnet-ipam.json", IpamWith(1 + (i * 37) % 300));
      ++res.writes;
    }
    stop = true;
  });
  while (!stop) {
    poller.RunCycle();
    ++res.cycles;
    auto r = poller.Current();
    const SourceView& v = r->sources[0];
    if (!v.ok) {
      ++res.failures;
      if (res.first_error.empty()) res.first_error = v.error;
    }
    if (r->snapshot == nullptr || r->snapshot->pools.empty()) {
      ++res.without_data;
      continue;
    }
    for (const auto& p : r->snapshot->pools) {
      res.capacities.insert(p.capacity);
      if (p.allocated != p.capacity / 3) ++res.inconsistent;
    }
  }
  writer.join();
  // Whole again: the next cycle is fresh.
  testing::WriteAtomically(dir / "azure-vnet-ipam.json", IpamWith(300));
  poller.RunCycle();
  auto r = poller.Current();
  EXPECT_TRUE(r->sources[0].ok) << r->sources[0].error;
  EXPECT_FALSE(r->sources[0].stale);
  EXPECT_NE(r->Metrics().find("winnet_ipam_pool_capacity_ips{subnet=\"10.240.0.0/16\"} 300"),
            std::string::npos);
  return res;
}

TEST(StateFileRace, AtomicReplaceNeverGivesAParseError) {
  testing::TempDir dir;
  testing::WriteAtomically(dir / "azure-vnet-ipam.json", IpamWith(10));
  auto res = Race(dir, 3000, 4000ms, [](const std::string& path, const std::string& text) {
    testing::WriteAtomically(path, text);
  });
  std::printf("atomic replace: %d writes, %d poll cycles, %d failures, %zu distinct sizes seen\n",
              res.writes, res.cycles, res.failures, res.capacities.size());
  EXPECT_GE(res.writes, kMinWrites);
  EXPECT_GE(res.cycles, kMinCycles);
  EXPECT_EQ(res.failures, 0) << res.first_error;
  EXPECT_EQ(res.inconsistent, 0);
  EXPECT_EQ(res.without_data, 0);
  EXPECT_GT(res.capacities.size(), 20u);  // the reader really saw the data change
}

TEST(StateFileRace, InPlaceRewritesMayFailButAreSurvived) {
  testing::TempDir dir;
  testing::WriteAtomically(dir / "azure-vnet-ipam.json", IpamWith(10));
  auto res = Race(dir, 3000, 3000ms, [](const std::string& path, const std::string& text) {
    testing::WriteInPlace(path, text);
  });
  std::printf(
      "in-place rewrite: %d writes, %d poll cycles, %d failures (first: %s), %d renders without "
      "pools\n",
      res.writes, res.cycles, res.failures, res.first_error.c_str(), res.without_data);
  EXPECT_GE(res.writes, kMinWrites);
  EXPECT_GE(res.cycles, kMinCycles);
  // Torn reads fail to parse (never a crash), or read as an empty file, which is
  // "no state"; a read that parses is one of the written files.
  EXPECT_EQ(res.inconsistent, 0);
  if (res.failures > 0) {
    EXPECT_NE(res.first_error.find("azure-vnet-ipam.json: invalid JSON: "), std::string::npos)
        << res.first_error;
  }
}

}  // namespace
}  // namespace winnet
