// The CNS endpoint state source: azure-endpoints.json (docs/state-files.md).
#pragma once

#include "collectors/cns/cns_endpoints.h"
#include "collectors/common/file_io.h"
#include "collectors/common/source.h"

namespace winnet {

inline constexpr SourceKey<FileSource, CnsEndpoints> kCnsEndpointsSource{"cns_endpoints"};
const SourceType& CnsEndpointsRegistration();

}  // namespace winnet
