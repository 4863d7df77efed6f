#include "exporter/snapshot_json.h"

#include <nlohmann/json.hpp>

namespace winnet {

namespace {

using Json = nlohmann::ordered_json;

Json Pod(const PodRef& p) {
  if (!p.known()) return nullptr;
  return Json{{"namespace", p.ns}, {"name", p.name}};
}

Json Count(const std::optional<uint64_t>& v) { return v ? Json(*v) : Json(nullptr); }

Json ModeJson(const NodeSnapshot& s) {
  return {{"network_mode", s.network_mode}, {"conflist_present", s.conflist_present},
          {"plugin", s.cni_plugin},         {"ipam", s.cni_ipam},
          {"ipam_mode", s.cni_ipam_mode},   {"unused_sources", s.unused_sources}};
}

Json IpamJson(const NodeSnapshot& s) {
  Json ipam = {{"present", s.ipam_present}, {"version", s.ipam_version}};
  ipam["timestamp_unix"] = s.ipam_timestamp ? Json(*s.ipam_timestamp) : Json(nullptr);
  ipam["pools"] = Json::array();
  for (const auto& p : s.pools) {
    ipam["pools"].push_back({{"address_space", p.address_space},
                             {"subnet", p.subnet},
                             {"origin", p.origin},
                             {"capacity", p.capacity},
                             {"allocated", p.allocated},
                             {"available", p.available},
                             {"leaked", Count(p.leaked)},
                             {"leaked_ips", p.leaked_ips},
                             {"leaked_ids", p.leaked_ids},
                             {"pending_release", Count(p.pending_release)},
                             {"pending_programming", Count(p.pending_programming)},
                             {"unaccounted", Count(p.unaccounted)},
                             {"unaccounted_ips", p.unaccounted_ips}});
  }
  return ipam;
}

Json CniJson(const NodeSnapshot& s) {
  Json cni = {{"present", s.cni_present}, {"version", s.cni_version}, {"endpoints", Json::array()}};
  for (const auto& e : s.cni_endpoints) {
    cni["endpoints"].push_back(
        {{"id", e.id},
         {"hns_id", e.hns_id},
         {"pod", Pod(PodRef{e.pod_namespace, e.pod_name})},
         {"ips", e.ips},
         {"mac", e.mac},
         {"host_if_name", e.host_if_name},
         {"sandbox", e.sandbox_key.empty() ? e.container_id : e.sandbox_key}});
  }
  return cni;
}

// One HNS endpoint, with its rates and stats.
Json HnsEndpointJson(const EndpointView& e) {
  Json ej = {{"id", e.id},
             {"name", e.name},
             {"network", e.network},
             {"ip", e.ip},
             {"ips", e.ips},
             {"mac", e.mac},
             {"state", e.state},
             {"location", e.local ? "local" : "remote"},
             {"pod", Pod(e.pod)},
             {"cni_endpoint", e.cni_endpoint_id},
             {"matched_by", e.matched_by},
             {"pod_source", e.pod_source},
             {"orphaned", e.orphaned},
             {"duplicate_ip", e.duplicate_ip}};
  ej["receive_bytes_per_second"] = e.receive_rate ? Json(*e.receive_rate) : Json(nullptr);
  ej["transmit_bytes_per_second"] = e.transmit_rate ? Json(*e.transmit_rate) : Json(nullptr);
  ej["stats"] = nullptr;
  if (e.stats) {
    ej["stats"] = {{"bytes_received", e.stats->bytes_received},
                   {"bytes_sent", e.stats->bytes_sent},
                   {"packets_received", e.stats->packets_received},
                   {"packets_sent", e.stats->packets_sent},
                   {"dropped_packets_incoming", e.stats->dropped_packets_incoming},
                   {"dropped_packets_outgoing", e.stats->dropped_packets_outgoing}};
  }
  return ej;
}

// Load balancers against endpoints, and IP conflicts (HnsConsistency).
Json HnsChecksJson(const HnsConsistency& c) {
  Json checks = {{"load_balancers_known", c.load_balancers_known}};
  checks["missing_endpoint_refs"] = Json::array();
  for (const auto& r : c.missing_endpoint_refs) {
    checks["missing_endpoint_refs"].push_back(
        {{"load_balancer", r.load_balancer_id}, {"endpoint", r.endpoint_id}});
  }
  checks["load_balancers_without_endpoints"] = c.load_balancers_without_endpoints;
  checks["unreferenced_remote_endpoints"] = c.unreferenced_remote_endpoints.get();
  checks["stale_remote_endpoints"] = c.stale_remote_endpoints.get();
  checks["dns_load_balancers"] = Json::array();
  for (const auto& d : c.dns_load_balancers) {
    checks["dns_load_balancers"].push_back(
        {{"vip", d.vip}, {"protocol", d.protocol}, {"load_balancers", d.load_balancer_ids}});
  }
  checks["ip_conflicts"] = Json::array();
  for (const auto& ic : c.ip_conflicts) {
    checks["ip_conflicts"].push_back(
        {{"ip", ic.ip}, {"kind", ic.kind}, {"endpoints", ic.endpoint_ids}});
  }
  return checks;
}

Json HnsJson(const NodeSnapshot& s) {
  Json hns = {{"known", s.hns_known}};
  hns["load_balancers"] = s.load_balancers ? Json(*s.load_balancers) : Json(nullptr);
  hns["duplicate_ip_endpoints"] = s.duplicate_ip_endpoints;
  hns["orphaned_endpoints"] = s.orphaned_endpoints ? Json(*s.orphaned_endpoints) : Json(nullptr);
  hns["unmapped_endpoints"] = s.unmapped_endpoints;
  hns["checks"] = HnsChecksJson(s.hns_checks);
  hns["networks"] = Json::array();
  for (const auto& n : s.networks) {
    hns["networks"].push_back(
        {{"id", n.id}, {"name", n.name}, {"type", n.type}, {"subnet", n.subnet}});
  }
  hns["endpoints"] = Json::array();
  ForEachEndpointView(
      s, [&](const EndpointView& e) { hns["endpoints"].push_back(HnsEndpointJson(e)); });
  return hns;
}

Json HnsServiceJson(const NodeSnapshot& s) {
  if (!s.hns_service) return {{"known", false}};
  const HnsServiceStatus& st = s.hns_service->status;
  auto opt = [](const auto& v) { return v ? Json(*v) : Json(nullptr); };
  return {{"known", true},
          {"name", st.name},
          {"state", st.state},
          {"process_id", st.process_id},
          {"restarts", s.hns_service->restarts},
          {"start_time_unix", opt(st.start_time_unix)},
          {"threads", opt(st.threads)},
          {"working_set_bytes", opt(st.working_set_bytes)}};
}

Json AdaptersJson(const NodeSnapshot& s) {
  Json adapters = Json::array();
  for (const auto& a : s.adapters) {
    adapters.push_back(
        {{"alias", a.row.alias},
         {"description", a.row.description},
         {"mac", a.row.mac},
         {"up", a.row.Up()},
         {"endpoint_id", a.endpoint_id},
         {"pod", Pod(a.pod)},
         {"receive_bytes", a.row.in_octets},
         {"transmit_bytes", a.row.out_octets},
         {"receive_bytes_per_second", a.receive_rate ? Json(*a.receive_rate) : Json(nullptr)},
         {"transmit_bytes_per_second", a.transmit_rate ? Json(*a.transmit_rate) : Json(nullptr)}});
  }
  return {{"known", s.adapters_known}, {"list", adapters}};
}

Json SourcesJson(const std::vector<SourceView>& source_views) {
  Json sources = Json::array();
  for (const auto& src : source_views) {
    Json sj = {{"name", src.name},
               {"available", src.available},
               {"reason", src.unavailable_reason},
               {"unused_in_mode", src.unused_in_mode}};
    {
      sj["where"] = src.where;
      sj["ok"] = src.ok;
      sj["stale"] = src.stale;
      sj["in_flight"] = src.in_flight;
      sj["duration_seconds"] = src.duration_seconds;
      sj["last_success_unix"] = src.last_success_unix;
      sj["error"] = src.error;
      sj["item_errors"] = src.item_errors;
    }
    sources.push_back(std::move(sj));
  }
  return sources;
}

}  // namespace

std::string SnapshotToJson(const NodeSnapshot& s) { return SnapshotToJson(s, s.sources); }

std::string SnapshotToJson(const NodeSnapshot& s, const std::vector<SourceView>& source_views) {
  Json j;
  j["build"] = {
      {"version", s.build.version}, {"revision", s.build.revision}, {"platform", s.build.platform}};
  j["generated_unix"] = s.generated_unix;
  j["mode"] = ModeJson(s);
  j["ipam"] = IpamJson(s);
  j["cni"] = CniJson(s);
  j["hns"] = HnsJson(s);
  j["hns_service"] = HnsServiceJson(s);
  j["adapters"] = AdaptersJson(s);
  j["sources"] = SourcesJson(source_views);
  // Replace, never throw, on a byte that is not UTF-8 (an error text quoting a
  // path, say): this runs inside an HTTP handler.
  return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace winnet
