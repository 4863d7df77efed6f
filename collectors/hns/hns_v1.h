// Parsers for HNS v1 (vmcompute.dll!HNSCall) responses. Every response is an
// envelope {"Success": bool, "Error": string, "Output": ...}; a parser accepts
// only Success == true with an Output of the expected JSON type, and a missing
// counter is an error, never a silent zero (windows_exporter #2378).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/common/result.h"

namespace winnet {

// HNS endpoint State (hcsshim EndpointState).
std::string HnsEndpointStateName(int64_t state);

struct HnsEndpoint {
  std::string id;  // GUID, normalised lower case
  // ID exactly as HNS wrote it (for /endpointstats/<ID>); "" for a remote
  // endpoint, which has no stats: 5,000 remote endpoints held 0.24 MB of them.
  std::string raw_id;
  std::string name;          // Azure CNI: "<sandbox id[:8]>-eth0"
  std::string network_id;    // VirtualNetwork, normalised; "" for the zero GUID
  std::string network_name;  // VirtualNetworkName
  std::string type;          // lower case
  std::string ip;
  std::string ipv6;
  int64_t prefix_length = 0;
  std::string mac;      // "00:15:5d:…" or ""
  bool remote = false;  // IsRemoteEndpoint; absent means local
  int64_t state = 0;
  std::string namespace_id;  // Namespace.ID, normalised; "" for the zero GUID
  std::vector<std::string> shared_containers;
};

struct HnsNetwork {
  std::string id;  // normalised
  std::string name;
  std::string type;                  // lower case ("l2bridge", "overlay"); absent means "nat"
  std::vector<std::string> subnets;  // Subnets[].AddressPrefix
};

struct HnsPolicyList {
  std::string id;
  bool load_balancer = false;           // has an ELB policy
  std::vector<std::string> references;  // "/endpoints/<GUID>", normalised like the ids
  // Of the first ELB policy: VIPs (as written), Protocol (IANA number: 6 TCP,
  // 17 UDP; 0 when absent), InternalPort and ExternalPort (0 when absent).
  std::vector<std::string> vips;
  int64_t protocol = 0;
  int64_t internal_port = 0;
  int64_t external_port = 0;
};

struct HnsEndpointStats {
  std::string endpoint_id;  // normalised; "" when absent or the zero GUID
  uint64_t bytes_received = 0;
  uint64_t bytes_sent = 0;
  uint64_t packets_received = 0;
  uint64_t packets_sent = 0;
  uint64_t dropped_packets_incoming = 0;
  uint64_t dropped_packets_outgoing = 0;
  bool operator==(const HnsEndpointStats&) const = default;
};

// GET /endpoints/
Result<std::vector<HnsEndpoint>> ParseHnsEndpoints(std::string_view text, std::string_view file);
// GET /networks/
Result<std::vector<HnsNetwork>> ParseHnsNetworks(std::string_view text, std::string_view file);
// GET /policylists/
Result<std::vector<HnsPolicyList>> ParseHnsPolicyLists(std::string_view text,
                                                       std::string_view file);
// GET /endpointstats/<id>
Result<HnsEndpointStats> ParseHnsEndpointStats(std::string_view text, std::string_view file);

}  // namespace winnet
