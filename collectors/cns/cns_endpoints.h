// Parser for CNS's endpoint state azure-endpoints.json (docs/state-files.md,
// "azure-endpoints.json"): written when CNS manages endpoint state (the
// stateless CNI), it names the pod and the HNS endpoint of each interface.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "collectors/common/result.h"

namespace winnet {

// One entry of IfnameToIPMap.
struct CnsEndpointInterface {
  std::string if_name;           // the map key
  std::vector<std::string> ips;  // IPv4 then IPv6, canonical text
  std::string hns_endpoint_id;   // normalised GUID; "" when none
  std::string hns_network_id;    // normalised GUID; "" when none
  std::string host_veth_name;    // Linux
  std::string mac;               // "00:15:5d:…" when it parses, else as written
  std::string network_container_id;
  std::string nic_type;
};

struct CnsEndpointRecord {
  std::string container_id;  // the Endpoints key: the pod's infra container id
  std::string pod_name;
  std::string pod_namespace;
  std::vector<CnsEndpointInterface> interfaces;  // sorted by if_name

  bool HasPod() const { return !pod_name.empty() && !pod_namespace.empty(); }
};

struct CnsEndpoints {
  // False when the file is absent or empty.
  bool present = false;
  std::vector<CnsEndpointRecord> endpoints;  // sorted by container id
};

// Parses azure-endpoints.json. `file` names it in errors.
Result<CnsEndpoints> ParseCnsEndpoints(std::string_view text, std::string_view file);

}  // namespace winnet
