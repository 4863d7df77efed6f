// From a NodeSnapshot to Prometheus text exposition format 0.0.4: families
// sorted by name, series sorted by labels, HELP and TYPE on every family.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "exporter/snapshot.h"

namespace winnet {

using Labels = std::vector<std::pair<std::string, std::string>>;

struct Sample {
  Labels labels;
  double value = 0;
};

// One histogram series: cumulative counts per upper bound, the last bound
// +Inf (written as name_bucket{le=...}, name_sum, name_count).
struct HistogramSample {
  Labels labels;
  std::vector<std::pair<double, uint64_t>> buckets;
  uint64_t count = 0;
  double sum = 0;
};

enum class MetricType { kGauge, kCounter, kHistogram };

// "gauge", "counter" or "histogram", as the TYPE line writes it.
const char* TypeName(MetricType type);

struct MetricFamily {
  std::string name;
  std::string help;
  MetricType type = MetricType::kGauge;
  std::vector<Sample> samples;              // gauges and counters
  std::vector<HistogramSample> histograms;  // kHistogram
};

// Every family the snapshot supports, unsorted; families without samples are
// dropped by RenderText. = DataFamilies + SourceFamilies(snap.sources, snap.build).
std::vector<MetricFamily> SnapshotToFamilies(const NodeSnapshot& snap);
// The node's data (pools, HNS, pod traffic, adapters).
std::vector<MetricFamily> DataFamilies(const NodeSnapshot& snap);
// The part of DataFamilies that counters alone change: the per-pod traffic
// (winnet_pod_network_*) and the adapters (winnet_adapter_*). No other part
// adds to these families.
std::vector<MetricFamily> CounterFamilies(const NodeSnapshot& snap);
// The exporter's own families (source status, build info).
std::vector<MetricFamily> SourceFamilies(const std::vector<SourceView>& sources,
                                         const BuildInfo& build);

// Text of each non-empty family, sorted by family name: lets the poller keep
// the data part across cycles and merge in the self-metrics.
using RenderedFamilies = std::vector<std::pair<std::string, std::string>>;
// The order each family's series were sorted into last time, by family name:
// a family whose series come in the same order again is checked (one
// comparison per series) instead of sorted (docs/architecture.md, "Only
// counters changed"). Kept by the poller across cycles.
// With the native writer it also keeps where each series' value sits in the
// family's text (ValueLayout), so that a cycle in which only values moved
// writes the family again from that text (DeferredValues).
struct ValueLayout {
  uint32_t samples = 0;            // the samples the family was built with
  uint32_t header_end = 0;         // offset of the first series line
  std::vector<uint32_t> source;    // per line: the sample it shows
  std::vector<uint32_t> value_at;  // per line: offset of its value
  std::vector<uint32_t> line_end;  // per line: offset after its '\n'
};
using ValueLayouts = std::unordered_map<std::string, ValueLayout>;  // by family name
struct SeriesOrder {
  std::unordered_map<std::string, std::vector<uint32_t>> by_family;
  ValueLayouts layouts;
};
RenderedFamilies RenderFamilies(std::vector<MetricFamily> families, SeriesOrder* order = nullptr);
// With an explicit backend (0: native, 1: prometheus-cpp; see render_backend.h).
RenderedFamilies RenderFamilies(std::vector<MetricFamily> families, int backend,
                                SeriesOrder* order = nullptr);
// The values of each counter family (CounterFamilies), in the order that
// adds its samples, without their labels.
struct FamilyValues {
  std::string name;
  std::vector<double> values;
};
std::vector<FamilyValues> CounterValues(const NodeSnapshot& snap);
// Each counter family written again from the text of the last render with
// new values, put off until the text is wanted (docs/architecture.md,
// "Only counters changed"): a cycle in which only counters moved keeps their
// new values, and the first scrape that reads them writes them into the text
// of the last render as it merges the exposition (no copy of the families
// first). Holds the rendered text and the layouts it reads, which nobody
// writes.
class DeferredValues {
 public:
  DeferredValues(const DeferredValues&) = delete;  // it points into itself
  DeferredValues& operator=(const DeferredValues&) = delete;
  DeferredValues(DeferredValues&&) = default;  // the values' storage moves along
  DeferredValues& operator=(DeferredValues&&) = default;
  // Nothing when some family of `values` has no text in `rendered`, no
  // layout that fits it, or another number of samples: then the families
  // are rendered afresh.
  static std::optional<DeferredValues> Of(std::shared_ptr<const RenderedFamilies> rendered,
                                          std::shared_ptr<const ValueLayouts> layouts,
                                          std::vector<FamilyValues> values);
  // Appends the family `name` with its new values to `out`; false when it
  // has none here.
  bool AppendFamily(const std::string& name, std::string& out) const;

 private:
  struct Family {
    const std::string* text;
    const ValueLayout* layout;
    const std::vector<double>* values;
  };
  std::shared_ptr<const RenderedFamilies> rendered_;
  std::shared_ptr<const ValueLayouts> layouts_;
  std::vector<FamilyValues> values_;
  std::unordered_map<std::string, Family> by_name_;  // into the three above

  DeferredValues() = default;
};

// `all` with each family of `fresh` in place of the one of the same name (and
// any new one added); both sorted by name, and so is the result.
RenderedFamilies ReplaceFamilies(const RenderedFamilies& all, RenderedFamilies fresh);
// Merges two sorted lists into one exposition text; a family of `a` that
// `counters` has is written with its new values.
std::string MergeRendered(const RenderedFamilies& a, const RenderedFamilies& b,
                          const DeferredValues* counters = nullptr);

// Sorts families and series, removes series whose labels repeat (keeping the
// first), and writes the text format with the native writer.
std::string RenderText(std::vector<MetricFamily> families);

// Escaping of the text format.
std::string EscapeLabelValue(const std::string& v);
std::string EscapeHelp(const std::string& v);
std::string FormatValue(double v);

}  // namespace winnet
