// Network adapter counters: the fields of MIB_IF_ROW2 we use. Windows fills
// them from GetIfTable2Ex, Linux from the kernel, a replay from adapters.json.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/common/result.h"

namespace winnet {

struct AdapterRow {
  std::string alias;        // "vEthernet (a756b816-eth0)"
  std::string description;  // "Hyper-V Virtual Ethernet Adapter #3"
  uint32_t interface_index = 0;
  std::string mac;                  // "00:15:5d:…" or ""
  int64_t oper_status = 0;          // IF_OPER_STATUS: 1 = up
  uint64_t receive_link_speed = 0;  // bits/s
  uint64_t transmit_link_speed = 0;
  uint64_t in_octets = 0;
  uint64_t out_octets = 0;
  uint64_t in_ucast_pkts = 0;
  uint64_t in_nucast_pkts = 0;
  uint64_t out_ucast_pkts = 0;
  uint64_t out_nucast_pkts = 0;
  uint64_t in_discards = 0;
  uint64_t in_errors = 0;
  uint64_t out_discards = 0;
  uint64_t out_errors = 0;

  bool Up() const { return oper_status == 1; }
  bool operator==(const AdapterRow&) const = default;
};

// True when the rows are of the same interface, as named and seen (alias,
// description, index, MAC, status, speeds), whatever their counters.
bool SameButCounters(const AdapterRow& a, const AdapterRow& b);

// Parses adapters.json: a JSON array of rows named as MIB_IF_ROW2 fields.
Result<std::vector<AdapterRow>> ParseAdaptersJson(std::string_view text, std::string_view file);

// Aliases are the `adapter` label, and two interfaces may share one (hidden
// ones, on Windows). Every row whose alias another row also has gets
// " [ifindex N]" from its own interface index, so the name of each
// interface's series does not depend on the order of the table. Live rows
// and a capture's raw rows go through this alike.
void DisambiguateAliases(std::vector<AdapterRow>& rows);

// Writes rows in the same format (used by `capture`).
std::string AdaptersToJson(const std::vector<AdapterRow>& rows);

}  // namespace winnet
