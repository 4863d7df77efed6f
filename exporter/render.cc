#include "exporter/render.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <concepts>
#include <limits>
#include <map>
#include <string_view>
#include <tuple>

#include "exporter/render_backend.h"

namespace winnet {

const char* TypeName(MetricType type) {
  switch (type) {
    case MetricType::kCounter: return "counter";
    case MetricType::kHistogram: return "histogram";
    default: return "gauge";
  }
}

namespace {

// Families by name, in the order first added. Names and help are string
// literals nearly always: looked up as views, copied once per family.
class Builder {
 public:
  MetricFamily& Family(std::string_view name, MetricType type, std::string_view help) {
    if (next_ < families_.size() && families_[next_].name == name) return families_[next_++];
    auto it = index_.find(name);
    if (it == index_.end()) {
      it = index_.emplace(std::string(name), families_.size()).first;
      families_.push_back(MetricFamily{std::string(name), std::string(help), type, {}, {}});
    }
    next_ = it->second + 1;  // families are mostly added in turn, per endpoint
    return families_[it->second];
  }
  void Add(std::string_view name, MetricType type, std::string_view help, Labels labels,
           double value) {
    Family(name, type, help).samples.push_back(Sample{std::move(labels), value});
  }
  // With the labels made by `make_labels` (for the families ValuesBuilder also builds).
  template <std::invocable MakeLabels>
  void Add(std::string_view name, MetricType type, std::string_view help,
           const MakeLabels& make_labels, double value) {
    Add(name, type, help, make_labels(), value);
  }
  void AddHistogram(std::string_view name, std::string_view help, HistogramSample h) {
    Family(name, MetricType::kHistogram, help).histograms.push_back(std::move(h));
  }
  std::vector<MetricFamily> Take() { return std::move(families_); }

 private:
  std::vector<MetricFamily> families_;
  std::map<std::string, size_t, std::less<>> index_;
  size_t next_ = 0;  // the family after the one last added to
};

// The same calls as Builder, keeping only each family's values (CounterValues).
class ValuesBuilder {
 public:
  // The labels (or what makes them) are not used.
  template <typename LabelsOrMaker>
  void Add(std::string_view name, MetricType, std::string_view, const LabelsOrMaker&,
           double value) {
    if (next_ >= families_.size() || families_[next_].name != name) {
      next_ = 0;
      while (next_ < families_.size() && families_[next_].name != name) ++next_;
      if (next_ == families_.size()) families_.push_back({std::string(name), {}});
    }
    families_[next_++].values.push_back(value);
  }
  std::vector<FamilyValues> Take() { return std::move(families_); }

