// The answer of CNS's POST /debug/ipaddresses: every IP of the node's
// network containers with its state (docs/state-files.md, "CNS API").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/common/result.h"

namespace winnet {

// One entry of IPConfigurationStatus.
struct CnsIpConfig {
  std::string id;     // "ID": the IP config's id
  std::string ip;     // "IPAddress", canonical text (IPv6 lower case, compressed)
  std::string state;  // "Available", "Assigned", "PendingRelease", "PendingProgramming"
  std::string nc_id;  // "NCID"
  std::optional<double> last_transition_unix;  // "LastStateTransition"; none for Go's zero time
  // "PodInfo" (null when no pod holds the IP): all empty then.
  std::string pod_name;
  std::string pod_namespace;
  std::string pod_infra_container_id;
  std::string pod_interface_id;
};

struct CnsIpAddresses {
  // False when the source has no answer (turned off with --cns.url=none).
  bool present = false;
  std::vector<CnsIpConfig> ips;  // in the order of the answer
};

// Parses the body of a /debug/ipaddresses answer. A non-zero
// Response.ReturnCode is an error naming the code and message; `where` names
// the URL or capture file in errors.
Result<CnsIpAddresses> ParseCnsIpAddresses(std::string_view body, std::string_view where);

}  // namespace winnet
