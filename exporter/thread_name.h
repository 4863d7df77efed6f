// Names the calling thread, as debuggers, `top -H`, /proc/<pid>/task/*/comm
// and Wine's logs show it. Linux keeps 15 bytes of it.
#pragma once

#include <string>

namespace winnet {

void NameThisThread(const std::string& name);

}  // namespace winnet
