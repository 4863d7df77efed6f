// Parser for Azure CNI's azure-vnet-ipam.json (see docs/state-files.md, "azure-vnet-ipam.json").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/common/result.h"

namespace winnet {

// An allocated address (InUse true). Free addresses are only counted: a /16
// pool has 65,536 records and the exporter needs only the allocated ones.
struct IpamAddress {
  std::string ip;  // the record key (== Addr)
  std::string id;  // full sandbox id; "" before CNI v1.1.8
};

struct IpamPool {
  std::string address_space;  // "local" on AKS
  std::string cidr;           // pool key, e.g. "10.240.0.0/16"
  std::string if_name;
  std::string subnet_ip;
  std::optional<int> prefix_length;  // from the base64 Subnet.Mask
  std::string gateway;
  bool is_ipv6 = false;
  int64_t priority = 0;
  int64_t ref_count = 0;
  size_t capacity = 0;              // address records, free or not
  std::vector<IpamAddress> in_use;  // the allocated ones, sorted by key as in the file

  size_t Capacity() const { return capacity; }
  size_t Allocated() const { return in_use.size(); }
};

struct IpamState {
  // False when the file is absent or empty: "no IPAM state on this node".
  bool present = false;
  std::string version;
  std::string timestamp_text;
  std::optional<double> timestamp;  // Unix seconds
  std::vector<IpamPool> pools;
};

// Parses the text of azure-vnet-ipam.json. `file` names it in errors.
Result<IpamState> ParseIpamState(std::string_view text, std::string_view file);

}  // namespace winnet
