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

void AppendFamilyPrometheusCpp(const MetricFamily& family, std::string& out) {
  prometheus::MetricFamily pf;
  pf.name = family.name;
  pf.help = EscapeHelp(family.help);
  const bool counter = family.type == MetricType::kCounter;
  pf.type = counter ? prometheus::MetricType::Counter : prometheus::MetricType::Gauge;
  pf.metric.reserve(family.samples.size());
  for (const auto& s : family.samples) {
    prometheus::ClientMetric m;
    m.label.reserve(s.labels.size());
    for (const auto& [k, v] : s.labels) m.label.push_back({k, v});
    if (counter) {
      m.counter.value = s.value;
    } else {
      m.gauge.value = s.value;
    }
    pf.metric.push_back(std::move(m));
  }
  std::ostringstream os;
  prometheus::TextSerializer().Serialize(os, {pf});
  out += os.str();
}

}  // namespace winnet
