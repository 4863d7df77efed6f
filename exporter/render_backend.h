// The two text backends: the exporter's own writer (default, always built)
// and prometheus-cpp's TextSerializer (built with WINNET_WITH_PROMETHEUS_CPP).
// Both get the same families, already sorted and de-duplicated.
#pragma once

#include <string>

#include "exporter/render.h"

namespace winnet {

enum class TextBackend { kNative, kPrometheusCpp };

// True when this binary was built with prometheus-cpp.
bool PrometheusCppAvailable();
// The backend RenderFamilies uses: prometheus-cpp when available.
TextBackend DefaultTextBackend();

// Appends one family (samples sorted, label sets unique) in the text format.
void AppendFamilyPrometheusCpp(const MetricFamily& family, std::string& out);

}  // namespace winnet
