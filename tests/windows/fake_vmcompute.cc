// A stand-in vmcompute.dll for tests under Wine, which has no HNS. Its HNSCall
// answers GETs from a capture's hns/ directory (WINNET_FAKE_HNS_DIR) the way
// HNS does: a UTF-16 string allocated with CoTaskMemAlloc that the caller
// frees. WINNET_FAKE_HNS_HANG=1 makes every call hang, as HNS is known to.
// Built without the export (WINNET_FAKE_NO_EXPORT) it checks the
// missing-export path.
#include "tests/windows/fake_dll_util.h"

#include <string>

namespace {

using winnet_fake::CoTaskCopy;
using winnet_fake::Env;
using winnet_fake::ReadUtf8File;

// The capture file for an HNS path (same layout as the replay source).
std::wstring FileFor(const std::wstring& path) {
  if (path == L"/endpoints/" || path == L"/endpoints") return L"endpoints.json";
  if (path == L"/networks/" || path == L"/networks") return L"networks.json";
  if (path == L"/policylists/" || path == L"/policylists") return L"policylists.json";
  const std::wstring stats = L"/endpointstats/";
  if (path.compare(0, stats.size(), stats) == 0 && path.size() > stats.size() &&
      path.find_first_of(L"/\\.", stats.size()) == std::wstring::npos) {
    return L"endpointstats/" + path.substr(stats.size()) + L".json";
  }
  return {};
}

HRESULT Call(LPCWSTR method, LPCWSTR path, LPCWSTR, LPWSTR* response) {
  *response = nullptr;
  if (Env(L"WINNET_FAKE_HNS_HANG") == L"1") Sleep(INFINITE);
  std::wstring file = FileFor(path);
  std::wstring text;
  if (std::wstring(method) != L"GET" || file.empty() || !ReadUtf8File(Env(L"WINNET_FAKE_HNS_DIR") + L"/" + file, &text)) {
    text = L"{\"Success\":false,\"Error\":\"Element not found.\"}";
  }
  *response = CoTaskCopy(text);
  return *response != nullptr ? S_OK : E_OUTOFMEMORY;
}

}  // namespace

#ifndef WINNET_FAKE_NO_EXPORT
extern "C" __declspec(dllexport) HRESULT WINAPI HNSCall(LPCWSTR method, LPCWSTR path, LPCWSTR request,
                                                       LPWSTR* response) {
  return Call(method, path, request, response);
}
#else
extern "C" __declspec(dllexport) HRESULT WINAPI HNSCallRenamed(LPCWSTR method, LPCWSTR path, LPCWSTR request,
                                                              LPWSTR* response) {
  return Call(method, path, request, response);
}
#endif