 private:
  std::vector<FamilyValues> families_;  // a handful: found by a walk
  size_t next_ = 0;
};

constexpr MetricType kGauge = MetricType::kGauge;
constexpr MetricType kCounter = MetricType::kCounter;

double D(uint64_t v) { return static_cast<double>(v); }

// winnet_cni_info: the conflist's plugin, IPAM and IPAM mode.
void Cni(const NodeSnapshot& s, Builder& b) {
  if (!s.conflist_present) return;
  b.Add("winnet_cni_info", kGauge,
        "The CNI plugin, its IPAM and IPAM mode from 10-azure.conflist; value 1.",
        {{"plugin", s.cni_plugin}, {"ipam", s.cni_ipam}, {"mode", s.cni_ipam_mode}}, 1);
}

// The pending and unaccounted gauges of one pool, where known.
void AddPoolChecks(const PoolView& p, const Labels& l, Builder& b) {
  if (p.leaked) {
    b.Add("winnet_ipam_pool_leaked_ips", kGauge,
          "Pool addresses allocated (InUse, CNS Assigned) that no endpoint record and no local "
          "HNS endpoint holds.",
          l, D(*p.leaked));
  }
  if (p.pending_release) {
    b.Add("winnet_ipam_pool_pending_release_ips", kGauge,
          "Pool addresses in CNS state PendingRelease.", l, D(*p.pending_release));
  }
  if (p.pending_programming) {
    b.Add("winnet_ipam_pool_pending_programming_ips", kGauge,
          "Pool addresses in CNS state PendingProgramming.", l, D(*p.pending_programming));
  }
  if (p.unaccounted) {
    b.Add("winnet_ipam_pool_unaccounted_ips", kGauge,
          "Pool addresses IPAM says are free that a local HNS endpoint or an endpoint record "
          "holds.",
          l, D(*p.unaccounted));
  }
}

void Ipam(const NodeSnapshot& s, Builder& b) {
  for (const auto& p : s.pools) {
    Labels l{{"subnet", p.subnet}};
    b.Add("winnet_ipam_pool_capacity_ips", kGauge,
          "Addresses in the pool (azure-vnet-ipam.json records; CNS: the NC's secondary IPs).", l,
          D(p.capacity));
    b.Add("winnet_ipam_pool_allocated_ips", kGauge,
          "Pool addresses in use (InUse in azure-vnet-ipam.json; CNS: Assigned).", l,
          D(p.allocated));
    b.Add("winnet_ipam_pool_available_ips", kGauge,
          "Pool addresses free (capacity - allocated; CNS: Available).", l, D(p.available));
    AddPoolChecks(p, l, b);
  }
  if (s.ipam_timestamp) {
    b.Add("winnet_ipam_state_timestamp_seconds", kGauge,
          "TimeStamp written by Azure CNI inside azure-vnet-ipam.json, in Unix seconds.", {},
          *s.ipam_timestamp);
  }
}

// winnet_hns_endpoints: the endpoints counted by network, state and location.
// Counted by views of the snapshot's strings, labels made once per group; the
// remote endpoints come counted (NodeSnapshot::remote_endpoint_counts).
void AddHnsEndpointCounts(const NodeSnapshot& s, Builder& b) {
  using Key = std::tuple<std::string_view, std::string_view, std::string_view>;
  std::map<Key, uint64_t> counts;
  for (const auto& e : s.endpoints) {
    ++counts[Key{e.network, e.state, e.local ? "local" : "remote"}];
  }
  for (const auto& [network_state, n] : s.remote_endpoint_counts) {
    counts[Key{network_state.first, network_state.second, "remote"}] += n;
  }
  b.Family("winnet_hns_endpoints", kGauge,
           "HNS endpoints by network, state and location (local|remote).");
  for (const auto& [k, n] : counts) {
    const auto& [network, state, location] = k;
    b.Add("winnet_hns_endpoints", kGauge, "",
          {{"network", std::string(network)},
           {"state", std::string(state)},
           {"location", std::string(location)}},
          D(n));
  }
}

std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
  return out;
}

// winnet_hns_endpoint_info: one series per local endpoint, with its pod.
void AddHnsLocalEndpointInfo(const NodeSnapshot& s, Builder& b) {
  for (const auto& e : s.endpoints) {
    if (!e.local) continue;
    b.Add("winnet_hns_endpoint_info", kGauge,
          "Local HNS endpoint with its pod; namespace and pod are empty when unknown.",
          {{"endpoint_id", e.id},
           {"name", e.name},
           {"network", e.network},
           {"ip", e.ip},
           {"ips", Joined(e.ips)},
           {"mac", e.mac},
           {"state", e.state},
           {"namespace", e.pod.ns},
           {"pod", e.pod.name}},
          1);
  }
}

// winnet_hns_network_info, one per network, then winnet_hns_networks by type.
void AddHnsNetworks(const NodeSnapshot& s, Builder& b) {
  std::map<std::string, uint64_t> types;
  for (const auto& n : s.networks) {
    ++types[n.type];
    b.Add("winnet_hns_network_info", kGauge, "HNS network with its type and subnets.",
          {{"network_id", n.id}, {"name", n.name}, {"type", n.type}, {"subnet", n.subnet}}, 1);
  }
  b.Family("winnet_hns_networks", kGauge, "HNS networks by type.");
  for (const auto& [t, n] : types) b.Add("winnet_hns_networks", kGauge, "", {{"type", t}}, D(n));
}

// The node-wide HNS gauges: load balancers, duplicate-IP, orphaned and
// unmapped endpoints.
void AddHnsNodeTotals(const NodeSnapshot& s, Builder& b) {
  if (s.load_balancers) {
    b.Add("winnet_hns_load_balancers", kGauge, "HNS load balancer policy lists (ELB).", {},
          D(*s.load_balancers));
  }
  b.Add("winnet_hns_duplicate_ip_endpoints", kGauge,
        "HNS endpoints (local or remote) whose IP another HNS endpoint also has.", {},
        D(s.duplicate_ip_endpoints));
  if (s.orphaned_endpoints) {
    b.Add("winnet_hns_orphaned_endpoints", kGauge,
          "Local HNS endpoints that no endpoint record (azure-vnet.json, azure-endpoints.json) "
          "describes.",
          {}, D(*s.orphaned_endpoints));
  }
  b.Add("winnet_hns_unmapped_endpoints", kGauge,
        "Local HNS endpoints whose pod no endpoint record, containerd spec or CNS PodInfo names.",
        {}, D(s.unmapped_endpoints));
}

// Load balancers against endpoints, and IPs held by several endpoints
// (HnsConsistency); the load balancer gauges only when policy lists are known.
void AddHnsConsistency(const NodeSnapshot& s, Builder& b) {
  const HnsConsistency& c = s.hns_checks;
  b.Family("winnet_hns_ip_conflicts", kGauge,
           "IPs held by more than one HNS endpoint, by the kind of holders "
           "(local_remote, remote_remote, local_local).");
  std::map<std::string, uint64_t> kinds{
      {"local_local", 0}, {"local_remote", 0}, {"remote_remote", 0}};
  for (const auto& conflict : c.ip_conflicts) ++kinds[conflict.kind];
  for (const auto& [kind, n] : kinds)
    b.Add("winnet_hns_ip_conflicts", kGauge, "", {{"kind", kind}}, D(n));
  if (!c.load_balancers_known) return;
  b.Add("winnet_hns_load_balancer_missing_endpoint_refs", kGauge,
        "References of HNS load balancers to endpoints HNS does not list.", {},
        D(c.missing_endpoint_refs.size()));
  b.Add("winnet_hns_load_balancers_without_endpoints", kGauge,
        "HNS load balancers none of whose referenced endpoints exists.", {},
        D(c.load_balancers_without_endpoints.size()));
  b.Add("winnet_hns_stale_remote_endpoints", kGauge,
        "Remote HNS endpoints that no load balancer referenced for the grace period "
        "(--hns.stale-remote-cycles).",
        {}, D(c.stale_remote_endpoints.size()));
  for (const auto& d : c.dns_load_balancers) {
    b.Add("winnet_hns_dns_load_balancers", kGauge,
          "HNS load balancers for a cluster DNS server's VIP on port 53, per protocol; 0: pods "
          "on this node cannot resolve names over that protocol.",
          {{"vip", d.vip}, {"protocol", d.protocol}}, D(d.load_balancer_ids.size()));
  }
}

// winnet_pod_network_*: the HNS counters of each local endpoint that has them.
template <class B>
void AddPodNetworkCounters(const NodeSnapshot& s, B& b) {
  ForEachLocalEndpoint(s, [&](size_t i) {
    const EndpointView& e = s.endpoints[i];
    if (!e.stats) return;
    auto l = [&e] {
      return Labels{{"namespace", e.pod.ns}, {"pod", e.pod.name}, {"endpoint_id", e.id}};
    };
    const auto& st = *e.stats;
    b.Add("winnet_pod_network_receive_bytes_total", kCounter,
          "Bytes received by the pod's HNS endpoint (HNS BytesReceived).", l, D(st.bytes_received));
    b.Add("winnet_pod_network_transmit_bytes_total", kCounter,
          "Bytes sent by the pod's HNS endpoint (HNS BytesSent).", l, D(st.bytes_sent));
    b.Add("winnet_pod_network_receive_packets_total", kCounter,
          "Packets received by the pod's HNS endpoint.", l, D(st.packets_received));
    b.Add("winnet_pod_network_transmit_packets_total", kCounter,
          "Packets sent by the pod's HNS endpoint.", l, D(st.packets_sent));
    b.Add("winnet_pod_network_receive_packets_dropped_total", kCounter,
          "Incoming packets dropped at the pod's HNS endpoint.", l, D(st.dropped_packets_incoming));
    b.Add("winnet_pod_network_transmit_packets_dropped_total", kCounter,
          "Outgoing packets dropped at the pod's HNS endpoint.", l, D(st.dropped_packets_outgoing));
  });
}

// The HNS families, added in the order DataFamilies has always listed them.
void Hns(const NodeSnapshot& s, Builder& b) {
  if (!s.hns_known) return;
  AddHnsEndpointCounts(s, b);
  AddHnsLocalEndpointInfo(s, b);
  AddHnsNetworks(s, b);
  AddHnsNodeTotals(s, b);
  AddHnsConsistency(s, b);
  AddPodNetworkCounters(s, b);
}

// The HNS service's health: its state, its restarts, and its process.
void HnsService(const NodeSnapshot& s, Builder& b) {
  if (!s.hns_service) return;
  const HnsServiceStatus& st = s.hns_service->status;
  b.Add("winnet_hns_service_up", kGauge,
        "1 when the HNS service is running (Service Control Manager state).", {},
        st.Running() ? 1 : 0);
  b.Add("winnet_hns_service_restarts_total", kCounter,
        "Changes of the HNS service's process id seen since the exporter started.", {},
        D(s.hns_service->restarts));
  if (st.threads) {
    b.Add("winnet_hns_process_threads", kGauge, "Threads of the HNS service's process.", {},
          D(*st.threads));
  }
  if (st.working_set_bytes) {
    b.Add("winnet_hns_process_working_set_bytes", kGauge,
          "Working set of the HNS service's process, in bytes.", {}, D(*st.working_set_bytes));
  }
  if (st.start_time_unix) {
    b.Add("winnet_hns_process_start_time_seconds", kGauge,
          "Start time of the HNS service's process, in Unix seconds.", {}, *st.start_time_unix);
  }
}

template <class B>
void Adapters(const NodeSnapshot& s, B& b) {
  if (!s.adapters_known) return;
  for (const auto& a : s.adapters) {
    const AdapterRow& r = a.row;
    auto l = [&] {
      return Labels{{"adapter", r.alias}, {"namespace", a.pod.ns}, {"pod", a.pod.name}};
    };
    b.Add("winnet_adapter_receive_bytes_total", kCounter,
          "Bytes received by the adapter (InOctets).", l, D(r.in_octets));
    b.Add("winnet_adapter_transmit_bytes_total", kCounter, "Bytes sent by the adapter (OutOctets).",
          l, D(r.out_octets));
    b.Add("winnet_adapter_receive_packets_total", kCounter,
          "Packets received by the adapter (unicast + non-unicast).", l,
          D(r.in_ucast_pkts + r.in_nucast_pkts));
    b.Add("winnet_adapter_transmit_packets_total", kCounter,
          "Packets sent by the adapter (unicast + non-unicast).", l,
          D(r.out_ucast_pkts + r.out_nucast_pkts));
    b.Add("winnet_adapter_receive_errors_total", kCounter, "Receive errors (InErrors).", l,
          D(r.in_errors));
    b.Add("winnet_adapter_transmit_errors_total", kCounter, "Transmit errors (OutErrors).", l,
          D(r.out_errors));
    b.Add("winnet_adapter_receive_discards_total", kCounter,
          "Received packets discarded (InDiscards).", l, D(r.in_discards));
    b.Add("winnet_adapter_transmit_discards_total", kCounter,
          "Outgoing packets discarded (OutDiscards).", l, D(r.out_discards));
    b.Add(
        "winnet_adapter_up", kGauge, "1 when the adapter's operational status is up.",
        [&] {
          return Labels{{"adapter", r.alias}};
        },
        r.Up() ? 1 : 0);
    b.Add(
        "winnet_adapter_info", kGauge, "Adapter with its description, MAC, endpoint and pod.",
        [&] {
          return Labels{{"adapter", r.alias},    {"description", r.description},
                        {"mac", r.mac},          {"endpoint_id", a.endpoint_id},
                        {"namespace", a.pod.ns}, {"pod", a.pod.name}};
        },
        1);
  }
}

HistogramSample HistogramOf(const CallDurationStats& c) {
  HistogramSample h;
  h.labels = {{"call", c.call}};
  uint64_t cumulative = 0;
  for (size_t i = 0; i < kCallDurationBuckets.size(); ++i) {
    cumulative += c.in_bucket[i];
    h.buckets.emplace_back(kCallDurationBuckets[i], cumulative);
  }
  h.buckets.emplace_back(std::numeric_limits<double>::infinity(), c.count);
  h.count = c.count;
  h.sum = c.sum;
  return h;
}

// winnet_<source>_call_duration_seconds and _call_timeouts_total, for
// sources that time their calls (HNS).
void CallDurationFamilies(const SourceView& src, Builder& b) {
  const std::string prefix = "winnet_" + src.name + "_call_";
  for (const auto& c : src.call_durations) {
    b.AddHistogram(prefix + "duration_seconds",
                   "Duration of the source's calls by kind of call, since the exporter started "
                   "(a call given up on its deadline counts when it returns).",
                   HistogramOf(c));
    if (!c.has_deadline) continue;
    b.Add(prefix + "timeouts_total", kCounter,
          "Calls given up because they overran their deadline (--hns.call-timeout).",
          {{"call", c.call}}, D(c.timeouts));
    b.Add("winnet_" + src.name + "_calls_hung", kGauge,
          "Calls given up on their deadline that have not returned yet; each holds a thread.",
          {{"call", c.call}}, D(c.hung));
  }
}

void Self(const std::vector<SourceView>& sources, const BuildInfo& build, Builder& b) {
  for (const auto& src : sources) {
    if (!src.available || !src.attempted || src.unused_in_mode) continue;
    Labels l{{"source", src.name}};
    b.Add("winnet_exporter_source_success", kGauge,
          "1 when the source's last poll succeeded; 0 while its last good data is served stale.", l,
          src.ok ? 1 : 0);
    b.Add("winnet_exporter_source_duration_seconds", kGauge,
          "Duration of the source's last poll (the timeout when it hung).", l,
          src.duration_seconds);
    b.Add("winnet_exporter_source_last_success_timestamp_seconds", kGauge,
          "Unix time of the source's last successful poll; 0 when it never succeeded.", l,
          src.last_success_unix);
    CallDurationFamilies(src, b);
  }
  b.Add("winnet_exporter_build_info", kGauge, "Build of the exporter; value 1.",
        {{"version", build.version}, {"revision", build.revision}, {"platform", build.platform}},
        1);
}

}  // namespace

