// The pieces of the join that live outside join.cc: the network mode
// (exporter/network_mode.cc) and the CNS pools (exporter/cns_pools.cc). Pure.
#pragma once

#include <string>
#include <unordered_set>
#include <vector>

#include "exporter/join.h"

namespace winnet {

// The addresses (canonical text) that local HNS endpoints and endpoint
// records (azure-vnet.json, azure-endpoints.json) hold. `known` is false when
// none of those sources has data: then nothing can be called leaked.
struct HeldAddresses {
  std::unordered_set<std::string> ips;
  bool known = false;
  bool Holds(const std::string& canonical_ip) const { return ips.count(canonical_ip) != 0; }
};
HeldAddresses HeldByEndpoints(const NodeInputs& in);

// The node's network mode from the conflist and the files present
// (docs/state-files.md, "Modes"): "node_subnet", "overlay",
// "dynamic_pod_subnet", "stateless", or "" when the conflist is unknown.
std::string DetectNetworkMode(const NodeInputs& in);
// The sources `mode` does not use that have no data, by name.
std::vector<std::string> UnusedSources(const std::string& mode, const NodeInputs& in);

// The pools of CNS's network containers: per-IP states from the CNS API
// when present, else capacity and holders alone from azure-cns.json.
void BuildCnsPools(const NodeInputs& in, const HeldAddresses& held, NodeSnapshot* out);

}  // namespace winnet
