// NodeSnapshot: everything the exporter knows about one node after a poll
// cycle, joined and reconciled. Plain data; built by BuildSnapshot (join.h).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "collectors/adapters/adapters.h"
#include "collectors/cni/cni_state.h"
#include "collectors/cni_conflist/conflist.h"
#include "collectors/cns/cns_endpoints.h"
#include "collectors/cns/cns_ipaddresses.h"
#include "collectors/cns/cns_state.h"
#include "collectors/common/call_durations.h"
#include "collectors/containerd/containerd.h"
#include "collectors/hns/hns_data.h"
#include "collectors/hns_service/hns_service.h"
#include "collectors/ipam/ipam_state.h"
#include "exporter/shared_elements.h"

namespace winnet {

struct PodRef {
  std::string ns;    // Kubernetes namespace
  std::string name;  // pod name
  bool known() const { return !name.empty(); }
};

struct PoolView {
  std::string address_space;  // azure-vnet-ipam.json's; the NC ids (comma-joined) in CNS modes
  std::string subnet;         // pool CIDR, canonical in CNS modes
  // Where the figures come from: "ipam_state" (azure-vnet-ipam.json), "cns_api"
  // (CNS's per-IP states) or "cns_state" (azure-cns.json alone, no per-IP state).
  std::string origin = "ipam_state";
  uint64_t capacity = 0;
  uint64_t allocated = 0;
  uint64_t available = 0;
  std::optional<uint64_t> leaked;  // nullopt: no CNI or HNS data to compare with
  std::vector<std::string> leaked_ips;
  std::vector<std::string> leaked_ids;  // the IPAM record's ID (sandbox), same order
  // CNS API states; nullopt without them.
  std::optional<uint64_t> pending_release;
  std::optional<uint64_t> pending_programming;
  // Addresses IPAM says are free that a local HNS endpoint or an endpoint
  // record holds; nullopt when IPAM's free addresses or the holders are unknown.
  std::optional<uint64_t> unaccounted;
  std::vector<std::string> unaccounted_ips;
};

// An optional value held out of line: a pointer's size while empty, for what
// only a few elements of a long list have (the counters of the local endpoints
// among thousands of remote ones). Reads and writes like std::optional; a copy
// copies the value.
template <typename T>
class OutOfLine {
 public:
  OutOfLine() = default;
  OutOfLine(const OutOfLine& other) : value_(CopyOf(other)) {}
  OutOfLine(OutOfLine&&) noexcept = default;
  OutOfLine& operator=(const OutOfLine& other) {
    if (this != &other) value_ = CopyOf(other);
    return *this;
  }
  OutOfLine& operator=(OutOfLine&&) noexcept = default;
  OutOfLine& operator=(const T& value) {
    if (value_) {
      *value_ = value;
    } else {
      value_ = std::make_unique<T>(value);
    }
    return *this;
  }

  bool has_value() const { return value_ != nullptr; }
  explicit operator bool() const { return has_value(); }
  const T& operator*() const { return *value_; }
  T& operator*() { return *value_; }
  const T* operator->() const { return value_.get(); }
  T* operator->() { return value_.get(); }
  void reset() { value_.reset(); }

 private:
  static std::unique_ptr<T> CopyOf(const OutOfLine& other) {
    return other.value_ ? std::make_unique<T>(*other.value_) : nullptr;
  }
  std::unique_ptr<T> value_;
};

struct EndpointView {
  std::string id;  // normalised GUID
  std::string name;
  std::string network;           // network name
  std::string ip;                // the first address: IPv4, else IPv6
  std::vector<std::string> ips;  // every address, canonical text, IPv4 first
  std::string mac;
  std::string state;  // lower_snake state name
  bool local = false;
  PodRef pod;
  std::string cni_endpoint_id;  // "" when no endpoint record matched
  // "hns_id", "name", "ip" (azure-vnet.json), "cns_hns_id", "cns_ip"
  // (azure-endpoints.json) or "".
  std::string matched_by;
  // Where the pod came from: "network_state" (azure-vnet.json),
  // "cns_endpoints" (azure-endpoints.json), "cns_api" (CNS PodInfo), or containerd
  // specs by "containerd_sandbox" (the CNI endpoint's sandbox id),
  // "containerd_namespace" (the HCN namespace GUID) or "containerd_container"
  // (HNS SharedContainers); "" when the pod is unknown.
  std::string pod_source;
  bool orphaned = false;  // local, CNI state present, no CNI endpoint
  bool duplicate_ip = false;
  OutOfLine<HnsEndpointStats> stats;  // local endpoints only
  // Bytes per second since the previous poll with new counters.
  std::optional<double> receive_rate;
  std::optional<double> transmit_rate;
};

struct NetworkView {
  std::string id;
  std::string name;
  std::string type;    // lower case, e.g. "l2bridge", "nat"
  std::string subnet;  // comma-joined prefixes
};

struct AdapterView {
  AdapterRow row;
  std::string endpoint_id;
  PodRef pod;
  std::optional<double> receive_rate;  // bytes/s since the previous poll
  std::optional<double> transmit_rate;
};

struct SourceView {
  std::string name;  // "ipam_state", "network_state", "hns", "adapters", "containerd"
  bool available = true;
  std::string unavailable_reason;
  bool attempted = false;  // at least one cycle ran
  bool ok = false;         // last attempt succeeded
  bool has_data = false;   // some good data is known (possibly stale)
  bool stale = false;      // serving data older than the last attempt
  bool in_flight = false;  // a call is still running past its timeout
  double duration_seconds = 0;
  double last_success_unix = 0;
  std::string error;  // of the last failed attempt
  std::string where;
  std::vector<std::string> item_errors;
  // Not used in the node's network mode and without data: not a failure, no
  // winnet_exporter_source_* series (docs/state-files.md, "Modes").
  bool unused_in_mode = false;
  // How long its calls took, per kind, since start (HNS; docs/hns.md).
  std::vector<CallDurationStats> call_durations;
};

// A policy list's reference to an endpoint HNS does not list.
struct DanglingReference {
  std::string load_balancer_id;  // policy list id, normalised
  std::string endpoint_id;       // the referenced id, normalised
};

// The load balancers of one cluster DNS server's VIP on port 53 for one protocol.
struct DnsLoadBalancers {
  std::string vip;       // canonical form
  std::string protocol;  // "tcp" or "udp"
  std::vector<std::string> load_balancer_ids;
};

// One IP held by more than one HNS endpoint.
struct IpConflict {
  std::string ip;    // canonical form
  std::string kind;  // "local_remote", "remote_remote" or "local_local"
  std::vector<std::string> endpoint_ids;
};

// Load balancers against endpoints (docs/metrics.md, "HNS consistency"). The
// load balancer checks need the policy lists: without them
// load_balancers_known is false and their lists stay empty.
struct HnsConsistency {
  bool load_balancers_known = false;
  std::vector<DanglingReference> missing_endpoint_refs;
  std::vector<std::string> load_balancers_without_endpoints;  // policy list ids
  // Remote endpoints no load balancer references in this snapshot, and those
  // that stayed so for the grace period (StaleRemoteEndpoints, filled by the
  // poller).
  SharedVector<std::string> unreferenced_remote_endpoints;
  SharedVector<std::string> stale_remote_endpoints;
  std::vector<DnsLoadBalancers> dns_load_balancers;  // empty without cluster DNS servers
  std::vector<IpConflict> ip_conflicts;              // by IP
};

struct BuildInfo {
  std::string version;
  std::string revision;
  std::string platform;
};

struct NodeSnapshot {
  BuildInfo build;
  double generated_unix = 0;

