// The node map: the snapshot as an engineer walks it (pods with their
// endpoint, adapter, IP and traffic; pools; problems; source health), as an
// HTML page (GET /) and as an aligned text table (`winnet_exporter inspect`).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/snapshot.h"

namespace winnet {

struct PodRow {
  std::string ns, pod;
  std::string ip, mac;
  std::string endpoint_id, endpoint_name, state;          // HNS endpoint ("" on Linux)
  std::string adapter;                                    // vEthernet (…) or host veth
  std::optional<uint64_t> receive_bytes, transmit_bytes;  // as the pod sees them
  std::optional<uint64_t> receive_drops, transmit_drops;
  std::optional<double> receive_rate, transmit_rate;  // bytes/s
  std::string counters_from;                          // "hns", "adapter" or ""
};

struct Problem {
  std::string kind;     // "leaked IP", "orphaned endpoint", "duplicate IP", …
  std::string subject;  // what it is about
  std::string detail;
};

std::vector<PodRow> BuildPodRows(const NodeSnapshot& snap);
std::vector<Problem> BuildProblems(const NodeSnapshot& snap,
                                   const std::vector<SourceView>& sources);

// `now_unix` is used for data ages. Every node string is HTML-escaped.
std::string RenderNodePage(const NodeSnapshot& snap, const std::vector<SourceView>& sources,
                           const std::string& metrics_path, double now_unix);
std::string RenderInspect(const NodeSnapshot& snap, const std::vector<SourceView>& sources,
                          double now_unix);

std::string EscapeHtml(std::string_view s);
// 1536 → "1.5 KiB".
std::string HumanBytes(double bytes);

}  // namespace winnet
