// Parser for CNS's state file azure-cns.json (docs/state-files.md,
// "azure-cns.json"): the node's network containers (NCs) and their pools of
// secondary IPs. Per-IP state is not in this file (the CNS API has it).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/common/result.h"

namespace winnet {

struct CnsNetworkContainer {
  std::string id;         // the ContainerStatus key: the NC id
  std::string type;       // CreateNetworkContainerRequest.NetworkContainerType
  std::string subnet;     // IPConfiguration.IPSubnet, canonical CIDR; "" when unset
  std::string subnet_v6;  // IPConfiguration.IPSubnetV6 (or IPv6Configuration.IPSubnet)
  std::string gateway;
  std::string gateway_v6;
  std::vector<std::string> secondary_ips;  // canonical text, sorted
};

struct CnsState {
  // False when the file is absent or empty.
  bool present = false;
  std::string timestamp_text;
  std::optional<double> timestamp;              // Unix seconds
  std::string network_type;                     // ContainerNetworkService.NetworkType
  std::vector<CnsNetworkContainer> containers;  // sorted by id
};

// Parses azure-cns.json. `file` names it in errors.
Result<CnsState> ParseCnsState(std::string_view text, std::string_view file);

}  // namespace winnet
