// HNS on a live Windows node (docs/hns.md): HNS v1 through
// vmcompute.dll!HNSCall, with HCN v2 from computenetwork.dll for what v1
// lacks (hcn_v2_windows.cc).
#include <cstring>

#include "collectors/common/win32_text_windows.h"
#include "collectors/hns/hcn_v2_windows.h"
#include "collectors/hns/hns_source.h"

namespace winnet {

namespace {

// HRESULT HNSCall(PCWSTR Method, PCWSTR Path, PCWSTR Request, PWSTR* Response);
// undocumented; its prototype is in docs/hns.md, "HNSCall (HNS v1)".
using HnsCallFn = HRESULT(WINAPI*)(LPCWSTR, LPCWSTR, LPCWSTR, LPWSTR*);

class LiveHns : public HnsClient {
 public:
  LiveHns(HnsCallFn call, HcnV2Client v2)
      : call_(call),
        v2_(std::move(v2)),
        where_("HNS v1 (vmcompute.dll!HNSCall); HCN v2 " +
               (v2_.ok() ? std::string("(computenetwork.dll)") : "unavailable: " + v2_.why_not())) {
  }

  Result<std::optional<std::string>> Get(const HnsRequest& request) override {
    if (request.call == HnsCall::kHcnEndpoint) return v2_.QueryEndpoint(request.id);
    const std::string path = V1Path(request);
    const std::wstring wpath = win32::Widen(path);
    win32::CoTaskString response;
    HRESULT hr = call_(L"GET", wpath.c_str(), L"", response.out());
    std::string text;
    if (response.get() != nullptr) {
      // Checked before conversion: HNS can answer with hundreds of megabytes.
      auto narrow = win32::NarrowBounded(response.get(), kMaxHnsResponseBytes);
      if (!narrow.ok()) return MakeError("HNSCall GET " + path + ": " + narrow.error());
      text = std::move(*narrow);
    }
    if (FAILED(hr)) {
      return MakeError("HNSCall GET " + path + ": " + win32::HresultText(hr) +
                       (text.empty() ? "" : ": " + win32::Shorten(text, 300)));
    }
    // The {"Success","Error","Output"} envelope is checked by the parsers.
    if (text.empty()) return MakeError("HNSCall GET " + path + ": empty response");
    return std::optional<std::string>(std::move(text));
  }

  std::string Where() const override { return where_; }

 private:
  HnsCallFn call_;
  HcnV2Client v2_;
  std::string where_;
};

// Resolves HNSCall from System32's vmcompute.dll; the text says why not.
HnsCallFn LoadHnsCall(std::string* why_not) {
  // System32 only: never a vmcompute.dll from the working directory or PATH.
  HMODULE module = LoadLibraryExW(L"vmcompute.dll", nullptr, LOAD_LIBRARY_SEARCH_SYSTEM32);
  if (module == nullptr) {
    *why_not = "vmcompute.dll cannot be loaded from System32: " + win32::ErrorText(GetLastError()) +
               " (HNS needs the Containers feature)";
    return nullptr;
  }
  FARPROC proc = GetProcAddress(module, "HNSCall");
  if (proc == nullptr) {
    *why_not = "vmcompute.dll has no HNSCall export: " + win32::ErrorText(GetLastError());
    return nullptr;
  }
  // The module is never freed: a hung call may still be running inside it.
  HnsCallFn fn;
  static_assert(sizeof fn == sizeof proc);
  std::memcpy(&fn, &proc, sizeof fn);
  return fn;
}

}  // namespace

std::unique_ptr<HnsClient> MakeLiveHnsClient(std::string* why_not) {
  HnsCallFn call = LoadHnsCall(why_not);
  if (call == nullptr) return nullptr;
  return std::make_unique<LiveHns>(call, HcnV2Client::Load());
}

}  // namespace winnet
