// What the HNS source hands to the join each poll cycle.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "collectors/hns/hns_remote.h"
#include "collectors/hns/hns_v1.h"

namespace winnet {

// What HNS returned in one poll cycle.
struct HnsData {
  std::vector<HnsEndpoint> endpoints;  // the local ones (IsRemoteEndpoint false), in HNS's order
  // The remote ones, in HNS's order; never null. Shared with the snapshots
  // built from this inventory.
  std::shared_ptr<const HnsRemoteEndpoints> remote = std::make_shared<HnsRemoteEndpoints>();
  std::vector<HnsNetwork> networks;
  std::optional<std::vector<HnsPolicyList>> policy_lists;       // nullopt: not available
  std::vector<std::pair<std::string, HnsEndpointStats>> stats;  // by normalised endpoint id
  std::vector<std::string> item_errors;  // per-item failures that were skipped
};

// Sets the endpoints of `data` from an HNS list of them, local and remote.
void SetHnsEndpoints(std::vector<HnsEndpoint> all, HnsData* data);

// What the HNS reader returns each cycle: the inventory (endpoints,
// networks, policy lists; its stats empty) is shared between cycles while the
// HNS responses do not change; the per-endpoint stats are fresh.
struct HnsCollected {
  std::shared_ptr<const HnsData> inventory;
  std::vector<std::pair<std::string, HnsEndpointStats>> stats;
  std::vector<std::string> item_errors;
};

}  // namespace winnet
