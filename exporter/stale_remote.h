// Remote endpoints that no load balancer references are normal for a moment:
// kube-proxy creates a service's remote endpoints before its load balancer
// and deletes them after it. One that stays unreferenced for a grace period
// lingers after its pod moved (docs/metrics.md, "HNS consistency"). This
// keeps, across poll cycles, how long each has been unreferenced. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "exporter/shared_elements.h"

namespace winnet {

class StaleRemoteEndpoints {
 public:
  // An endpoint counts once it has been seen unreferenced in `grace_cycles`
  // consecutive cycles (at least 1: 1 counts it at first sight).
  explicit StaleRemoteEndpoints(uint64_t grace_cycles)
      : grace_cycles_(grace_cycles < 1 ? 1 : grace_cycles) {}

  // One poll cycle: `unreferenced` are the remote endpoints no load balancer
  // references now. Returns those that stayed so for the grace period,
  // sorted; forgets the others.
  // A sorted list is kept shared with the caller's, not copied; the list
  // returned is shared with the last one while it did not change, and with
  // `unreferenced` itself when every endpoint of it is stale.
  SharedVector<std::string> Observe(const SharedVector<std::string>& unreferenced);
  // The same as Observe with the list of the last call (a cycle without new
  // data): no work unless some endpoint turns stale now.
  const SharedVector<std::string>& ObserveSameList();
  // How many times the stale list returned changed: a caller that kept the
  // count of the last list it used need not compare the lists.
  uint64_t changes() const { return changes_; }

 private:
  // The stale endpoints of ids_ at cycle_.
  const SharedVector<std::string>& StaleNow();
  // Keeps `stale` as the last stale list, counting a change.
  void Keep(SharedVector<std::string> stale);

  uint64_t grace_cycles_;
  uint64_t cycle_ = 0;             // calls so far
  SharedVector<std::string> ids_;  // the last list observed, sorted
  std::vector<uint64_t> since_;    // per place of ids_: first cycle of its unreferenced run
  SharedVector<std::string> last_stale_;
  uint64_t next_change_ = UINT64_MAX;  // first cycle another id of ids_ turns stale
  uint64_t changes_ = 0;
};

}  // namespace winnet
