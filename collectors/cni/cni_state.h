// Parser for Azure CNI's azure-vnet.json (see docs/state-files.md, "azure-vnet.json").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/common/result.h"

namespace winnet {

struct CniEndpoint {
  std::string id;            // "<sandbox id[:8]>-eth0"; the HNS endpoint Name on Windows
  std::string hns_id;        // HNS endpoint GUID, normalised; "" on Linux or for the zero GUID
  std::string sandbox_key;   // full sandbox id on Windows
  std::string container_id;  // full sandbox id (Windows from CNI v1.5.0/v1.5.7)
  std::string net_ns;        // HCN namespace GUID (containerd) or netns path; "" for the zero GUID
  std::string if_name;
  std::string host_if_name;  // host veth on Linux ("azv…"), "" on Windows
  std::string pod_name;      // absent before CNI v1.5.7 on Windows
  std::string pod_namespace;
  std::string mac;  // decoded MacAddress, "00:15:5d:…", or ""
  std::string nic_type;
  std::vector<std::string> ips;
  std::vector<std::string> dns_servers;  // DNS.Servers, as written
  std::string network_id;                // "azure"
  std::string external_interface;

  bool HasPod() const { return !pod_name.empty() && !pod_namespace.empty(); }
};

struct CniNetwork {
  std::string id;
  std::string hns_id;  // normalised lower case; "" for the zero GUID
  std::string mode;    // lower case: "bridge", "transparent"
  std::string external_interface;
};

struct CniState {
  bool present = false;  // false: file absent or empty
  std::string version;
  std::string timestamp_text;
  std::optional<double> timestamp;
  std::vector<CniNetwork> networks;
  std::vector<CniEndpoint> endpoints;
};

// Every endpoint's DNS servers, each once, in the order first seen.
std::vector<std::string> DnsServersOf(const CniState& state);

Result<CniState> ParseCniState(std::string_view text, std::string_view file);

}  // namespace winnet
