// How long a source's calls take, per kind of call: a histogram with fixed
// buckets and a count of calls given up on their deadline, kept for the
// life of the process (winnet_hns_call_duration_seconds,
// winnet_hns_call_timeouts_total; docs/metrics.md). Observed from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace winnet {

// Upper bounds of the buckets, in seconds: a healthy HNS answers in
// milliseconds; a stuck one in tens of seconds or never.
inline constexpr std::array<double, 14> kCallDurationBuckets{
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

struct CallDurationStats {
  std::string call;
  // Calls that took at most kCallDurationBuckets[i] (not cumulative).
  std::array<uint64_t, kCallDurationBuckets.size()> in_bucket{};
  uint64_t count = 0;  // calls that returned
  double sum = 0;      // their seconds
  uint64_t timeouts = 0;
  bool has_deadline = false;  // calls of this kind can be given up (timeouts counted)
  uint64_t hung = 0;          // calls given up that have not returned (as last seen)

  bool operator==(const CallDurationStats&) const = default;
};

class CallDurations {
 public:
  void Observe(const std::string& call, double seconds);
  // Calls of this kind have a deadline of their own: their timeouts are
  // counted (from 0) from now on.
  void DeclareDeadline(const std::string& call);
  void CountTimeout(const std::string& call);
  void SetHung(const std::string& call, uint64_t hung);
  // Every call kind seen so far, by name.
  std::vector<CallDurationStats> Snapshot() const;

 private:
  CallDurationStats& Of(const std::string& call);

  mutable std::mutex mu_;
  std::map<std::string, CallDurationStats> by_call_;
};

}  // namespace winnet