std::vector<MetricFamily> DataFamilies(const NodeSnapshot& snap) {
  Builder b;
  Cni(snap, b);
  Ipam(snap, b);
  Hns(snap, b);
  HnsService(snap, b);
  Adapters(snap, b);
  return b.Take();
}

std::vector<MetricFamily> CounterFamilies(const NodeSnapshot& snap) {
  Builder b;
  if (snap.hns_known) AddPodNetworkCounters(snap, b);
  Adapters(snap, b);
  return b.Take();
}

std::vector<FamilyValues> CounterValues(const NodeSnapshot& snap) {
  ValuesBuilder b;
  if (snap.hns_known) AddPodNetworkCounters(snap, b);
  Adapters(snap, b);
  return b.Take();
}

std::vector<MetricFamily> SourceFamilies(const std::vector<SourceView>& sources,
                                         const BuildInfo& build) {
  Builder b;
  Self(sources, build, b);
  return b.Take();
}

std::vector<MetricFamily> SnapshotToFamilies(const NodeSnapshot& snap) {
  auto out = DataFamilies(snap);
  auto self = SourceFamilies(snap.sources, snap.build);
  out.insert(out.end(), std::make_move_iterator(self.begin()), std::make_move_iterator(self.end()));
  return out;
}

std::string EscapeLabelValue(const std::string& v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
  return out;
}

