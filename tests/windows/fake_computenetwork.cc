// A stand-in computenetwork.dll for tests under Wine, which has no HCN. Its
// HcnOpenEndpoint / HcnQueryEndpointProperties / HcnCloseEndpoint answer from a
// capture's hcn/endpoints/<ID>.json (WINNET_FAKE_HCN_DIR), with HCN's "endpoint
// not found" HRESULT when there is none, and strings allocated with
// CoTaskMemAlloc that the caller frees. Opens and closes are counted; at
// process exit a mismatch is written to WINNET_FAKE_HCN_LEAKS (a leaked handle).
#include <windows.h>
#include <objbase.h>

#include <atomic>
#include <cstdio>
#include <string>

namespace {

std::atomic<long> g_open{0};

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

std::wstring GuidText(const GUID& g) {
  wchar_t buf[40];
  swprintf(buf, 40, L"%08lX-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X", static_cast<unsigned long>(g.Data1),
           g.Data2, g.Data3, g.Data4[0], g.Data4[1], g.Data4[2], g.Data4[3], g.Data4[4], g.Data4[5], g.Data4[6],
           g.Data4[7]);
  return buf;
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

constexpr HRESULT kEndpointNotFound = static_cast<HRESULT>(0x803b0002);

struct Endpoint {
  std::wstring id;
};

struct LeakCheck {
  ~LeakCheck() {
    std::wstring file = Env(L"WINNET_FAKE_HCN_LEAKS");
    if (file.empty()) return;
    if (FILE* f = _wfopen(file.c_str(), L"w")) {
      std::fprintf(f, "%ld\n", g_open.load());
      std::fclose(f);
    }
  }
} g_leak_check;

}  // namespace

extern "C" __declspec(dllexport) HRESULT WINAPI HcnOpenEndpoint(const GUID& id, void** endpoint,
                                                                LPWSTR* error_record) {
  if (error_record != nullptr) *error_record = nullptr;
  *endpoint = nullptr;
  std::wstring text;
  const std::wstring name = GuidText(id);
  if (!ReadUtf8File(Env(L"WINNET_FAKE_HCN_DIR") + L"/endpoints/" + name + L".json", &text)) {
    if (error_record != nullptr) *error_record = CoTaskCopy(L"{\"Success\":false,\"Error\":\"Endpoint not found\"}");
    return kEndpointNotFound;
  }
  *endpoint = new Endpoint{name};
  ++g_open;
  return S_OK;
}

extern "C" __declspec(dllexport) HRESULT WINAPI HcnQueryEndpointProperties(void* endpoint, LPCWSTR query,
                                                                           LPWSTR* properties,
                                                                           LPWSTR* error_record) {
  if (error_record != nullptr) *error_record = nullptr;
  *properties = nullptr;
  if (endpoint == nullptr || query == nullptr || std::wstring(query).find(L"SchemaVersion") == std::wstring::npos) {
    return E_INVALIDARG;
  }
  std::wstring text;
  if (!ReadUtf8File(Env(L"WINNET_FAKE_HCN_DIR") + L"/endpoints/" + static_cast<Endpoint*>(endpoint)->id + L".json",
                    &text)) {
    return kEndpointNotFound;
  }
  *properties = CoTaskCopy(text);
  return *properties != nullptr ? S_OK : E_OUTOFMEMORY;
}

extern "C" __declspec(dllexport) HRESULT WINAPI HcnCloseEndpoint(void* endpoint) {
  if (endpoint == nullptr) return E_HANDLE;
  delete static_cast<Endpoint*>(endpoint);
  --g_open;
  return S_OK;
}
