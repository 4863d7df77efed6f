// A stand-in vmcompute.dll for tests under Wine, which has no HNS. Its HNSCall
// answers GETs from a capture (WINNET_FAKE_CAPTURE_DIR), through the exporter's
// own table of calls and capture files, the way
// HNS does: a UTF-16 string allocated with CoTaskMemAlloc that the caller
// frees. WINNET_FAKE_HNS_HANG=1 makes every call hang, as HNS is known to;
// WINNET_FAKE_HNS_HANG_ENDPOINT=<ID> only the /endpointstats/<ID> call.
// At process exit it writes how many answers it handed out and how many the
// caller freed into the file WINNET_FAKE_HNS_ANSWERS names (fake_cotask_ledger.h).
// Built without the export (WINNET_FAKE_NO_EXPORT) it checks the
// missing-export path.
#include <cwchar>
#include <string>

#include "tests/windows/fake_dll_util.h"

namespace {

using winnet_fake::CoTaskCopy;
using winnet_fake::Env;

HRESULT Call(LPCWSTR method, LPCWSTR path, LPCWSTR, LPWSTR* response) {
  *response = nullptr;
  if (Env(L"WINNET_FAKE_HNS_HANG") == L"1") Sleep(INFINITE);
  std::wstring hang_path = Env(L"WINNET_FAKE_HNS_HANG_ENDPOINT");
  if (!hang_path.empty()) {
    hang_path.insert(0, L"/endpointstats/");
    if (wcscmp(path, hang_path.c_str()) == 0) Sleep(INFINITE);
  }
  auto request = winnet::RequestForV1Path(winnet_fake::NarrowUtf16(path));
  std::wstring text;
  if (std::wstring(method) != L"GET" || !request || !winnet_fake::ReadCaptured(*request, &text)) {
    text = L"{\"Success\":false,\"Error\":\"Element not found.\"}";
  }
  *response = CoTaskCopy(text, winnet_fake::kHnsAnswers);
  return *response != nullptr ? S_OK : E_OUTOFMEMORY;
}

struct AnswersReport {
  ~AnswersReport() {
    winnet_fake::WriteLedgerReport(winnet_fake::kHnsAnswers, L"WINNET_FAKE_HNS_ANSWERS");
  }
} g_answers_report;

}  // namespace

#ifndef WINNET_FAKE_NO_EXPORT
extern "C" __declspec(dllexport) HRESULT WINAPI
    HNSCall(LPCWSTR method, LPCWSTR path, LPCWSTR request, LPWSTR* response) {
  return Call(method, path, request, response);
}
#else
extern "C" __declspec(dllexport) HRESULT WINAPI
    HNSCallRenamed(LPCWSTR method, LPCWSTR path, LPCWSTR request, LPWSTR* response) {
  return Call(method, path, request, response);
}
#endif
