#pragma once

#include <string>

#include "exporter/snapshot.h"

namespace winnet {

// The snapshot as one JSON document (dump --format=json, GET /api/v1/snapshot).
std::string SnapshotToJson(const NodeSnapshot& snap);
// Same, with the source status given separately (the poller keeps it apart).
std::string SnapshotToJson(const NodeSnapshot& snap, const std::vector<SourceView>& sources);

}  // namespace winnet
