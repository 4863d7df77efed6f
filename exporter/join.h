// Join (endpoint → pod, adapter → endpoint) and reconcile (leaked IPs,
// orphaned endpoints, duplicate IPs). Pure.
#pragma once

#include <vector>

#include "collectors/common/source.h"
#include "exporter/snapshot.h"

namespace winnet {

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

// Fills the per-second rates of `cur` from the counters of `prev` (both with
// generated_unix set).
void ComputeRates(const NodeSnapshot& prev, NodeSnapshot* cur);

}  // namespace winnet
