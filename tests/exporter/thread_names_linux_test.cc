// Every thread the exporter starts has a name (debuggers, top -H, /proc).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "collectors/registry.h"
#include "exporter/poller.h"
#include "tests/test_util.h"

namespace winnet {
namespace {

std::set<std::string> ThreadNames() {
  std::set<std::string> names;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream in(task.path() / "comm");
    std::string name;
    std::getline(in, name);
    names.insert(name);
  }
  return names;
}

TEST(ThreadNames, ThePollerAndEachSourceWorkerAreNamed) {
  auto sources = MakeReplaySources(testing::ExampleDir());
  ASSERT_TRUE(sources.ok()) << sources.error();
  PollerOptions o;
  o.interval = std::chrono::milliseconds(20);
  Poller p(std::move(*sources), o);
  p.Start();
  for (int i = 0; i < 200 && p.Current()->cycle == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const auto names = ThreadNames();
  p.Stop();
  for (const char* want :
       {"winnet-poller", "src-ipam_state", "src-network_sta", "src-hns", "src-adapters"}) {
    EXPECT_TRUE(names.count(want)) << want;
  }
}

}  // namespace
}  // namespace winnet
