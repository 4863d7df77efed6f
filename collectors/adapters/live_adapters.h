// The platform's table of network interfaces with their counters: one
// RTM_GETLINK dump on Linux, GetIfTable2Ex on Windows.
#pragma once

#include <memory>

#include "collectors/adapters/adapter_source.h"

namespace winnet {

std::unique_ptr<AdapterSource> MakeKernelAdapterSource();

}  // namespace winnet
