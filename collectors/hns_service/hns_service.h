// The HNS service's health (docs/hns.md, "HNS service health"): the state
// and process id the Service Control Manager reports for the `hns` service,
// and that process's start time, thread count and working set. Windows reads
// them live; a capture keeps them in hns/service.json
// (docs/capture-format.md). Pure: parsing, writing, restart counting.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "collectors/common/result.h"

namespace winnet {

struct HnsServiceStatus {
  std::string name;         // the service name asked for ("hns")
  std::string state;        // SCM state in lower snake case: "running", "stopped", …
  uint32_t process_id = 0;  // 0 while no process runs the service
  // Of the service's process; absent without one (or when it could not be read).
  std::optional<double> start_time_unix;  // creation time, Unix seconds
  std::optional<uint64_t> threads;
  std::optional<uint64_t> working_set_bytes;
  // Why the process figures are missing while a process runs ("" if not).
  // Live only: not written to a capture.
  std::string process_error;

  bool Running() const { return state == "running"; }
  bool operator==(const HnsServiceStatus&) const = default;
};

// More threads than this in the HNS process is the sign of a deadlocked HNS
// that AKS's own network health check looks for (docs/hns.md).
inline constexpr uint64_t kHnsThreadsDeadlockSign = 200;

// The SCM's SERVICE_* state value as a name: "stopped", "start_pending",
// "stop_pending", "running", "continue_pending", "pause_pending", "paused";
// "" for any other value.
std::string_view HnsServiceStateName(uint32_t scm_state);
bool IsHnsServiceStateName(std::string_view name);

// Parses hns/service.json; errors name `file` and the JSON path.
Result<HnsServiceStatus> ParseHnsServiceJson(std::string_view text, std::string_view file);
// Writes the same format (used by `capture`); what it writes reads back equal.
std::string HnsServiceToJson(const HnsServiceStatus& status);

// Counts restarts of the service: a process id seen that differs from the
// last one seen. The first process seen is not a restart, and a stop alone
// (process id 0) is not one either: the next process is. Survives nothing
// but its owner, so the count starts at 0 with the exporter.
class HnsRestartTracker {
 public:
  // Takes one poll's process id; returns the restarts counted so far.
  uint64_t Observe(uint32_t process_id);
  uint64_t restarts() const { return restarts_; }

 private:
  uint32_t last_process_id_ = 0;  // 0: none seen yet
  uint64_t restarts_ = 0;
};

// One poll of the source: the status and the restarts counted so far.
struct HnsServiceData {
  HnsServiceStatus status;
  uint64_t restarts = 0;
  bool operator==(const HnsServiceData&) const = default;
};

}  // namespace winnet
