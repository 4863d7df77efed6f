// Parser for HCN v2 (computenetwork.dll) endpoint properties: the result of
// HcnQueryEndpointProperties, a HostComputeEndpoint object without an envelope
// (docs/hns.md, "HCN v2"). The exporter asks v2 only for what v1 lacks: the HCN
// namespace of a local endpoint (HostComputeNamespace), which containerd
// writes into the pod sandbox's spec.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/common/result.h"

namespace winnet {

struct HcnEndpoint {
  std::string id;  // normalised GUID
  std::string name;
  std::string network_id;        // HostComputeNetwork, normalised; "" for the zero GUID
  std::string namespace_id;      // HostComputeNamespace, normalised; "" when absent or zero
  uint64_t flags = 0;            // bit 0: remote endpoint
  std::vector<std::string> ips;  // IpConfigurations[].IpAddress
  std::string mac;               // "00:15:5d:…" or ""

  bool remote() const { return (flags & 1) != 0; }
};

Result<HcnEndpoint> ParseHcnEndpoint(std::string_view text, std::string_view file);

// The HostComputeQuery the exporter sends with every v2 call: schema 2.0, no
// filter.
inline constexpr std::string_view kHcnQuery = R"({"SchemaVersion":{"Major":2,"Minor":0}})";

}  // namespace winnet
