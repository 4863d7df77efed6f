// The IPAM state source: the CNI's azure-vnet-ipam.json (docs/state-files.md).
#pragma once

#include "collectors/common/file_io.h"
#include "collectors/common/source.h"
#include "collectors/ipam/ipam_state.h"

namespace winnet {

inline constexpr SourceKey<FileSource, IpamState> kIpamStateSource{"ipam_state"};
const SourceType& IpamStateRegistration();

}  // namespace winnet
