#include "collectors/hns/hcn_v2_windows.h"

#include <cstring>

#include "collectors/common/win32_text_windows.h"
#include "collectors/hns/hcn.h"
#include "collectors/hns/hns_client.h"

namespace winnet {

namespace {

using win32::CoTaskString;
using win32::Shorten;

template <typename Fn>
bool Resolve(HMODULE module, const char* name, Fn* fn, std::string* why_not) {
  FARPROC proc = GetProcAddress(module, name);
  if (proc == nullptr) {
    *why_not = std::string("computenetwork.dll has no ") + name +
               " export: " + win32::ErrorText(GetLastError());
    return false;
  }
  static_assert(sizeof *fn == sizeof proc);
  std::memcpy(fn, &proc, sizeof *fn);
  return true;
}

// "8f109901-9970-4fda-bb2b-e9882fb3e8fb", braces optional, any case.
std::optional<GUID> ParseGuid(std::string_view text) {
  if (text.size() == 38 && text.front() == '{' && text.back() == '}') text = text.substr(1, 36);
  if (text.size() != 36) return std::nullopt;
  unsigned char bytes[16];
  size_t n = 0;
  for (size_t i = 0; i < 36;) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return std::nullopt;
      ++i;
      continue;
    }
    auto hex = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    int hi = hex(text[i]), lo = hex(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    bytes[n++] = static_cast<unsigned char>(hi * 16 + lo);
    i += 2;
  }
  GUID g;
  g.Data1 = (DWORD(bytes[0]) << 24) | (DWORD(bytes[1]) << 16) | (DWORD(bytes[2]) << 8) | bytes[3];
  g.Data2 = static_cast<WORD>((bytes[4] << 8) | bytes[5]);
  g.Data3 = static_cast<WORD>((bytes[6] << 8) | bytes[7]);
  std::memcpy(g.Data4, bytes + 8, 8);
  return g;
}

template <typename CloseFn>
// An open HCN endpoint, closed at scope exit (every path, errors included).
class HcnEndpointHandle {
 public:
  explicit HcnEndpointHandle(CloseFn close) : close_(close) {}
  ~HcnEndpointHandle() {
    if (h_ != nullptr) close_(h_);
  }
  HcnEndpointHandle(const HcnEndpointHandle&) = delete;
  HcnEndpointHandle& operator=(const HcnEndpointHandle&) = delete;
  void** out() { return &h_; }
  void* get() const { return h_; }

 private:
  CloseFn close_;
  void* h_ = nullptr;
};

// HCN's "not found" answers: the endpoint went away since v1 listed it.
bool NotFound(HRESULT hr) {
  return hr == static_cast<HRESULT>(0x803b0002) || hr == HRESULT_FROM_WIN32(ERROR_NOT_FOUND);
}

// A v2 call failed when the HRESULT is not S_OK or an error record came back
// (as hcsshim decides); "" when it succeeded.
std::string CallError(const std::string& what, const char* call, HRESULT hr,
                      const CoTaskString& error) {
  if (hr == S_OK && (error.get() == nullptr || error.get()[0] == L'\0')) return {};
  return what + ": " + call + ": " + win32::HresultText(hr) +
         (error.get() != nullptr ? ": " + Shorten(win32::Narrow(error.get()), 300) : "");
}

}  // namespace

HcnV2Client HcnV2Client::Load() {
  HcnV2Client v2;
  HMODULE module = LoadLibraryExW(L"computenetwork.dll", nullptr, LOAD_LIBRARY_SEARCH_SYSTEM32);
  if (module == nullptr) {
    v2.why_not_ =
        "computenetwork.dll cannot be loaded from System32: " + win32::ErrorText(GetLastError());
    return v2;
  }
  if (!Resolve(module, "HcnOpenEndpoint", &v2.open_, &v2.why_not_) ||
      !Resolve(module, "HcnQueryEndpointProperties", &v2.query_, &v2.why_not_) ||
      !Resolve(module, "HcnCloseEndpoint", &v2.close_, &v2.why_not_)) {
    // The module stays loaded: harmless, and never unloaded under a running call.
    v2.open_ = nullptr;
    v2.query_ = nullptr;
    v2.close_ = nullptr;
  }
  return v2;
}

// HcnOpenEndpoint + HcnQueryEndpointProperties + HcnCloseEndpoint; both
// strings of each call are freed with CoTaskMemFree, the handle closed on
// every path.
Result<std::optional<std::string>> HcnV2Client::QueryEndpoint(std::string_view id) const {
  if (!ok()) return std::optional<std::string>();
  const std::string what = "HCN endpoint " + std::string(id);
  auto guid = ParseGuid(id);
  if (!guid) return MakeError(what + ": not a GUID");
  HcnEndpointHandle<CloseFn> endpoint(close_);
  {
    CoTaskString error;
    HRESULT hr = open_(*guid, endpoint.out(), error.out());
    if (NotFound(hr)) return std::optional<std::string>();
    if (auto e = CallError(what, "HcnOpenEndpoint", hr, error); !e.empty()) return MakeError(e);
  }
  CoTaskString properties, error;
  const std::wstring query = win32::Widen(kHcnQuery);
  HRESULT hr = query_(endpoint.get(), query.c_str(), properties.out(), error.out());
  if (NotFound(hr)) return std::optional<std::string>();
  if (auto e = CallError(what, "HcnQueryEndpointProperties", hr, error); !e.empty()) {
    return MakeError(e);
  }
  if (properties.get() == nullptr || properties.get()[0] == L'\0') {
    return MakeError(what + ": HcnQueryEndpointProperties: empty answer");
  }
  auto text = win32::NarrowBounded(properties.get(), kMaxHnsResponseBytes);
  if (!text.ok()) return MakeError(what + ": HcnQueryEndpointProperties: " + text.error());
  return std::optional<std::string>(std::move(*text));
}

}  // namespace winnet
