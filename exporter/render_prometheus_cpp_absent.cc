// Built when prometheus-cpp is not: the native writer is the only backend.
#include <cstdlib>

#include "exporter/render_backend.h"

namespace winnet {

bool PrometheusCppAvailable() { return false; }
TextBackend DefaultTextBackend() { return TextBackend::kNative; }

void AppendFamilyPrometheusCpp(const MetricFamily&, std::string&) {
  std::abort();  // unreachable: callers check PrometheusCppAvailable()
}

}  // namespace winnet
