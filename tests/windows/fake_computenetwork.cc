// A stand-in computenetwork.dll for tests under Wine, which has no HCN. Its
// HcnOpenEndpoint / HcnQueryEndpointProperties / HcnCloseEndpoint answer from a
// capture's hcn/endpoints/<ID>.json (WINNET_FAKE_CAPTURE_DIR), with HCN's "endpoint
// not found" HRESULT when there is none, and strings allocated with
// CoTaskMemAlloc that the caller frees. Opens and closes are counted; at
// process exit a mismatch is written to WINNET_FAKE_HCN_LEAKS (a leaked handle),
// and how many strings it handed out and how many the caller freed to
// WINNET_FAKE_HCN_ANSWERS (fake_cotask_ledger.h).
#include <atomic>
#include <cstdio>
#include <string>

#include "tests/windows/fake_dll_util.h"

namespace {

using winnet_fake::CoTaskCopy;
using winnet_fake::Env;

std::atomic<long> g_open{0};

std::wstring GuidText(const GUID& g) {
  wchar_t buf[40];
  swprintf(buf, 40, L"%08lX-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X",
           static_cast<unsigned long>(g.Data1), g.Data2, g.Data3, g.Data4[0], g.Data4[1],
           g.Data4[2], g.Data4[3], g.Data4[4], g.Data4[5], g.Data4[6], g.Data4[7]);
  return buf;
}

constexpr HRESULT kEndpointNotFound = static_cast<HRESULT>(0x803b0002);

struct Endpoint {
  std::wstring id;
};

void WriteOpenHandles() {
  std::wstring file = Env(L"WINNET_FAKE_HCN_LEAKS");
  if (file.empty()) return;
  if (FILE* f = _wfopen(file.c_str(), L"w")) {
    std::fprintf(f, "%ld\n", g_open.load());
    std::fclose(f);
  }
}

struct LeakCheck {
  ~LeakCheck() {
    WriteOpenHandles();
    winnet_fake::WriteLedgerReport(winnet_fake::kHcnAnswers, L"WINNET_FAKE_HCN_ANSWERS");
  }
} g_leak_check;

}  // namespace

extern "C" __declspec(dllexport) HRESULT WINAPI
    HcnOpenEndpoint(const GUID& id, void** endpoint, LPWSTR* error_record) {
  if (error_record != nullptr) *error_record = nullptr;
  *endpoint = nullptr;
  std::wstring text;
  const std::wstring name = GuidText(id);
  if (!winnet_fake::ReadCaptured({winnet::HnsCall::kHcnEndpoint, winnet_fake::NarrowUtf16(name)},
                                 &text)) {
    if (error_record != nullptr) {
      *error_record = CoTaskCopy(L"{\"Success\":false,\"Error\":\"Endpoint not found\"}",
                                 winnet_fake::kHcnAnswers);
    }
    return kEndpointNotFound;
  }
  *endpoint = new Endpoint{name};
  ++g_open;
  return S_OK;
}

extern "C" __declspec(dllexport) HRESULT WINAPI
    HcnQueryEndpointProperties(void* endpoint, LPCWSTR query, LPWSTR* properties,
                               LPWSTR* error_record) {
  if (error_record != nullptr) *error_record = nullptr;
  *properties = nullptr;
  if (endpoint == nullptr || query == nullptr ||
      std::wstring(query).find(L"SchemaVersion") == std::wstring::npos) {
    return E_INVALIDARG;
  }
  std::wstring text;
  const std::string id = winnet_fake::NarrowUtf16(static_cast<Endpoint*>(endpoint)->id);
  if (!winnet_fake::ReadCaptured({winnet::HnsCall::kHcnEndpoint, id}, &text)) {
    return kEndpointNotFound;
  }
  *properties = CoTaskCopy(text, winnet_fake::kHcnAnswers);
  return *properties != nullptr ? S_OK : E_OUTOFMEMORY;
}

extern "C" __declspec(dllexport) HRESULT WINAPI HcnCloseEndpoint(void* endpoint) {
  if (endpoint == nullptr) return E_HANDLE;
  delete static_cast<Endpoint*>(endpoint);
  --g_open;
  return S_OK;
}
