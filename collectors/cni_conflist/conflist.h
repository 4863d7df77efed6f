// Parser for the Azure CNI network configuration list, 10-azure.conflist
// (docs/state-files.md, "10-azure.conflist"): which CNI plugin and which IPAM
// the node runs, and so its network mode.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "collectors/common/result.h"

namespace winnet {

struct CniConflist {
  // False when the file is absent or empty.
  bool present = false;
  std::string name;                      // "azure"
  std::string plugin;                    // the Azure plugin's type: "azure-vnet"
  std::string ipam;                      // its ipam.type: "azure-vnet-ipam", "azure-cns"
  std::string ipam_mode;                 // its ipam.mode: "overlay", or ""
  std::vector<std::string> nameservers;  // its dns.Nameservers
};

// Parses a conflist ({"plugins": [...]}) or a single-plugin .conf. The plugin
// read is the first that has an "ipam" object, else the first. `file` names
// the file in errors.
Result<CniConflist> ParseCniConflist(std::string_view text, std::string_view file);

}  // namespace winnet