std::string EscapeHelp(const std::string& v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

// FormatValue's text in `buf`; returns its length.
size_t FormatValueInto(double v, char (&buf)[64]) {
  const auto copy = [&](std::string_view text) {
    text.copy(buf, text.size());
    return text.size();
  };
  if (std::isnan(v)) return copy("NaN");
  if (std::isinf(v)) return copy(v > 0 ? "+Inf" : "-Inf");
  // Integers print without exponent up to 2^63 (counters, sizes).
  if (v == std::floor(v) && std::fabs(v) < 9.2e18) {
    return std::to_chars(buf, buf + sizeof buf, static_cast<long long>(v)).ptr - buf;
  }
  return std::to_chars(buf, buf + sizeof buf, v).ptr - buf;
}

void AppendValue(double v, std::string& out) {
  char buf[64];
  out.append(buf, FormatValueInto(v, buf));
}

}  // namespace

std::string FormatValue(double v) {
  char buf[64];
  return std::string(buf, FormatValueInto(v, buf));
}

namespace {

// True when `order` puts the samples in strictly increasing label order (so
// also without repeats).
bool SortsStrictly(const std::vector<Sample>& samples, const std::vector<uint32_t>& order) {
  if (order.size() != samples.size()) return false;
  for (size_t k = 1; k < order.size(); ++k) {
    if (!(samples[order[k - 1]].labels < samples[order[k]].labels)) return false;
  }
  return true;
}

// The samples' order by labels, stable.
std::vector<uint32_t> SortedOrder(const std::vector<Sample>& samples) {
  std::vector<uint32_t> order(samples.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<uint32_t>(i);
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return samples[a].labels < samples[b].labels; });
  return order;
}

