// Synthetic node captures of any size, in the replay capture format, for the
// benchmarks: N local pods, M remote HNS endpoints, an IPAM pool of P addresses.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace winnet::bench {

struct CaptureSize {
  int pods = 250;     // N: local pods (CNI endpoints, local HNS endpoints, vEthernet adapters)
  int remote = 5000;  // M: remote HNS endpoints
  int pool = 65536;   // P: IPAM pool addresses (the first min(N, P) are allocated)
  int load_balancers = 200;
  uint32_t seed = 1;
  uint32_t counter_seed = 1;  // traffic counters only: two captures differing in counters alone
};

// Relative file path → content, exactly what a capture directory holds.
std::map<std::string, std::string> GenerateCapture(const CaptureSize& size);

// Only the traffic counter files of GenerateCapture(size) (hns/endpointstats/
// and adapters.json), the same bytes, without making the rest: a churning
// generator then costs little beside the exporter it feeds.
std::map<std::string, std::string> GenerateCounterFiles(const CaptureSize& size);

// Writes the files under `dir` (created). Returns an error text or "".
std::string WriteCapture(const std::string& dir, const CaptureSize& size);

// Rewrites only the traffic counters of a capture written by WriteCapture with
// the same size (hns/endpointstats/ and adapters.json), each file replaced
// whole (temporary file + rename), the way a reader never sees half a file.
std::string RewriteCounters(const std::string& dir, const CaptureSize& size);

}  // namespace winnet::bench
