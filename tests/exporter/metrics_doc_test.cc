// docs/metrics.md is the metric contract: it must list exactly what the
// exporter emits, with the right type and labels.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "collectors/registry.h"
#include "exporter/poller.h"
#include "exporter/render.h"
#include "tests/test_util.h"

namespace winnet {
namespace {

struct DocEntry {
  std::string type;
  std::set<std::string> labels;
};

// Rows of the form: | `name` | type | `label`, `label` | meaning |
std::map<std::string, DocEntry> ParseDoc(const std::string& text) {
  std::map<std::string, DocEntry> out;
  std::regex row(R"(^\|\s*`(winnet_[a-z0-9_]+)`\s*\|\s*(gauge|counter|histogram)\s*\|([^|]*)\|)");
  std::regex label("`([a-z_]+)`");
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (!std::regex_search(line, m, row)) continue;
    DocEntry e;
    e.type = m[2];
    std::string labels = m[3];
    for (auto it = std::sregex_iterator(labels.begin(), labels.end(), label);
         it != std::sregex_iterator(); ++it) {
      e.labels.insert((*it)[1]);
    }
    out[m[1]] = e;
  }
  return out;
}

// The histogram a sample (name_bucket, name_sum, name_count) belongs to; else
// the sample's own name.
std::string HistogramOf(const std::map<std::string, DocEntry>& families, const std::string& name) {
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    const std::string s = suffix;
    if (name.size() <= s.size() || name.compare(name.size() - s.size(), s.size(), s) != 0) continue;
    auto it = families.find(name.substr(0, name.size() - s.size()));
    if (it != families.end() && it->second.type == "histogram") return it->first;
  }
  return name;
}

std::map<std::string, DocEntry> ParseExposition(const std::string& text) {
  std::map<std::string, DocEntry> out;
  std::istringstream in(text);
  std::regex type_line(R"(^# TYPE (\S+) (\S+)$)");
  std::regex sample(R"(^([a-z_0-9]+)(\{(.*)\})? )");
  std::regex label(R"re(([a-z_]+)=")re");
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (std::regex_search(line, m, type_line)) {
      out[m[1]].type = m[2];
    } else if (line[0] != '#' && std::regex_search(line, m, sample)) {
      std::string labels = m[3];
      const std::string name = HistogramOf(out, m[1]);
      for (auto it = std::sregex_iterator(labels.begin(), labels.end(), label);
           it != std::sregex_iterator(); ++it) {
        if (name != m[1] && (*it)[1] == "le") continue;  // a histogram's bucket bound
        out[name].labels.insert((*it)[1]);
      }
    }
  }
  return out;
}

TEST(MetricsDoc, ListsExactlyWhatTheExporterEmits) {
  auto doc = ParseDoc(testing::ReadFileOrDie(testing::SourceDir() + "/docs/metrics.md"));
  ASSERT_GT(doc.size(), 20u);
  // Both example captures: node subnet and overlay.
  std::map<std::string, DocEntry> emitted;
  for (const std::string& example :
       {testing::ExampleDir(), testing::SourceDir() + "/examples/aks-windows-overlay-node"}) {
    auto sources = MakeReplaySources(example);
    ASSERT_TRUE(sources.ok()) << sources.error();
    PollerOptions o;
    o.build = {"0.0.0", "test", "linux"};
    Poller p(std::move(*sources), o);
    p.RunCycle();
    emitted.merge(ParseExposition(p.Current()->Metrics()));
  }
  // The gauges of CNS's per-IP states, on a pool that has them.
  NodeSnapshot cns;
  PoolView pool;
  pool.subnet = "10.244.3.0/24";
  pool.pending_release = pool.pending_programming = 1;
  cns.pools = {pool};
  std::string text;
  for (const auto& [name, body] : RenderFamilies(DataFamilies(cns))) text += body;
  emitted.merge(ParseExposition(text));
  for (const auto& [name, e] : emitted) {
    auto it = doc.find(name);
    if (it == doc.end()) {
      ADD_FAILURE() << name << " is emitted but missing from docs/metrics.md";
      continue;
    }
    EXPECT_EQ(it->second.type, e.type) << name;
    EXPECT_EQ(it->second.labels, e.labels) << name;
  }
  for (const auto& [name, e] : doc) {
    EXPECT_TRUE(emitted.count(name))
        << name << " is in docs/metrics.md but never emitted on the example capture";
  }
}

}  // namespace
}  // namespace winnet
