// The two metrics text backends must agree sample by sample: family names,
// HELP, TYPE, label sets and values. Skipped when this build has no
// prometheus-cpp (configure with -DWINNET_WITH_PROMETHEUS_CPP=ON/AUTO and
// CMAKE_PREFIX_PATH pointing at an installed prometheus-cpp core).
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <sstream>

#include "collectors/registry.h"
#include "exporter/join.h"
#include "exporter/poller.h"
#include "exporter/render.h"
#include "exporter/render_backend.h"
#include "tests/test_util.h"

namespace winnet {
namespace {

struct ParsedFamily {
  std::string help, type;
  std::map<std::string, double> samples;  // "name{labels}" → value
};

// Parses the text format strictly enough to compare two writers.
std::map<std::string, ParsedFamily> ParseExposition(const std::string& text) {
  std::map<std::string, ParsedFamily> out;
  std::istringstream in(text);
  std::string current;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("# HELP ", 0) == 0) {
      auto sp = line.find(' ', 7);
      current = line.substr(7, sp - 7);
      out[current].help = line.substr(sp + 1);
    } else if (line.rfind("# TYPE ", 0) == 0) {
      auto sp = line.find(' ', 7);
      out[line.substr(7, sp - 7)].type = line.substr(sp + 1);
    } else if (!line.empty()) {
      auto sp = line.rfind(' ');
      EXPECT_TRUE(
          out[current].samples.emplace(line.substr(0, sp), std::stod(line.substr(sp + 1))).second)
          << "repeated series: " << line;
    }
  }
  return out;
}

void ExpectSame(const std::vector<MetricFamily>& families, const std::string& what) {
  auto native = MergeRendered(RenderFamilies(families, static_cast<int>(TextBackend::kNative)), {});
  auto pcpp =
      MergeRendered(RenderFamilies(families, static_cast<int>(TextBackend::kPrometheusCpp)), {});
  auto a = ParseExposition(native);
  auto b = ParseExposition(pcpp);
  ASSERT_EQ(a.size(), b.size()) << what;
  size_t compared = 0;
  for (const auto& [name, fa] : a) {
    ASSERT_TRUE(b.count(name)) << what << ": " << name << " missing from prometheus-cpp's output";
    const auto& fb = b.at(name);
    EXPECT_EQ(fa.help, fb.help) << name;
    EXPECT_EQ(fa.type, fb.type) << name;
    ASSERT_EQ(fa.samples.size(), fb.samples.size()) << name;
    for (const auto& [series, v] : fa.samples) {
      auto it = fb.samples.find(series);
      ASSERT_NE(it, fb.samples.end())
          << what << ": " << series << " missing from prometheus-cpp's output";
      // prometheus-cpp prints 16 significant digits, we print the shortest exact form.
      EXPECT_NEAR(it->second, v, std::fabs(v) * 1e-15) << series;
      ++compared;
    }
  }
  std::cout << what << ": " << a.size() << " families, " << compared << " samples identical\n";
}

class Conformance : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!PrometheusCppAvailable()) {
      GTEST_SKIP() << "this build has no prometheus-cpp: nothing to compare the native writer with";
    }
  }
};

TEST_F(Conformance, ExampleCapture) {
  auto src = MakeReplaySources(testing::ExampleDir());
  ASSERT_TRUE(src.ok());
  PollerOptions o;
  o.build = {"0.1.0", "abc", "linux"};
  Poller p(std::move(src).value(), o);
  p.RunCycle();
  auto r = p.Current();
  auto families = DataFamilies(*r->snapshot);
  auto self = SourceFamilies(r->sources, o.build);
  families.insert(families.end(), self.begin(), self.end());
  ExpectSame(families, "examples/aks-windows-node");
}

TEST_F(Conformance, HostileLabelsAndLargeValues) {
  std::vector<MetricFamily> f = {
      {"winnet_x",
       "help with \\ backslash and\nnewline",
       MetricType::kGauge,
       {{{{"pod", "quote\" back\\slash\nnewline"}, {"namespace", "ünïcode ✓"}}, 1.5},
        {{{"pod", ""}, {"namespace", ""}}, 0},
        {{{"pod", "big"}, {"namespace", "x"}}, 18446744073709551615.0},
        {{{"pod", "small"}, {"namespace", "x"}}, 1e-300},
        {{{"pod", "neg"}, {"namespace", "x"}}, -42}},
       {}},
      {"winnet_y_total", "c", MetricType::kCounter, {{{}, 3918442617}}, {}},
      {"winnet_z_seconds",
       "h",
       MetricType::kHistogram,
       {},
       {{{{"call", "b"}}, {{0.0025, 1}, {10, 7}, {INFINITY, 9}}, 9, 33.25},
        {{{"call", "a"}}, {{0.0025, 0}, {10, 0}, {INFINITY, 0}}, 0, 0}}},
  };
  ExpectSame(f, "hostile labels");
}

}  // namespace
}  // namespace winnet
