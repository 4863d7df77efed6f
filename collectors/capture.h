// `winnet_exporter capture --out=DIR`: what the sources read, written in the
// replay capture format (examples/aks-windows-node/README.md), so a node's
// view can be attached to a ticket and replayed anywhere with --source.replay.
#pragma once

#include <string>
#include <vector>

#include "collectors/result.h"
#include "collectors/sources.h"

namespace winnet {

struct CaptureReport {
  std::vector<std::string> written;  // paths relative to the capture directory
  std::vector<std::string> skipped;  // parts not captured and why (absent, unavailable)
  std::vector<std::string> errors;   // sources or files that failed; the rest is written
};

// Creates `dir` (which must not exist or be empty) and writes every part the
// sources give, byte for byte; HNS stats for the local endpoints only. An
// error only when the directory cannot be used.
Result<CaptureReport> WriteCapture(SourceSet& sources, const std::string& dir);

}  // namespace winnet