// Sorts the series and keeps the first of repeated label sets. With `order`,
// the samples are put in the order kept for the family when that order still
// sorts them, and the order found is kept for the next time. Returns the index
// each kept series had among the samples as added.
std::vector<uint32_t> SortAndDedupe(MetricFamily& f, SeriesOrder* order) {
  std::stable_sort(
      f.histograms.begin(), f.histograms.end(),
      [](const HistogramSample& a, const HistogramSample& b) { return a.labels < b.labels; });
  std::vector<uint32_t> fresh;
  std::vector<uint32_t>* kept = order != nullptr ? &order->by_family[f.name] : &fresh;
  if (!SortsStrictly(f.samples, *kept)) *kept = SortedOrder(f.samples);
  std::vector<Sample> sorted;
  std::vector<uint32_t> shown;
  sorted.reserve(f.samples.size());
  shown.reserve(f.samples.size());
  for (uint32_t i : *kept) {
    if (!sorted.empty() && sorted.back().labels == f.samples[i].labels) continue;
    sorted.push_back(std::move(f.samples[i]));
    shown.push_back(i);
  }
  f.samples = std::move(sorted);
  return shown;
}

// EscapeLabelValue(v) appended to `out`, without a copy when nothing needs
// escaping (nearly always).
void AppendEscapedLabelValue(const std::string& v, std::string& out) {
  for (char c : v) {
    if (c == '\\' || c == '"' || c == '\n') {
      out += EscapeLabelValue(v);
      return;
    }
  }
  out += v;
}

