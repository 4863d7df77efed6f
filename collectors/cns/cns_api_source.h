// The CNS API source: POST /debug/ipaddresses on CNS's loopback port (docs/state-files.md, "CNS API").
#pragma once
#include "collectors/cns/cns_ipaddresses.h"
#include "collectors/common/source.h"
namespace winnet {
class CnsApiClient;
inline constexpr SourceKey<CnsApiClient, CnsIpAddresses> kCnsApiSource{"cns_api"};
const SourceType& CnsApiRegistration();
}  // namespace winnet
