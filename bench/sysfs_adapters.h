#pragma once

#include <vector>

#include "collectors/adapters/adapters.h"

namespace winnet::bench {

// Interface counters read file by file from sysfs (comparison only).
std::vector<AdapterRow> ReadSysfsAdapters();

}  // namespace winnet::bench