  // From 10-azure.conflist (docs/state-files.md, "Modes").
  bool conflist_present = false;
  std::string cni_plugin;     // "azure-vnet"
  std::string cni_ipam;       // "azure-vnet-ipam", "azure-cns"
  std::string cni_ipam_mode;  // "overlay" or ""
  // "node_subnet", "overlay", "dynamic_pod_subnet", "stateless", or "" when unknown.
  std::string network_mode;
  // The sources this mode does not use and that have no data, by name.
  std::vector<std::string> unused_sources;

  bool cns_present = false;      // azure-cns.json read
  bool cns_api_present = false;  // CNS's per-IP states read

  bool ipam_present = false;
  std::string ipam_version;
  std::optional<double> ipam_timestamp;
  SharedVector<PoolView> pools;

  bool cni_present = false;
  std::string cni_version;
  SharedVector<CniEndpoint> cni_endpoints;

  bool hns_known = false;
  // The local endpoints when the join made them (tests may add remote ones);
  // shared between a snapshot and its copies (shared_elements.h).
  SharedElements<EndpointView> endpoints;
  // The remote endpoints, held compactly and shared with the HNS inventory
  // they came from (collectors/hns/hns_remote.h); null without HNS data. Their
  // views are made only to be shown (ForEachEndpointView).
  std::shared_ptr<const HnsRemoteEndpoints> remote_endpoints;
  // By remote network index: the network name shown for its endpoints.
  std::vector<std::string> remote_network_names;
  // The remote endpoints with an IP another endpoint also has, ascending.
  std::vector<uint32_t> remote_duplicate_ip;
  // The remote endpoints counted by network (as shown) and state name.
  std::map<std::pair<std::string, std::string>, uint64_t> remote_endpoint_counts;
  // The places in `endpoints` of the local ones, in order, when the join made
  // them (a copy that only changes counters keeps every place); nullopt for
  // a snapshot put together otherwise (tests). Only local endpoints have
  // stats: the counter loops visit these 250, not all 5,250.
  std::optional<std::vector<uint32_t>> local_endpoint_places;
  std::vector<NetworkView> networks;
  std::optional<uint64_t> load_balancers;
  uint64_t duplicate_ip_endpoints = 0;
  std::optional<uint64_t> orphaned_endpoints;
  uint64_t unmapped_endpoints = 0;  // local endpoints without a pod
  HnsConsistency hns_checks;

  // The HNS service and its process (Windows, replays); absent without the
  // hns_service source.
  std::optional<HnsServiceData> hns_service;

  bool adapters_known = false;
  std::vector<AdapterView> adapters;

  std::vector<SourceView> sources;
};

// Calls visit(i) for each local endpoint's place i in snap.endpoints, in
// order: from local_endpoint_places when the join made them, else by a look
// at every endpoint.
template <typename Visit>
void ForEachLocalEndpoint(const NodeSnapshot& snap, Visit visit) {
  if (snap.local_endpoint_places) {
    for (uint32_t i : *snap.local_endpoint_places) visit(size_t{i});
    return;
  }
  for (size_t i = 0; i < snap.endpoints.size(); ++i) {
    if (snap.endpoints[i].local) visit(i);
  }
}

// The view of remote endpoint `i` of snap.remote_endpoints, made on the fly.
EndpointView RemoteEndpointView(const NodeSnapshot& snap, size_t i);

// Calls visit(const EndpointView&) for every HNS endpoint of `snap`: the
// views in snap.endpoints, then the remote endpoints' views one by one.
template <typename Visit>
void ForEachEndpointView(const NodeSnapshot& snap, Visit visit) {
  for (const auto& e : snap.endpoints) visit(e);
  if (!snap.remote_endpoints) return;
  for (size_t i = 0; i < snap.remote_endpoints->size(); ++i) visit(RemoteEndpointView(snap, i));
}

}  // namespace winnet
