// prometheus-cpp backend: our families as prometheus::MetricFamily values,
// written by its TextSerializer. prometheus-cpp does not sort, so the caller
// hands over sorted families and series; nor does it escape HELP, so we do.
#include <prometheus/metric_family.h>
#include <prometheus/text_serializer.h>

#include <sstream>

#include "exporter/render_backend.h"

namespace winnet {

bool PrometheusCppAvailable() { return true; }
TextBackend DefaultTextBackend() { return TextBackend::kPrometheusCpp; }

namespace {

prometheus::ClientMetric WithLabels(const Labels& labels) {
  prometheus::ClientMetric m;
  m.label.reserve(labels.size());
  for (const auto& [k, v] : labels) m.label.push_back({k, v});
  return m;
}

prometheus::MetricType TypeOf(MetricType type) {
  switch (type) {
    case MetricType::kCounter: return prometheus::MetricType::Counter;
    case MetricType::kHistogram: return prometheus::MetricType::Histogram;
    default: return prometheus::MetricType::Gauge;
  }
}

}  // namespace

void AppendFamilyPrometheusCpp(const MetricFamily& family, std::string& out) {
  prometheus::MetricFamily pf;
  pf.name = family.name;
  pf.help = EscapeHelp(family.help);
  pf.type = TypeOf(family.type);
  const bool counter = family.type == MetricType::kCounter;
  pf.metric.reserve(family.samples.size() + family.histograms.size());
  for (const auto& s : family.samples) {
    prometheus::ClientMetric m = WithLabels(s.labels);
    if (counter) {
      m.counter.value = s.value;
    } else {
      m.gauge.value = s.value;
    }
    pf.metric.push_back(std::move(m));
  }
  for (const auto& h : family.histograms) {
    prometheus::ClientMetric m = WithLabels(h.labels);
    m.histogram.sample_count = h.count;
    m.histogram.sample_sum = h.sum;
    for (const auto& [bound, count] : h.buckets) m.histogram.bucket.push_back({count, bound});
    pf.metric.push_back(std::move(m));
  }
  std::ostringstream os;
  prometheus::TextSerializer().Serialize(os, {pf});
  out += os.str();
}

}  // namespace winnet
