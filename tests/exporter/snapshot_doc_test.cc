// docs/snapshot.md documents the JSON of GET /api/v1/snapshot and
// `dump --format=json`: every field path the exporter writes must be listed
// there, and every listed path must appear for the example capture.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "collectors/registry.h"
#include "exporter/poller.h"
#include "tests/test_util.h"

namespace winnet {
namespace {

void Paths(const nlohmann::json& j, const std::string& prefix, std::set<std::string>* out) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      std::string p = prefix.empty() ? k : prefix + "." + k;
      out->insert(p);
      Paths(v, p, out);
    }
  } else if (j.is_array()) {
    for (const auto& v : j) Paths(v, prefix + "[]", out);
  }
}

TEST(SnapshotDoc, DocumentsExactlyTheFieldsWritten) {
  std::set<std::string> doc;
  std::regex row(R"(^\|\s*`([a-z_\[\]\.]+)`\s*\|)");
  std::istringstream in(testing::ReadFileOrDie(testing::SourceDir() + "/docs/snapshot.md"));
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (std::regex_search(line, m, row)) doc.insert(m[1]);
  }
  ASSERT_GT(doc.size(), 30u);

  // The example, and the capture with every HNS inconsistency (the items of
  // hns.checks' lists appear only there).
  std::set<std::string> emitted;
  for (const std::string& dir :
       {testing::ExampleDir(), testing::FixtureDir() + "/hns-consistency"}) {
    auto src = MakeReplaySources(dir);
    ASSERT_TRUE(src.ok());
    PollerOptions o;
    Poller p(std::move(src).value(), o);
    p.RunCycle();
    p.RunCycle();  // the second cycle has rates? (counters unchanged: no new data, same snapshot)
    Paths(nlohmann::json::parse(p.Current()->SnapshotJson()), "", &emitted);
  }
  for (const auto& path : emitted) {
    EXPECT_TRUE(doc.count(path)) << path << " is written but not in docs/snapshot.md";
  }
  for (const auto& path : doc) {
    // Rates appear only once two polls brought different counters.
    if (path.find("_per_second") != std::string::npos) continue;
    EXPECT_TRUE(emitted.count(path))
        << path << " is in docs/snapshot.md but not written for the example captures";
  }
}

}  // namespace
}  // namespace winnet
