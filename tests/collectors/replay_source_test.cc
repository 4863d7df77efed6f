#include "collectors/replay_source.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/test_util.h"

namespace winnet {
namespace {

namespace fs = std::filesystem;

TEST(Replay, ReadsTheExampleCapture) {
  auto s = MakeReplaySources(testing::ExampleDir());
  ASSERT_TRUE(s.ok()) << s.error();
  ASSERT_TRUE(s->ipam && s->cni && s->hns && s->adapters);
  auto ipam = s->ipam->Read();
  ASSERT_TRUE(ipam.ok());
  ASSERT_TRUE(ipam->has_value());
  auto eps = s->hns->Get("/endpoints/");
  ASSERT_TRUE(eps.ok());
  EXPECT_TRUE(eps->has_value());
  auto rows = s->adapters->List();
  ASSERT_TRUE(rows.ok()) << rows.error();
  EXPECT_GT(rows->size(), 4u);
}

TEST(Replay, MissingDirectoryIsAClearError) {
  auto s = MakeReplaySources("/nonexistent/capture");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().find("--source.replay: \"/nonexistent/capture\" is not a directory"),
            std::string::npos);
}

TEST(Replay, AbsentFilesAndMissingPartsAreReported) {
  fs::path dir = fs::temp_directory_path() / "winnet_replay_test_empty";
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto s = MakeReplaySources(dir.string());
  ASSERT_TRUE(s.ok());
  auto ipam = s->ipam->Read();
  ASSERT_TRUE(ipam.ok());
  EXPECT_FALSE(ipam->has_value());  // absent: no IPAM state, not an error
  EXPECT_EQ(s->hns, nullptr);
  EXPECT_NE(s->hns_unavailable.find("no hns/"), std::string::npos);
  EXPECT_EQ(s->adapters, nullptr);
  fs::remove_all(dir);
}

TEST(Replay, RejectsPathTraversalInEndpointIds) {
  auto s = MakeReplaySources(testing::ExampleDir());
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s->hns->Get("/endpointstats/../../etc/passwd").ok());
  for (const char* bad : {"/endpointstats/", "/endpointstats/..", "hcn:/endpoints/..",
                          "hcn:/endpoints/a\\b", "hcn:/endpoints/C:x", "hcn:/endpoints/"}) {
    EXPECT_FALSE(s->hns->Get(bad).ok()) << bad;
  }
  EXPECT_FALSE(s->hns->Get("/globals/version").ok());
}

TEST(Replay, ChangedFileShowsOnNextRead) {
  fs::path dir = fs::temp_directory_path() / "winnet_replay_test_change";
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto s = MakeReplaySources(dir.string());
  ASSERT_TRUE(s.ok());
  std::ofstream(dir / "azure-vnet-ipam.json") << "one";
  EXPECT_EQ(**s->ipam->Read(), "one");
  std::ofstream(dir / "azure-vnet-ipam.json") << "two";
  EXPECT_EQ(**s->ipam->Read(), "two");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace winnet