// `{k="v",...}`, with `le` last when given; nothing without labels.
void AppendLabels(const Labels& labels, const std::string* le, std::string& out) {
  if (labels.empty() && le == nullptr) return;
  out += '{';
  bool first = true;
  for (const auto& [k, v] : labels) {
    if (!first) out += ',';
    first = false;
    out += k;
    out += "=\"";
    AppendEscapedLabelValue(v, out);
    out += '"';
  }
  if (le != nullptr) {
    out += first ? "le=\"" : ",le=\"";
    out += *le;
    out += '"';
  }
  out += '}';
}

void AppendHistogram(const std::string& name, const HistogramSample& h, std::string& out) {
  for (const auto& [bound, count] : h.buckets) {
    const std::string le = FormatValue(bound);
    out += name;
    out += "_bucket";
    AppendLabels(h.labels, &le, out);
    out += ' ';
    out += FormatValue(static_cast<double>(count));
    out += '\n';
  }
  out += name + "_sum";
  AppendLabels(h.labels, nullptr, out);
  out += ' ' + FormatValue(h.sum) + '\n';
  out += name + "_count";
  AppendLabels(h.labels, nullptr, out);
  out += ' ' + FormatValue(static_cast<double>(h.count)) + '\n';
}

// With `layout`, where each series line's value sits is noted in it.
void AppendFamily(const MetricFamily& f, std::string& out, ValueLayout* layout) {
  out += "# HELP ";
  out += f.name;
  out += ' ';
  out += EscapeHelp(f.help);
  out += "\n# TYPE ";
  out += f.name;
  out += ' ';
  out += TypeName(f.type);
  out += '\n';
  if (layout != nullptr) layout->header_end = static_cast<uint32_t>(out.size());
  for (const auto& s : f.samples) {
    out += f.name;
    AppendLabels(s.labels, nullptr, out);
    out += ' ';
    if (layout != nullptr) layout->value_at.push_back(static_cast<uint32_t>(out.size()));
    AppendValue(s.value, out);
    out += '\n';
    if (layout != nullptr) layout->line_end.push_back(static_cast<uint32_t>(out.size()));
  }
  for (const auto& h : f.histograms) AppendHistogram(f.name, h, out);
}

}  // namespace

