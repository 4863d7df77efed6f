// The CNS state source: azure-cns.json (docs/state-files.md).
#pragma once

#include "collectors/cns/cns_state.h"
#include "collectors/common/file_io.h"
#include "collectors/common/source.h"

namespace winnet {

inline constexpr SourceKey<FileSource, CnsState> kCnsStateSource{"cns_state"};
const SourceType& CnsStateRegistration();

}  // namespace winnet
