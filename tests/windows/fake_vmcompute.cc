// A stand-in vmcompute.dll for tests under Wine, which has no HNS. Its HNSCall
// answers GETs from a capture's hns/ directory (WINNET_FAKE_HNS_DIR) the way
// HNS does: a UTF-16 string allocated with CoTaskMemAlloc that the caller
// frees. WINNET_FAKE_HNS_HANG=1 makes every call hang, as HNS is known to.
// Built without the export (WINNET_FAKE_NO_EXPORT) it checks the
// missing-export path.
#include <windows.h>
#include <objbase.h>

#include <string>

namespace {

std::wstring Env(const wchar_t* name) {
  wchar_t buf[2048];
  DWORD n = GetEnvironmentVariableW(name, buf, 2048);
  return n > 0 && n < 2048 ? std::wstring(buf, n) : std::wstring();
}

LPWSTR CoTaskCopy(const std::wstring& text) {
  auto* out = static_cast<LPWSTR>(CoTaskMemAlloc((text.size() + 1) * sizeof(wchar_t)));
  if (out == nullptr) return nullptr;
  text.copy(out, text.size());
  out[text.size()] = L'\0';
  return out;
}

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

bool ReadUtf8File(const std::wstring& path, std::wstring* text) {
  HANDLE h = CreateFileW(path.c_str(), GENERIC_READ, FILE_SHARE_READ, nullptr, OPEN_EXISTING, 0, nullptr);
  if (h == INVALID_HANDLE_VALUE) return false;
  std::string bytes;
  char buf[65536];
  DWORD got = 0;
  while (ReadFile(h, buf, sizeof buf, &got, nullptr) && got > 0) bytes.append(buf, got);
  CloseHandle(h);
  int n = MultiByteToWideChar(CP_UTF8, 0, bytes.data(), static_cast<int>(bytes.size()), nullptr, 0);
  text->assign(static_cast<size_t>(n), L'\0');
  MultiByteToWideChar(CP_UTF8, 0, bytes.data(), static_cast<int>(bytes.size()), text->data(), n);
  return true;
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
