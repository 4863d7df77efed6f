#include "exporter/node_view.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <unordered_map>
#include <utility>

namespace winnet {

std::string EscapeHtml(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string HumanBytes(double b) {
  static const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  int u = 0;
  while (b >= 1024 && u < 5) {
    b /= 1024;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", b, units[u]);
  return buf;
}

namespace {

std::string Rate(const std::optional<double>& r) { return r ? HumanBytes(*r) + "/s" : ""; }
std::string Num(const std::optional<uint64_t>& v) {
  return v ? HumanBytes(static_cast<double>(*v)) : "";
}
std::string Count(const std::optional<uint64_t>& v) { return v ? std::to_string(*v) : ""; }

std::string Age(double last_unix, double now) {
  if (last_unix <= 0) return "never";
  double s = now - last_unix;
  if (s < 0) s = 0;
  char buf[32];
  if (s < 120) {
    std::snprintf(buf, sizeof buf, "%.0f s ago", s);
  } else if (s < 7200) {
    std::snprintf(buf, sizeof buf, "%.0f min ago", s / 60);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f h ago", s / 3600);
  }
  return buf;
}

std::string SourceStatus(const SourceView& s) {
  if (!s.available) return "unavailable";
  if (!s.attempted) return "starting";
  if (s.ok) return "ok";
  return s.stale ? "failing (stale data)" : "failing (no data)";
}

using AdapterIndex = std::unordered_map<std::string, const AdapterView*>;

// The row of a local HNS endpoint, with the endpoint's HNS counters.
PodRow PodRowOfEndpoint(const EndpointView& e, const AdapterIndex& adapter_by_endpoint) {
  PodRow r;
  r.ns = e.pod.ns;
  r.pod = e.pod.name;
  r.ip = e.ip;
  r.mac = e.mac;
  r.endpoint_id = e.id;
  r.endpoint_name = e.name;
  r.state = e.state;
  if (auto it = adapter_by_endpoint.find(e.id); it != adapter_by_endpoint.end()) {
    r.adapter = it->second->row.alias;
  }
  if (e.stats) {
    r.receive_bytes = e.stats->bytes_received;
    r.transmit_bytes = e.stats->bytes_sent;
    r.receive_drops = e.stats->dropped_packets_incoming;
    r.transmit_drops = e.stats->dropped_packets_outgoing;
    r.receive_rate = e.receive_rate;
    r.transmit_rate = e.transmit_rate;
    r.counters_from = "hns";
  }
  return r;
}

// The row of a CNI endpoint without an HNS endpoint, with the counters of its
// host veth when that adapter is known.
PodRow PodRowOfCniEndpoint(const CniEndpoint& c, const AdapterIndex& adapter_by_alias) {
  PodRow r;
  r.ns = c.pod_namespace;
  r.pod = c.pod_name;
  r.ip = c.ips.empty() ? "" : c.ips.front();
  r.mac = c.mac;
  r.endpoint_id = c.hns_id;
  r.endpoint_name = c.id;
  if (!c.host_if_name.empty()) {
    r.adapter = c.host_if_name;
    if (auto it = adapter_by_alias.find(c.host_if_name); it != adapter_by_alias.end()) {
      // The host side of a veth receives what the pod sends: swap.
      const AdapterView& a = *it->second;
      r.receive_bytes = a.row.out_octets;
      r.transmit_bytes = a.row.in_octets;
      r.receive_drops = a.row.out_discards;
      r.transmit_drops = a.row.in_discards;
      r.receive_rate = a.transmit_rate;
      r.transmit_rate = a.receive_rate;
      r.counters_from = "adapter";
    }
  }
  return r;
}

}  // namespace

std::vector<PodRow> BuildPodRows(const NodeSnapshot& snap) {
  std::vector<PodRow> rows;
  AdapterIndex adapter_by_endpoint, adapter_by_alias;
  for (const auto& a : snap.adapters) {
    if (!a.endpoint_id.empty()) adapter_by_endpoint.emplace(a.endpoint_id, &a);
    adapter_by_alias.emplace(a.row.alias, &a);
  }
  std::set<std::string> cni_matched;
  for (const auto& e : snap.endpoints) {
    if (!e.local) continue;
    if (!e.cni_endpoint_id.empty()) cni_matched.insert(e.cni_endpoint_id);
    rows.push_back(PodRowOfEndpoint(e, adapter_by_endpoint));
  }
  // CNI endpoints without an HNS endpoint (Linux nodes, or HNS unavailable).
  for (const auto& c : snap.cni_endpoints) {
    if (cni_matched.count(c.id)) continue;  // already a row through its HNS endpoint
    rows.push_back(PodRowOfCniEndpoint(c, adapter_by_alias));
  }
  std::sort(rows.begin(), rows.end(), [](const PodRow& a, const PodRow& b) {
    return std::tie(a.ns, a.pod, a.endpoint_name) < std::tie(b.ns, b.pod, b.endpoint_name);
  });
  return rows;
}

namespace {

// Load balancers against endpoints and IP conflicts (HnsConsistency).
void AddHnsConsistencyProblems(const HnsConsistency& c, std::vector<Problem>& out) {
  for (const auto& r : c.missing_endpoint_refs) {
    out.push_back({"dangling load balancer reference", r.load_balancer_id,
                   "references endpoint " + r.endpoint_id + ", which HNS does not list"});
  }
  for (const auto& id : c.load_balancers_without_endpoints) {
    out.push_back({"load balancer without endpoints", id, "none of its endpoints exists"});
  }
  for (const auto& id : c.stale_remote_endpoints) {
    out.push_back({"stale remote endpoint", id, "no load balancer references it"});
  }
  for (const auto& d : c.dns_load_balancers) {
    if (!d.load_balancer_ids.empty()) continue;
    out.push_back({"no DNS load balancer", d.vip + " " + d.protocol + "/53",
                   "no HNS load balancer for this cluster DNS server: pods cannot resolve "
                   "names over " +
                       d.protocol});
  }
}

// One problem per IP held by several endpoints, with its kind and holders.
void AddIpConflictProblems(const NodeSnapshot& snap, std::vector<Problem>& out) {
  std::map<std::string, bool> local;
  for (const auto& e : snap.endpoints) local[e.id] = e.local;  // remote: not found, false
  for (const auto& ic : snap.hns_checks.ip_conflicts) {
    std::string detail =
        ic.kind + ": held by " + std::to_string(ic.endpoint_ids.size()) + " HNS endpoints:";
    for (const auto& id : ic.endpoint_ids) {
      detail += " " + id + " (" + (local[id] ? "local" : "remote") + ")";
    }
    out.push_back({"duplicate IP", ic.ip, detail});
  }
}

}  // namespace

std::vector<Problem> BuildProblems(const NodeSnapshot& snap,
                                   const std::vector<SourceView>& sources) {
  std::vector<Problem> out;
  for (const auto& p : snap.pools) {
    if (p.capacity > 0 && p.available == 0) {
      out.push_back({"pool exhausted", p.subnet,
                     "all " + std::to_string(p.capacity) + " addresses allocated"});
    } else if (p.capacity > 0 && p.allocated * 10 >= p.capacity * 9) {
      out.push_back({"pool above 90 %", p.subnet,
                     std::to_string(p.allocated) + " of " + std::to_string(p.capacity) +
                         " addresses allocated"});
    }
    for (size_t i = 0; i < p.leaked_ips.size(); ++i) {
      std::string id = i < p.leaked_ids.size() ? p.leaked_ids[i] : "";
      const bool cns = p.origin != "ipam_state";
      out.push_back(
          {"leaked IP", p.leaked_ips[i] + " (" + p.subnet + ")",
           (cns ? "Assigned by CNS" : "InUse in azure-vnet-ipam.json") +
               (id.empty() ? std::string(" with no ") + (cns ? "IP config ID" : "sandbox ID")
                           : (cns ? " as IP config " : " by sandbox ") + id) +
               ", but no endpoint record and no local HNS endpoint holds it"});
    }
    for (const auto& ip : p.unaccounted_ips) {
      out.push_back({"unaccounted IP", ip + " (" + p.subnet + ")",
                     std::string(p.origin == "ipam_state" ? "free in azure-vnet-ipam.json"
                                                          : "Available in CNS") +
                         ", but an endpoint holds it: the next pod may get it too"});
    }
  }
  for (const auto& e : snap.endpoints) {
    if (e.orphaned) {
      out.push_back(
          {"orphaned endpoint", e.name + " " + e.id + (e.ip.empty() ? "" : " " + e.ip),
           "local HNS endpoint (state " + e.state + ") that azure-vnet.json does not describe"});
    }
  }
  AddIpConflictProblems(snap, out);
  AddHnsConsistencyProblems(snap.hns_checks, out);
  if (const auto& svc = snap.hns_service; svc && !svc->status.Running()) {
    out.push_back({"HNS service down", svc->status.name,
                   "state " + svc->status.state + " (Service Control Manager)"});
  } else if (svc && svc->status.threads && *svc->status.threads > kHnsThreadsDeadlockSign) {
    out.push_back({"HNS threads high", svc->status.name,
                   std::to_string(*svc->status.threads) + " threads in process " +
                       std::to_string(svc->status.process_id) + ", more than " +
                       std::to_string(kHnsThreadsDeadlockSign) + ": a sign of a deadlocked HNS"});
  }
  for (const auto& s : sources) {
    if (s.available && s.attempted && !s.ok) {
      out.push_back(
          {"source failing", s.name, s.error + (s.stale ? " (serving its last good data)" : "")});
    }
    for (const auto& item : s.item_errors) out.push_back({"item skipped", s.name, item});
  }
  return out;
}

namespace {

constexpr const char* kStyle =
    R"(body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#1b1f23}
h1{font-size:1.4em;margin:0 0 .2em}h2{font-size:1.1em;margin:1.4em 0 .4em}
table{border-collapse:collapse;width:100%}th,td{padding:.25em .6em;border-bottom:1px solid #e1e4e8;text-align:left;white-space:nowrap}
th{background:#f6f8fa;cursor:pointer;user-select:none}td.n{text-align:right;font-variant-numeric:tabular-nums}
.bar{display:flex;height:1.2em;width:100%;max-width:40em;border:1px solid #d0d7de;border-radius:3px;overflow:hidden}
.bar div{height:100%}.used{background:#2f81f7}.leak{background:#d1242f}.free{background:#dafbe1}
.ok{color:#1a7f37}.bad{color:#d1242f;font-weight:600}.muted{color:#6e7781}code{font-size:.95em}
ul.problems li{margin:.2em 0}.kind{font-weight:600;color:#d1242f}.wrap{overflow-x:auto})";

constexpr const char* kScript = R"(document.querySelectorAll('table.sortable').forEach(function(t){
t.querySelectorAll('th').forEach(function(th,i){th.addEventListener('click',function(){
var b=t.tBodies[0],r=Array.from(b.rows),d=th.dataset.dir==='a'?-1:1;th.dataset.dir=d>0?'a':'d';
r.sort(function(x,y){var p=x.cells[i].dataset.v||x.cells[i].textContent,q=y.cells[i].dataset.v||y.cells[i].textContent;
var m=parseFloat(p),n=parseFloat(q);if(!isNaN(m)&&!isNaN(n))return d*(m-n);return d*p.localeCompare(q);});
r.forEach(function(e){b.appendChild(e);});});});});)";

void Cell(std::string& out, const std::string& text, const char* cls = nullptr) {
  out += cls ? std::string("<td class=\"") + cls + "\">" : std::string("<td>");
  out += EscapeHtml(text);
  out += "</td>";
}

void NumCell(std::string& out, const std::string& text, const std::optional<double>& v) {
  out += "<td class=\"n\"";
  if (v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, " data-v=\"%.17g\"", *v);
    out += buf;
  }
  out += ">" + EscapeHtml(text) + "</td>";
}

std::optional<double> D(const std::optional<uint64_t>& v) {
  return v ? std::optional<double>(static_cast<double>(*v)) : std::nullopt;
}

// When the data shown was last read: the oldest last success among the
// sources that have data (a stale source makes the page as old as it is).
// The snapshot is rebuilt only when some source's data changed, so its own
// time says nothing about how fresh unchanged data is.
double DataReadUnix(const NodeSnapshot& snap, const std::vector<SourceView>& sources) {
  double oldest = 0;
  for (const auto& s : sources) {
    if (!s.available || !s.has_data) continue;
    if (oldest == 0 || s.last_success_unix < oldest) oldest = s.last_success_unix;
  }
  return oldest != 0 ? oldest : snap.generated_unix;
}

// The page up to the line under the title (version, data age, links).
void AppendPageHead(std::string& h, const NodeSnapshot& snap,
                    const std::vector<SourceView>& sources, const std::string& metrics_path,
                    double now) {
  h += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
       "<meta name=\"viewport\" content=\"width=device-width\">"
       "<meta http-equiv=\"refresh\" content=\"30\">"
       "<title>winnet_exporter: node network map</title><style>";
  h += kStyle;
  h += "</style></head><body>\n<h1>Node network map</h1>\n<p class=\"muted\">winnet_exporter " +
       EscapeHtml(snap.build.version) + " (" + EscapeHtml(snap.build.platform) +
       ") &middot; data read " + Age(DataReadUnix(snap, sources), now) + " &middot; <a href=\"" +
       EscapeHtml(metrics_path) +
       "\">metrics</a> &middot; <a href=\"/api/v1/snapshot\">JSON</a> &middot; "
       "<a href=\"/healthz\">health</a></p>\n";
}

// The HNS endpoints of `snap`: how many are local and how many remote.
std::pair<size_t, size_t> LocalAndRemoteEndpoints(const NodeSnapshot& snap) {
  size_t local = 0, remote = snap.remote_endpoints ? snap.remote_endpoints->size() : 0;
  for (const auto& e : snap.endpoints) (e.local ? local : remote)++;
  return {local, remote};
}

// The summary line: pod interfaces, HNS endpoints, load balancers, CNI version.
void AppendSummary(std::string& h, const NodeSnapshot& snap, size_t pod_rows) {
  const auto [local, remote] = LocalAndRemoteEndpoints(snap);
  h += "<p id=\"summary\">" + std::to_string(pod_rows) + " pod interfaces";
  if (snap.hns_known) {
    h += " &middot; HNS endpoints: " + std::to_string(local) + " local, " + std::to_string(remote) +
         " remote";
    if (snap.load_balancers) {
      h += " &middot; load balancers: " + std::to_string(*snap.load_balancers);
    }
  }
  if (!snap.cni_version.empty()) h += " &middot; Azure CNI " + EscapeHtml(snap.cni_version);
  h += "</p>\n";
}

// The pending and unaccounted figures of a pool, where known.
std::string PoolExtras(const PoolView& p) {
  std::string out;
  if (p.pending_release) out += ", " + std::to_string(*p.pending_release) + " pending release";
  if (p.pending_programming) {
    out += ", " + std::to_string(*p.pending_programming) + " pending programming";
  }
  if (p.unaccounted) out += ", " + std::to_string(*p.unaccounted) + " unaccounted";
  return out;
}

// One pool: its counts, then a bar of used, leaked and free addresses.
void AppendPool(std::string& h, const PoolView& p) {
  const double cap = p.capacity > 0 ? static_cast<double>(p.capacity) : 1;
  const uint64_t leaked = p.leaked.value_or(0);
  char widths[160];
  std::snprintf(widths, sizeof widths,
                "<div class=\"used\" style=\"width:%.2f%%\"></div>"
                "<div class=\"leak\" style=\"width:%.2f%%\"></div>"
                "<div class=\"free\" style=\"width:%.2f%%\"></div>",
                100.0 * static_cast<double>(p.allocated - leaked) / cap,
                100.0 * static_cast<double>(leaked) / cap,
                100.0 * static_cast<double>(p.available) / cap);
  h += "<p class=\"pool\"><code>" + EscapeHtml(p.subnet) +
       "</code>: " + std::to_string(p.allocated) + " allocated, " + std::to_string(p.available) +
       " available of " + std::to_string(p.capacity) +
       (p.leaked ? ", " + std::to_string(*p.leaked) + " leaked" : "") + PoolExtras(p) +
       "</p><div class=\"bar\" title=\"" + EscapeHtml(p.subnet) + "\">" + widths + "</div>\n";
}

void AppendPools(std::string& h, const NodeSnapshot& snap) {
  h += "<h2>IP pools</h2>\n";
  h += "<p id=\"mode\">Network mode: <b>" +
       EscapeHtml(snap.network_mode.empty() ? "unknown" : snap.network_mode) + "</b>" +
       (snap.conflist_present ? " (IPAM " + EscapeHtml(snap.cni_ipam) + ")" : "") + "</p>\n";
  if (snap.pools.empty()) {
    h += "<p class=\"muted\">No IPAM state on this node "
         "(no azure-vnet-ipam.json, azure-cns.json or CNS API answer).</p>\n";
  }
  for (const auto& p : snap.pools) AppendPool(h, p);
}

void AppendProblems(std::string& h, const std::vector<Problem>& problems) {
  h += "<h2>Problems</h2>\n";
  if (problems.empty()) {
    h += "<p class=\"ok\" id=\"no-problems\">None found.</p>\n";
  } else {
    h += "<ul class=\"problems\" id=\"problems\">\n";
    for (const auto& p : problems) {
      h += "<li><span class=\"kind\">" + EscapeHtml(p.kind) + "</span> <code>" +
           EscapeHtml(p.subject) + "</code>: " + EscapeHtml(p.detail) + "</li>\n";
    }
    h += "</ul>\n";
  }
}

void AppendPodRow(std::string& h, const PodRow& r) {
  h += "<tr>";
  Cell(h, r.ns.empty() ? "-" : r.ns, r.ns.empty() ? "muted" : nullptr);
  Cell(h, r.pod.empty() ? "(no pod)" : r.pod, r.pod.empty() ? "bad" : nullptr);
  Cell(h, r.ip);
  Cell(h, r.mac);
  h += "<td><code>" + EscapeHtml(r.endpoint_id) + "</code><br><span class=\"muted\">" +
       EscapeHtml(r.endpoint_name) + "</span></td>";
  Cell(h, r.state);
  Cell(h, r.adapter);
  NumCell(h, Num(r.receive_bytes), D(r.receive_bytes));
  NumCell(h, Num(r.transmit_bytes), D(r.transmit_bytes));
  NumCell(h, Rate(r.receive_rate), r.receive_rate);
  NumCell(h, Rate(r.transmit_rate), r.transmit_rate);
  NumCell(h, Count(r.receive_drops), D(r.receive_drops));
  NumCell(h, Count(r.transmit_drops), D(r.transmit_drops));
  h += "</tr>\n";
}

void AppendPodTable(std::string& h, const std::vector<PodRow>& rows) {
  h += "<h2>Pods</h2>\n<div class=\"wrap\"><table class=\"sortable\" id=\"pods\"><thead><tr>"
       "<th>namespace</th><th>pod</th><th>IP</th>"
       "<th>MAC</th><th>HNS endpoint</th><th>state</th><th>adapter</th>"
       "<th>received</th><th>sent</th>"
       "<th>receive rate</th><th>transmit rate</th><th>drops in</th><th>drops out</th>"
       "</tr></thead><tbody>\n";
  for (const auto& r : rows) AppendPodRow(h, r);
  h += "</tbody></table></div>\n";
}

void AppendNetworks(std::string& h, const std::vector<NetworkView>& networks) {
  h += "<h2>HNS networks</h2>\n<table class=\"sortable\" id=\"networks\"><thead><tr>"
       "<th>name</th><th>type</th><th>subnet</th><th>ID</th></tr></thead><tbody>\n";
  for (const auto& n : networks) {
    h += "<tr>";
    Cell(h, n.name);
    Cell(h, n.type);
    Cell(h, n.subnet);
    Cell(h, n.id);
    h += "</tr>\n";
  }
  h += "</tbody></table>\n";
}

void AppendSources(std::string& h, const std::vector<SourceView>& sources, double now) {
  h += "<h2>Sources</h2>\n<table id=\"sources\"><thead><tr>"
       "<th>source</th><th>status</th><th>last success</th><th>where / why</th>"
       "</tr></thead><tbody>\n";
  for (const auto& s : sources) {
    const std::string status = SourceStatus(s);
    h += "<tr>";
    Cell(h, s.name);
    Cell(h, status, status == "ok" ? "ok" : (s.available ? "bad" : "muted"));
    Cell(h, s.available ? Age(s.last_success_unix, now) : "");
    Cell(h, !s.available ? s.unavailable_reason : (s.ok ? s.where : s.error));
    h += "</tr>\n";
  }
  h += "</tbody></table>\n";
}

}  // namespace

std::string RenderNodePage(const NodeSnapshot& snap, const std::vector<SourceView>& sources,
                           const std::string& metrics_path, double now) {
  std::string h;
  h.reserve(64 * 1024);
  AppendPageHead(h, snap, sources, metrics_path, now);
  const auto rows = BuildPodRows(snap);
  AppendSummary(h, snap, rows.size());
  AppendPools(h, snap);
  AppendProblems(h, BuildProblems(snap, sources));
  AppendPodTable(h, rows);
  if (snap.hns_known) AppendNetworks(h, snap.networks);
  AppendSources(h, sources, now);
  h += "<script>";
  h += kScript;
  h += "</script>\n</body></html>\n";
  return h;
}

namespace {

using TextTable = std::vector<std::vector<std::string>>;

// The header, then one row per pod interface.
TextTable InspectPodTable(const NodeSnapshot& snap) {
  TextTable table = {{"NAMESPACE", "POD", "IP", "MAC", "ENDPOINT", "STATE", "ADAPTER", "RECEIVED",
                      "SENT", "DROPS IN/OUT"}};
  for (const auto& r : BuildPodRows(snap)) {
    std::string drops =
        r.receive_drops ? std::to_string(*r.receive_drops) + "/" + std::to_string(*r.transmit_drops)
                        : "";
    table.push_back({r.ns.empty() ? "-" : r.ns, r.pod.empty() ? "(no pod)" : r.pod, r.ip, r.mac,
                     r.endpoint_name.empty() ? r.endpoint_id : r.endpoint_name, r.state, r.adapter,
                     Num(r.receive_bytes), Num(r.transmit_bytes), drops});
  }
  return table;
}

// One line per pool, or the line saying there is no IPAM state.
void AppendInspectPools(std::string& out, const NodeSnapshot& snap) {
  for (const auto& p : snap.pools) {
    out += "pool " + p.subnet + ": " + std::to_string(p.allocated) + "/" +
           std::to_string(p.capacity) + " allocated, " + std::to_string(p.available) +
           " available" + (p.leaked ? ", " + std::to_string(*p.leaked) + " leaked" : "") +
           PoolExtras(p) + "\n";
  }
  if (snap.pools.empty()) out += "no IPAM state on this node\n";
}

// The HNS endpoint counts and load balancers, when HNS is known.
void AppendInspectHns(std::string& out, const NodeSnapshot& snap) {
  if (!snap.hns_known) return;
  const auto [local, remote] = LocalAndRemoteEndpoints(snap);
  out +=
      "HNS endpoints: " + std::to_string(local) + " local, " + std::to_string(remote) + " remote";
  if (snap.load_balancers) out += "; load balancers: " + std::to_string(*snap.load_balancers);
  out += "\n";
}

// The table with each column padded to its widest cell plus two spaces; no
// trailing spaces.
void AppendAlignedTable(std::string& out, const TextTable& table) {
  std::vector<size_t> width(table[0].size(), 0);
  for (const auto& row : table) {
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  for (const auto& row : table) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line.append(width[i] - row[i].size() + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
}

void AppendInspectProblems(std::string& out, const std::vector<Problem>& problems) {
  out += "\nproblems: " + std::string(problems.empty() ? "none\n" : "\n");
  for (const auto& p : problems) out += "  " + p.kind + ": " + p.subject + ": " + p.detail + "\n";
}

void AppendInspectSources(std::string& out, const std::vector<SourceView>& sources, double now) {
  out += "\nsources:\n";
  for (const auto& s : sources) {
    out += "  " + s.name + ": " + SourceStatus(s);
    if (!s.available) {
      out += " (" + s.unavailable_reason + ")";
    } else if (!s.ok && !s.error.empty()) {
      out += ": " + s.error;
    } else {
      out += ", last success " + Age(s.last_success_unix, now);
    }
    out += "\n";
  }
}

}  // namespace

std::string RenderInspect(const NodeSnapshot& snap, const std::vector<SourceView>& sources,
                          double now) {
  const TextTable table = InspectPodTable(snap);
  std::string out;
  AppendInspectPools(out, snap);
  AppendInspectHns(out, snap);
  out += "\n";
  AppendAlignedTable(out, table);
  AppendInspectProblems(out, BuildProblems(snap, sources));
  AppendInspectSources(out, sources, now);
  return out;
}

}  // namespace winnet
