// clang-format off
#include <windows.h>
// clang-format on

#include <cstring>

#include "collectors/common/win32_text_windows.h"
#include "exporter/thread_name.h"

namespace winnet {

// SetThreadDescription exists from Windows 10 1607 on; it is looked up so the
// exe still starts where it does not.
void NameThisThread(const std::string& name) {
  using SetDescriptionFn = HRESULT(WINAPI*)(HANDLE, PCWSTR);
  static const SetDescriptionFn set = [] {
    SetDescriptionFn fn = nullptr;
    FARPROC proc = GetProcAddress(GetModuleHandleW(L"kernel32.dll"), "SetThreadDescription");
    static_assert(sizeof fn == sizeof proc);
    if (proc != nullptr) std::memcpy(&fn, &proc, sizeof fn);
    return fn;
  }();
  if (set != nullptr) set(GetCurrentThread(), win32::Widen(name).c_str());
}

}  // namespace winnet
