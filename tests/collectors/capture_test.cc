#include "collectors/capture.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "collectors/adapters/adapters.h"
#include "collectors/registry.h"
#include "tests/temp_dir.h"
#include "tests/test_util.h"

namespace winnet {
namespace {

namespace fs = std::filesystem;

// Compares every file of `original` (README.md aside) with the same file in
// `copy`: byte for byte, adapters.json row for row (capture writes it from the
// parsed rows). Returns how many files were compared.
size_t ExpectSameCapture(const fs::path& original, const fs::path& copy) {
  size_t compared = 0;
  for (const auto& entry : fs::recursive_directory_iterator(original)) {
    if (!entry.is_regular_file() || entry.path().filename() == "README.md") continue;
    const fs::path rel = fs::relative(entry.path(), original);
    const fs::path other = copy / rel;
    EXPECT_TRUE(fs::exists(other)) << rel;
    if (!fs::exists(other)) continue;
    if (rel == "adapters.json") {
      auto a = ParseAdaptersJson(testing::ReadFileOrDie(entry.path().string()), "a");
      auto b = ParseAdaptersJson(testing::ReadFileOrDie(other.string()), "b");
      EXPECT_TRUE(a.ok() && b.ok()) << rel;
      if (a.ok() && b.ok()) {
        EXPECT_EQ(*a, *b);
      }
    } else {
      EXPECT_EQ(testing::ReadFileOrDie(other.string()),
                testing::ReadFileOrDie(entry.path().string()))
          << rel;
    }
    ++compared;
  }
  return compared;
}

// Each test writes into a directory of its own (tests run in parallel under
// `ctest -j`): a new one inside a fresh temporary directory, as a capture
// needs a directory that does not exist yet or is empty.
class CaptureTest : public ::testing::Test {
 protected:
  testing::TempDir tmp_;
  fs::path dir_ = fs::path(tmp_.path()) / "capture";
};

// A capture of a capture is the same capture: every file byte for byte,
// adapters.json row for row (it is written from the parsed rows).
TEST_F(CaptureTest, RecapturingTheExampleGivesTheSameFiles) {
  auto sources = MakeReplaySources(testing::ExampleDir());
  ASSERT_TRUE(sources.ok()) << sources.error();
  auto report = WriteCapture(*sources, dir_.string());
  ASSERT_TRUE(report.ok()) << report.error();
  EXPECT_TRUE(report->errors.empty()) << report->errors.front();
  // The example has no HCN v2 properties, no containerd specs and, a node
  // subnet node, no CNS files and no CNS answer.
  const std::string example = testing::ExampleDir();
  EXPECT_EQ(report->skipped,
            (std::vector<std::string>{
                "hcn/endpoints/: HCN v2 gave no endpoint properties",
                "containerd/: the capture has no containerd/ directory",
                "azure-cns.json: not present (" + example + "/azure-cns.json)",
                "azure-endpoints.json: not present (" + example + "/azure-endpoints.json)",
                "cns/ipaddresses.json: the capture has no cns/ipaddresses.json"}));

  const size_t compared = ExpectSameCapture(testing::ExampleDir(), dir_);
  EXPECT_EQ(compared, report->written.size());
  EXPECT_GE(compared, 14u);  // 2 state files, conflist, 3 HNS lists, 7 stats, adapters
}

// A capture of tests/fixtures/containerd-node holds its containerd specs and
// HCN v2 properties byte for byte.
TEST_F(CaptureTest, WritesContainerdSpecsAndHcnEndpoints) {
  const std::string node = testing::FixtureDir() + "/containerd-node";
  auto s = MakeReplaySources(node);
  ASSERT_TRUE(s.ok());
  auto report = WriteCapture(*s, dir_.string());
  ASSERT_TRUE(report.ok()) << report.error();
  EXPECT_TRUE(report->errors.empty()) << report->errors.front();
  EXPECT_EQ(ExpectSameCapture(node, dir_), 16u);
  // HCN v2 has properties for one endpoint in this capture; the others are
  // summed up in one line, not one per endpoint.
  size_t hcn_lines = 0;
  for (const auto& line : report->skipped) hcn_lines += line.rfind("hcn/", 0) == 0 ? 1 : 0;
  EXPECT_EQ(hcn_lines, 1u);
}

TEST_F(CaptureTest, MissingPartsAreSkippedWithTheReason) {
  SourceSet empty = UnopenedSources();
  empty.SetUnavailable("ipam_state", "not here");
  empty.SetUnavailable("network_state", "not here");
  empty.SetUnavailable("hns", "HNS exists only on Windows");
  empty.SetUnavailable("adapters", "disabled");
  empty.SetUnavailable("containerd", "no containerd");
  empty.SetUnavailable("cni_conflist", "not here");
  empty.SetUnavailable("cns_state", "not here");
  empty.SetUnavailable("cns_endpoints", "not here");
  empty.SetUnavailable("cns_api", "turned off (--cns.url=none)");
  empty.SetUnavailable("hns_service", "HNS exists only on Windows");
  auto report = WriteCapture(empty, dir_.string());
  ASSERT_TRUE(report.ok()) << report.error();
  EXPECT_TRUE(report->written.empty());
  ASSERT_EQ(report->skipped.size(), 10u);
  EXPECT_EQ(report->skipped[5], "10-azure.conflist: not here");
  EXPECT_EQ(report->skipped[8], "cns/ipaddresses.json: turned off (--cns.url=none)");
  EXPECT_EQ(report->skipped[9], "hns/service.json: HNS exists only on Windows");
  EXPECT_EQ(report->skipped[4], "containerd/: no containerd");
  EXPECT_EQ(report->skipped[2], "hns/: HNS exists only on Windows");
  EXPECT_TRUE(fs::is_directory(dir_));
}

TEST_F(CaptureTest, RefusesANonEmptyDirectory) {
  fs::create_directories(dir_ / "old");
  SourceSet empty = UnopenedSources();
  auto report = WriteCapture(empty, dir_.string());
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.error().find("is not empty"), std::string::npos) << report.error();
}

}  // namespace
}  // namespace winnet
