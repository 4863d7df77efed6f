// HNS against itself: load balancers against the endpoints they reference,
// the load balancers of the cluster DNS servers, and IPs held by several
// endpoints (docs/metrics.md, "HNS consistency"). Pure.
#pragma once

#include <string>
#include <vector>

#include "collectors/hns/hns_data.h"
#include "exporter/snapshot.h"

namespace winnet {

// The Azure platform DNS (168.63.129.16): a node's DNS server, never a
// cluster service, so it has no load balancer.
inline constexpr const char* kAzurePlatformDns = "168.63.129.16";

// Everything of HnsConsistency but stale_remote_endpoints, which needs the
// cycles before (exporter/stale_remote.h). `cluster_dns_servers` may hold
// duplicates, any spelling and the Azure platform DNS, which is skipped.
HnsConsistency CheckHnsConsistency(const HnsData& hns,
                                   const std::vector<std::string>& cluster_dns_servers);

}  // namespace winnet
