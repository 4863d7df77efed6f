// One fetch-and-parse step per source. Each runs on its source's worker thread.
#pragma once

#include <vector>

#include "collectors/sources.h"
#include "exporter/snapshot.h"

namespace winnet {

Result<IpamState> CollectIpam(FileSource& src);
Result<CniState> CollectCni(FileSource& src);
// Fails when /endpoints/ or /networks/ fails; policy lists and per-endpoint
// stats are per-item: a failure is recorded in item_errors and skipped.
Result<HnsData> CollectHns(HnsSource& src);
Result<std::vector<AdapterRow>> CollectAdapters(AdapterSource& src);

}  // namespace winnet
