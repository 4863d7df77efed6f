#include "exporter/stale_remote.h"

#include <algorithm>

namespace winnet {

SharedVector<std::string> StaleRemoteEndpoints::Observe(
    const std::vector<std::string>& unreferenced) {
  ++cycle_;
  // The steady state: thousands of remote endpoints, the same list each cycle.
  if (cycle_ > 1 && unreferenced == last_list_) return StaleNow();
  std::unordered_map<std::string, uint64_t> now;
  std::vector<std::string> stale;
  next_change_ = UINT64_MAX;
  for (const auto& id : unreferenced) {
    auto it = since_.find(id);
    const uint64_t since = it == since_.end() ? cycle_ : it->second;
    if (!now.emplace(id, since).second) continue;  // listed twice
    const uint64_t turns_stale = since + grace_cycles_ - 1;
    if (turns_stale <= cycle_) {
      stale.push_back(id);
    } else {
      next_change_ = std::min(next_change_, turns_stale);
    }
  }
  since_ = std::move(now);
  std::sort(stale.begin(), stale.end());
  last_list_ = unreferenced;
  Keep(std::move(stale));
  return last_stale_;
}

void StaleRemoteEndpoints::Keep(std::vector<std::string> stale) {
  if (stale == last_stale_.get()) return;
  ++changes_;
  last_stale_ = std::move(stale);
}

const SharedVector<std::string>& StaleRemoteEndpoints::ObserveSameList() {
  if (cycle_ == 0) {
    Observe({});
    return last_stale_;
  }
  ++cycle_;
  return StaleNow();
}

const SharedVector<std::string>& StaleRemoteEndpoints::StaleNow() {
  if (cycle_ < next_change_) return last_stale_;
  std::vector<std::string> stale;
  next_change_ = UINT64_MAX;
  for (const auto& [id, since] : since_) {
    const uint64_t turns_stale = since + grace_cycles_ - 1;
    if (turns_stale <= cycle_) {
      stale.push_back(id);
    } else {
      next_change_ = std::min(next_change_, turns_stale);
    }
  }
  std::sort(stale.begin(), stale.end());
  Keep(std::move(stale));
  return last_stale_;
}

}  // namespace winnet
