#include "exporter/stale_remote.h"

#include <algorithm>

namespace winnet {

std::vector<std::string> StaleRemoteEndpoints::Observe(
    const std::vector<std::string>& unreferenced) {
  std::unordered_map<std::string, uint64_t> now;
  std::vector<std::string> stale;
  for (const auto& id : unreferenced) {
    auto it = cycles_.find(id);
    const uint64_t seen = (it == cycles_.end() ? 0 : it->second) + 1;
    if (!now.emplace(id, seen).second) continue;  // listed twice
    if (seen >= grace_cycles_) stale.push_back(id);
  }
  cycles_ = std::move(now);
  std::sort(stale.begin(), stale.end());
  return stale;
}

}  // namespace winnet
