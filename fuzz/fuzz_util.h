// Shared checks of the fuzz targets: beyond "does not crash", what every
// parser promises about its errors.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "collectors/common/netaddr.h"

namespace winnet::fuzz {

inline void Check(bool ok, const char* what, std::string_view detail = {}) {
  if (ok) return;
  std::fprintf(stderr, "invariant broken: %s\n%.*s\n", what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

inline bool IsUtf8(std::string_view s) { return ToValidUtf8(s) == s; }

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// A parse error names the file first and is valid UTF-8 (a source's error ends
// up in logs, /healthz and the snapshot JSON; a start-up error only on stderr).
template <typename R>
void CheckError(const R& r, std::string_view file, bool utf8 = true) {
  if (r.ok()) return;
  Check(r.error().rfind(file, 0) == 0, "the error starts with the file name", r.error());
  if (utf8) Check(IsUtf8(r.error()), "the error is valid UTF-8", r.error());
}

// Two results of the same text agree: the same value, or the same error.
template <typename R>
void CheckSameResult(const R& a, const R& b, const char* what) {
  if (a.ok() != b.ok()) Check(false, what, a.ok() ? b.error() : a.error());
  if (a.ok()) {
    Check(*a == *b, what);
  } else {
    Check(a.error() == b.error(), what, a.error() + "\n" + b.error());
  }
}

}  // namespace winnet::fuzz