RenderedFamilies RenderFamilies(std::vector<MetricFamily> families, SeriesOrder* order) {
  return RenderFamilies(std::move(families), static_cast<int>(DefaultTextBackend()), order);
}

RenderedFamilies RenderFamilies(std::vector<MetricFamily> families, int backend,
                                SeriesOrder* order) {
  const bool pcpp =
      backend == static_cast<int>(TextBackend::kPrometheusCpp) && PrometheusCppAvailable();
  std::sort(families.begin(), families.end(),
            [](const MetricFamily& a, const MetricFamily& b) { return a.name < b.name; });
  RenderedFamilies out;
  out.reserve(families.size());
  for (auto& f : families) {
    if (f.samples.empty() && f.histograms.empty()) continue;
    const auto samples = static_cast<uint32_t>(f.samples.size());
    std::vector<uint32_t> shown = SortAndDedupe(f, order);
    ValueLayout* layout = nullptr;
    // Values are rewritten in the native writer's format: a layout is kept
    // only for its text (and for series without histograms).
    if (order != nullptr && (pcpp || !f.histograms.empty())) order->layouts.erase(f.name);
    if (order != nullptr && !pcpp && f.histograms.empty()) {
      layout = &order->layouts[f.name];
      *layout = ValueLayout{samples, 0, std::move(shown), {}, {}};
    }
    std::string text;
    text.reserve(f.samples.size() * 96 + 128);
    if (pcpp) {
      AppendFamilyPrometheusCpp(f, text);
    } else {
      AppendFamily(f, text, layout);
    }
    out.emplace_back(f.name, std::move(text));
  }
  return out;
}

