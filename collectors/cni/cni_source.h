// The network state source: the CNI's azure-vnet.json (docs/state-files.md).
#pragma once

#include "collectors/cni/cni_state.h"
#include "collectors/common/file_io.h"
#include "collectors/common/source.h"

namespace winnet {

inline constexpr SourceKey<FileSource, CniState> kNetworkStateSource{"network_state"};
const SourceType& NetworkStateRegistration();

}  // namespace winnet
