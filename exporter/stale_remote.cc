#include "exporter/stale_remote.h"

#include <algorithm>

namespace winnet {

namespace {

SharedVector<std::string> Sorted(const SharedVector<std::string>& ids) {
  if (std::is_sorted(ids.begin(), ids.end())) return ids;
  std::vector<std::string> sorted = ids.get();
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

// For each place of `now` (sorted), the cycle its unreferenced run began: that
// of the same id in `before` (sorted, with `since`), else `cycle`.
std::vector<uint64_t> RunsSince(const std::vector<std::string>& before,
                                const std::vector<uint64_t>& since,
                                const std::vector<std::string>& now, uint64_t cycle) {
  std::vector<uint64_t> out;
  out.reserve(now.size());
  size_t j = 0;
  for (const auto& id : now) {
    while (j < before.size() && before[j] < id) ++j;
    out.push_back(j < before.size() && before[j] == id ? since[j] : cycle);
  }
  return out;
}

}  // namespace

SharedVector<std::string> StaleRemoteEndpoints::Observe(
    const SharedVector<std::string>& unreferenced) {
  ++cycle_;
  SharedVector<std::string> sorted = Sorted(unreferenced);
  // The steady state: thousands of remote endpoints, the same list each cycle.
  if (cycle_ > 1 && sorted.SharesWith(ids_)) return StaleNow();
  if (cycle_ > 1 && sorted == ids_) {
    // The same ids in another copy: that one is kept, the older let go.
    const bool stale_is_the_list = last_stale_.SharesWith(ids_);
    ids_ = std::move(sorted);
    if (stale_is_the_list) last_stale_ = ids_;  // the same stale ids: not a change
    return StaleNow();
  }
  since_ = RunsSince(ids_, since_, sorted, cycle_);
  ids_ = std::move(sorted);
  next_change_ = 0;  // look at every id again
  return StaleNow();
}

void StaleRemoteEndpoints::Keep(SharedVector<std::string> stale) {
  if (stale.SharesWith(last_stale_) || stale == last_stale_) return;
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
  const std::vector<std::string>& ids = ids_.get();
  std::vector<std::string> stale;
  bool all = true;  // every place of ids_ is stale and none repeats an id
  next_change_ = UINT64_MAX;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i > 0 && ids[i] == ids[i - 1]) {  // listed twice
      all = false;
      continue;
    }
    const uint64_t turns_stale = since_[i] + grace_cycles_ - 1;
    if (turns_stale <= cycle_) {
      stale.push_back(ids[i]);
    } else {
      all = false;
      next_change_ = std::min(next_change_, turns_stale);
    }
  }
  Keep(all ? ids_ : SharedVector<std::string>(std::move(stale)));
  return last_stale_;
}

}  // namespace winnet
