// Sources that read a replay capture directory (design.md "Replay capture
// format"). Files are re-read on every call, so a changed capture shows on the
// next poll.
#pragma once

#include <string>

#include "collectors/result.h"
#include "collectors/sources.h"

namespace winnet {

// Error when `dir` is not a readable directory.
Result<SourceSet> MakeReplaySources(const std::string& dir);

}  // namespace winnet
