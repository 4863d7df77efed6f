#include "exporter/render.h"

#include <gtest/gtest.h>

#include <cmath>

#include "exporter/render_backend.h"

namespace winnet {
namespace {

TEST(Render, SortsFamiliesAndSeriesAndWritesHelpAndType) {
  std::vector<MetricFamily> f = {
      {"b_metric", "B.", MetricType::kGauge, {{{{"x", "2"}}, 2}, {{{"x", "1"}}, 1}}, {}},
      {"a_metric_total", "A.", MetricType::kCounter, {{{}, 5}}, {}},
  };
  EXPECT_EQ(
      RenderText(f),
      "# HELP a_metric_total A.\n# TYPE a_metric_total counter\na_metric_total 5\n"
      "# HELP b_metric B.\n# TYPE b_metric gauge\nb_metric{x=\"1\"} 1\nb_metric{x=\"2\"} 2\n");
}

TEST(Render, EscapesLabelValuesAndHelp) {
  EXPECT_EQ(EscapeLabelValue("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
  EXPECT_EQ(EscapeHelp("line\\one\ntwo \"q\""), "line\\\\one\\ntwo \"q\"");
  std::vector<MetricFamily> f = {
      {"m", "h", MetricType::kGauge, {{{{"adapter", "vEthernet (\"x\")"}}, 1}}, {}}};
  EXPECT_EQ(RenderText(f), "# HELP m h\n# TYPE m gauge\nm{adapter=\"vEthernet (\\\"x\\\")\"} 1\n");
}

TEST(Render, RepeatedLabelSetsBecomeOneSeries) {
  // Two rows for one adapter (filter interfaces) must not produce duplicate series.
  std::vector<MetricFamily> f = {
      {"m", "h", MetricType::kGauge, {{{{"a", "x"}}, 1}, {{{"a", "x"}}, 2}}, {}}};
  EXPECT_EQ(RenderText(f), "# HELP m h\n# TYPE m gauge\nm{a=\"x\"} 1\n");
}

// The series order kept across renders gives what a sort gives, whatever the
// order the series come in next time, repeats included.
TEST(Render, AKeptSeriesOrderSortsLikeAFreshSort) {
  auto family = [](std::vector<std::string> xs) {
    MetricFamily f{"m", "h", MetricType::kGauge, {}, {}};
    for (size_t i = 0; i < xs.size(); ++i) {
      f.samples.push_back({{{"x", xs[i]}}, static_cast<double>(i)});
    }
    return std::vector<MetricFamily>{f};
  };
  auto text = [](const RenderedFamilies& r) { return MergeRendered(r, {}); };
  SeriesOrder order;
  const auto native = static_cast<int>(TextBackend::kNative);
  for (const auto& xs : std::vector<std::vector<std::string>>{
           {"c", "a", "b"}, {"c", "a", "b"}, {"a", "b", "c"}, {"b", "b", "a"}, {"b", "c", "a"}}) {
    EXPECT_EQ(text(RenderFamilies(family(xs), native, &order)),
              text(RenderFamilies(family(xs), native)))
        << xs[0] << xs[1] << xs[2];
  }
  EXPECT_EQ(order.by_family.at("m"), (std::vector<uint32_t>{2, 0, 1}));
}

// Values rewritten into the last text give what a fresh render of the same
// series with the new values gives: repeats dropped, escapes kept, values of
// another width, two rewrites from the same text, now and put off.
TEST(Render, RewrittenValuesGiveWhatAFreshRenderGives) {
  const auto native = static_cast<int>(TextBackend::kNative);
  auto families = [](std::vector<double> v) {
    std::vector<MetricFamily> f(2);
    f[0] = {"m_total", "h", MetricType::kCounter, {}, {}};
    for (const char* x : {"c", "a\"q", "b", "a\"q"}) {
      f[0].samples.push_back({{{"x", x}}, v[f[0].samples.size()]});
    }
    f[1] = {"g", "h", MetricType::kGauge, {{{}, v[4]}}, {}};
    return f;
  };
  auto values = [](std::vector<double> v) {
    return std::vector<FamilyValues>{{"m_total", {v[0], v[1], v[2], v[3]}}, {"g", {v[4]}}};
  };
  SeriesOrder order;
  auto kept = std::make_shared<const RenderedFamilies>(
      RenderFamilies(families({1, 2, 3, 4, 5}), native, &order));
  auto layouts = std::make_shared<const ValueLayouts>(order.layouts);
  for (const auto& v :
       std::vector<std::vector<double>>{{10, 200000000000, 3, 9, 0.5}, {7, 8, 9, 10, 11}}) {
    const std::string fresh = MergeRendered(RenderFamilies(families(v), native), {});
    auto deferred = DeferredValues::Of(kept, layouts, values(v));
    ASSERT_TRUE(deferred.has_value());
    EXPECT_EQ(MergeRendered(*kept, {}, &*deferred), fresh);
  }
  EXPECT_FALSE(DeferredValues::Of(kept, layouts, {{"m_total", {1, 2}}}).has_value());
  EXPECT_FALSE(DeferredValues::Of(kept, nullptr, values({1, 2, 3, 4, 5})).has_value());
}

// The families of both lists merged in name order; a family the deferred
// values have is written with its new values, the others as they are.
TEST(Render, MergedListsWriteTheDeferredFamiliesWithTheirNewValues) {
  const auto native = static_cast<int>(TextBackend::kNative);
  std::vector<MetricFamily> f = {{"c", "h", MetricType::kGauge, {{{{"x", "a"}}, 1}}, {}},
                                 {"a", "h", MetricType::kGauge, {{{{"x", "a"}}, 2}}, {}}};
  SeriesOrder order;
  auto a = std::make_shared<const RenderedFamilies>(RenderFamilies(f, native, &order));
  const RenderedFamilies b = {{"b", "B\n"}, {"d", "D\n"}};
  auto deferred =
      DeferredValues::Of(a, std::make_shared<const ValueLayouts>(order.layouts), {{"c", {7}}});
  ASSERT_TRUE(deferred.has_value());
  const std::string ha = "# HELP a h\n# TYPE a gauge\n", hc = "# HELP c h\n# TYPE c gauge\n";
  EXPECT_EQ(MergeRendered(*a, b), ha + "a{x=\"a\"} 2\nB\n" + hc + "c{x=\"a\"} 1\nD\n");
  EXPECT_EQ(MergeRendered(*a, b, &*deferred), ha + "a{x=\"a\"} 2\nB\n" + hc + "c{x=\"a\"} 7\nD\n");
}

TEST(Render, ValuesAreNotRewrittenWithoutAFittingLayout) {
  const auto native = static_cast<int>(TextBackend::kNative);
  std::vector<MetricFamily> f = {{"m", "h", MetricType::kGauge, {{{{"x", "a"}}, 1}}, {}}};
  SeriesOrder order;
  auto kept = std::make_shared<const RenderedFamilies>(RenderFamilies(f, native, &order));
  auto layouts = std::make_shared<const ValueLayouts>(order.layouts);
  EXPECT_TRUE(DeferredValues::Of(kept, layouts, {{"m", {2}}}).has_value());
  EXPECT_FALSE(DeferredValues::Of(kept, layouts, {{"m", {2, 3}}}).has_value());  // another count
  EXPECT_FALSE(DeferredValues::Of(kept, layouts, {{"n", {2}}}).has_value());     // no text
  EXPECT_FALSE(DeferredValues::Of(kept, std::make_shared<const ValueLayouts>(), {{"m", {2}}})
                   .has_value());  // no layout
  RenderedFamilies other = *kept;
  other[0].second += "m{x=\"b\"} 1\n";  // not the text the layout was made for
  EXPECT_FALSE(
      DeferredValues::Of(std::make_shared<const RenderedFamilies>(other), layouts, {{"m", {2}}})
          .has_value());
}

TEST(Render, EmptyFamiliesAreOmitted) {
  EXPECT_EQ(RenderText({{"m", "h", MetricType::kGauge, {}, {}}}), "");
}

TEST(Render, ValuesPrintExactlyForCountersAndShortestForFractions) {
  EXPECT_EQ(FormatValue(0), "0");
  EXPECT_EQ(FormatValue(3918442617), "3918442617");
  EXPECT_EQ(FormatValue(9007199254740992.0), "9007199254740992");
  EXPECT_EQ(FormatValue(0.25), "0.25");
  EXPECT_EQ(FormatValue(1741944413.1234567), "1741944413.1234567");
  EXPECT_EQ(FormatValue(1e300), "1e+300");
}

TEST(Render, OneSeriesPerEndpointNotPerContainer) {
  NodeSnapshot s;
  s.hns_known = true;
  EndpointView e;
  e.id = "e1";
  e.local = true;
  e.pod = {"default", "web-0"};
  e.stats = HnsEndpointStats{};
  e.stats->bytes_received = 100;
  s.endpoints.push_back(e);  // the endpoint is shared by 3 containers; still one endpoint
  std::string text = RenderText(SnapshotToFamilies(s));
  size_t n = 0;
  for (size_t p = 0;
       (p = text.find("winnet_pod_network_receive_bytes_total{", p)) != std::string::npos; ++p)
    ++n;
  EXPECT_EQ(n, 1u);
  EXPECT_NE(text.find("winnet_pod_network_receive_bytes_total{namespace=\"default\",pod=\"web-0\","
                      "endpoint_id=\"e1\"} 100"),
            std::string::npos);
}

TEST(Render, UnavailableSourcesHaveNoFailingMetric) {
  NodeSnapshot s;
  SourceView hns;
  hns.name = "hns";
  hns.available = false;
  hns.unavailable_reason = "HNS exists only on Windows";
  SourceView ipam;
  ipam.name = "ipam_state";
  ipam.attempted = true;
  ipam.ok = true;
  s.sources = {hns, ipam};
  std::string text = RenderText(SnapshotToFamilies(s));
  EXPECT_EQ(text.find("source=\"hns\""), std::string::npos);
  EXPECT_NE(text.find("winnet_exporter_source_success{source=\"ipam_state\"} 1"),
            std::string::npos);
}

TEST(Render, HistogramsWriteCumulativeBucketsSumAndCount) {
  HistogramSample h{{{"call", "endpointstats"}}, {{0.001, 2}, {0.5, 3}, {INFINITY, 4}}, 4, 41.5};
  std::vector<MetricFamily> f = {{"d_seconds", "D.", MetricType::kHistogram, {}, {h}}};
  EXPECT_EQ(RenderText(f),
            "# HELP d_seconds D.\n# TYPE d_seconds histogram\n"
            "d_seconds_bucket{call=\"endpointstats\",le=\"0.001\"} 2\n"
            "d_seconds_bucket{call=\"endpointstats\",le=\"0.5\"} 3\n"
            "d_seconds_bucket{call=\"endpointstats\",le=\"+Inf\"} 4\n"
            "d_seconds_sum{call=\"endpointstats\"} 41.5\n"
            "d_seconds_count{call=\"endpointstats\"} 4\n");
}

}  // namespace
}  // namespace winnet
