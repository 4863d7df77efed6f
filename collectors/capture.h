// `winnet_exporter capture --out=DIR`: what the sources read, written in the
// replay capture format (docs/capture-format.md), so a node's view can be
// attached to a ticket and replayed anywhere with --source.replay.
#pragma once

#include <string>

#include "collectors/common/capture_writer.h"
#include "collectors/common/result.h"
#include "collectors/common/source.h"

namespace winnet {

// Creates `dir` (which must not exist or be empty) and writes every part the
// sources give, byte for byte; HNS stats for the local endpoints only. An
// error only when the directory cannot be used.
Result<CaptureReport> WriteCapture(SourceSet& sources, const std::string& dir);

}  // namespace winnet