namespace {

// True when `layout` describes `text` and `values` are as many as it was made for.
bool LayoutFits(const ValueLayout& layout, const std::string& text,
                const std::vector<double>& values) {
  const size_t lines = layout.source.size();
  if (layout.samples != values.size() || layout.value_at.size() != lines ||
      layout.line_end.size() != lines) {
    return false;
  }
  return (lines == 0 ? layout.header_end : layout.line_end.back()) == text.size();
}

// `text` with each line's value replaced by its new one, appended to `out`.
void AppendRewritten(const std::string& text, const ValueLayout& layout,
                     const std::vector<double>& values, std::string& out) {
  out.append(text, 0, layout.header_end);
  size_t line_begin = layout.header_end;
  for (size_t k = 0; k < layout.source.size(); ++k) {
    out.append(text, line_begin, layout.value_at[k] - line_begin);
    line_begin = layout.line_end[k];
    AppendValue(values[layout.source[k]], out);
    out += '\n';
  }
}

const std::string* RenderedText(const RenderedFamilies& rendered, const std::string& name) {
  auto it = std::lower_bound(rendered.begin(), rendered.end(), name,
                             [](const auto& f, const std::string& n) { return f.first < n; });
  return it != rendered.end() && it->first == name ? &it->second : nullptr;
}

// The text and layout of each family of `values`, or nothing when one has none that fits.
std::optional<std::vector<std::pair<const std::string*, const ValueLayout*>>> FittingLayouts(
    const RenderedFamilies& rendered, const std::vector<FamilyValues>& values,
    const ValueLayouts& layouts) {
  std::vector<std::pair<const std::string*, const ValueLayout*>> found;
  found.reserve(values.size());
  for (const auto& f : values) {
    const std::string* text = RenderedText(rendered, f.name);
    auto layout = layouts.find(f.name);
    if (text == nullptr || layout == layouts.end() ||
        !LayoutFits(layout->second, *text, f.values)) {
      return std::nullopt;
    }
    found.emplace_back(text, &layout->second);
  }
  return found;
}

}  // namespace

std::optional<DeferredValues> DeferredValues::Of(std::shared_ptr<const RenderedFamilies> rendered,
                                                 std::shared_ptr<const ValueLayouts> layouts,
                                                 std::vector<FamilyValues> values) {
  if (!rendered || !layouts) return std::nullopt;
  const auto found = FittingLayouts(*rendered, values, *layouts);
  if (!found) return std::nullopt;
  DeferredValues d;
  d.rendered_ = std::move(rendered);
  d.layouts_ = std::move(layouts);
  d.values_ = std::move(values);
  for (size_t i = 0; i < d.values_.size(); ++i) {
    d.by_name_.emplace(d.values_[i].name,
                       Family{(*found)[i].first, (*found)[i].second, &d.values_[i].values});
  }
  return d;
}

bool DeferredValues::AppendFamily(const std::string& name, std::string& out) const {
  const auto it = by_name_.find(name);
  if (it == by_name_.end()) return false;
  // Checked to fit when made; the text and layouts are not written since.
  AppendRewritten(*it->second.text, *it->second.layout, *it->second.values, out);
  return true;
}

std::string MergeRendered(const RenderedFamilies& a, const RenderedFamilies& b,
                          const DeferredValues* counters) {
  size_t total = 0;
  for (const auto& f : a) total += f.second.size();
  for (const auto& f : b) total += f.second.size();
  std::string out;
  out.reserve(total + (counters != nullptr ? total / 16 : 0));
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (j == b.size() || (i < a.size() && a[i].first < b[j].first)) {
      if (counters == nullptr || !counters->AppendFamily(a[i].first, out)) out += a[i].second;
      ++i;
    } else {
      out += b[j++].second;
    }
  }
  return out;
}

RenderedFamilies ReplaceFamilies(const RenderedFamilies& all, RenderedFamilies fresh) {
  RenderedFamilies out;
  out.reserve(all.size() + fresh.size());
  size_t j = 0;
  for (const auto& f : all) {
    while (j < fresh.size() && fresh[j].first < f.first) out.push_back(std::move(fresh[j++]));
    if (j < fresh.size() && fresh[j].first == f.first) {
      out.push_back(std::move(fresh[j++]));
    } else {
      out.push_back(f);
    }
  }
  while (j < fresh.size()) out.push_back(std::move(fresh[j++]));
  return out;
}

std::string RenderText(std::vector<MetricFamily> families) {
  return MergeRendered(RenderFamilies(std::move(families), static_cast<int>(TextBackend::kNative)),
                       {});
}

}  // namespace winnet
