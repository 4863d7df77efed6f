#include "collectors/common/call_durations.h"

namespace winnet {

CallDurationStats& CallDurations::Of(const std::string& call) {
  auto [it, added] = by_call_.try_emplace(call);
  if (added) it->second.call = call;
  return it->second;
}

void CallDurations::Observe(const std::string& call, double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  CallDurationStats& s = Of(call);
  ++s.count;
  s.sum += seconds;
  for (size_t i = 0; i < kCallDurationBuckets.size(); ++i) {
    if (seconds <= kCallDurationBuckets[i]) {
      ++s.in_bucket[i];
      break;
    }
  }
}

void CallDurations::DeclareDeadline(const std::string& call) {
  std::lock_guard<std::mutex> lock(mu_);
  Of(call).has_deadline = true;
}

void CallDurations::CountTimeout(const std::string& call) {
  std::lock_guard<std::mutex> lock(mu_);
  CallDurationStats& s = Of(call);
  s.has_deadline = true;
  ++s.timeouts;
}

void CallDurations::SetHung(const std::string& call, uint64_t hung) {
  std::lock_guard<std::mutex> lock(mu_);
  Of(call).hung = hung;
}

std::vector<CallDurationStats> CallDurations::Snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<CallDurationStats> out;
  out.reserve(by_call_.size());
  for (const auto& [name, stats] : by_call_) out.push_back(stats);
  return out;
}

}  // namespace winnet
