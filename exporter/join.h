// Join (endpoint → pod, adapter → endpoint) and reconcile (leaked IPs,
// orphaned endpoints, duplicate IPs). Pure.
#pragma once

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "collectors/common/source.h"
#include "exporter/snapshot.h"

namespace winnet {

// The canonical IPs of each HNS endpoint of one inventory and how many
// endpoints hold each IP: all of them, and the local ones. Kept by the poller
// across cycles, so that thousands of remote endpoints' addresses are not
// parsed again while only counters move.
struct HnsIpIndex {
  const HnsData* hns = nullptr;  // the inventory it was made from
  // Canonical IPs more than one endpoint (local or remote) holds; kept instead
  // of every endpoint's IPs, which at 5,000 remote endpoints held about 0.8 MB
  // (bench/README.md, "Footprint").
  std::unordered_set<std::string> duplicated;
  std::vector<uint32_t> duplicated_remote;     // the remote endpoints holding one, ascending
  std::unordered_map<std::string, int> local;  // endpoints per IP, local endpoints only
};

// Any pointer may be null: that source has no data.
struct NodeInputs {
  const IpamState* ipam = nullptr;
  const CniState* cni = nullptr;
  const HnsData* hns = nullptr;
  const std::vector<AdapterRow>* adapters = nullptr;
  const ContainerdState* containerd = nullptr;
  const HnsServiceData* hns_service = nullptr;
  // When set, used instead of hns->stats.
  const std::vector<std::pair<std::string, HnsEndpointStats>>* hns_stats = nullptr;
  // When set, used instead of CheckHnsConsistency(*hns, cluster_dns_servers):
  // the checks of an earlier cycle with the same inventory and DNS servers.
  const HnsConsistency* hns_checks = nullptr;
  // When set, used while it was made from `hns`, else made again into it. The
  // caller keeps the inventory it was made from alive until the next call.
  HnsIpIndex* hns_ips = nullptr;
  const CniConflist* conflist = nullptr;
  const CnsState* cns_state = nullptr;
  const CnsIpAddresses* cns_ips = nullptr;
  const CnsEndpoints* cns_endpoints = nullptr;
  // The cluster DNS servers of the node's pods, for the DNS load balancer
  // check; any spelling, duplicates allowed.
  std::vector<std::string> cluster_dns_servers = {};
};

// The join's view of a poll cycle's data: each source's piece
// (exporter/node_inputs.cc).
NodeInputs NodeInputsOf(const SourceDataSet& data);

// Fills the data part of `out` (everything but build, sources, generated_unix).
void BuildSnapshot(const NodeInputs& in, NodeSnapshot* out);

// Sets the counters of `out`, a snapshot built from data that differed from
// `in` only in counters (SourceType::OnlyCountersDiffer): each local
// endpoint's stats and each adapter's row; clears the rates (ComputeRates
// fills them again). False when the adapters do not line up (then join again).
bool UpdateCounters(const NodeInputs& in, NodeSnapshot* out);

// Fills the per-second rates of `cur` from the counters of `prev` (both with
// generated_unix set).
void ComputeRates(const NodeSnapshot& prev, NodeSnapshot* cur);

}  // namespace winnet
