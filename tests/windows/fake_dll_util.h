// What the stand-in HNS DLLs (fake_vmcompute.cc, fake_computenetwork.cc) share:
// reading the environment and capture files, and answering with strings the
// caller frees with CoTaskMemFree, as the real DLLs do (CoTaskCopy, which
// also counts what comes back: fake_cotask_ledger.h).
#pragma once

// clang-format off
#include <windows.h>
#include <objbase.h>
// clang-format on

#include <string>

#include "collectors/hns/hns_client.h"
#include "tests/windows/fake_cotask_ledger.h"

namespace winnet_fake {

inline std::wstring Env(const wchar_t* name) {
  wchar_t buf[2048];
  DWORD n = GetEnvironmentVariableW(name, buf, 2048);
  return n > 0 && n < 2048 ? std::wstring(buf, n) : std::wstring();
}

// A UTF-8 file as UTF-16; false when it cannot be opened.
inline bool ReadUtf8File(const std::wstring& path, std::wstring* text) {
  HANDLE h =
      CreateFileW(path.c_str(), GENERIC_READ, FILE_SHARE_READ, nullptr, OPEN_EXISTING, 0, nullptr);
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

inline std::wstring WidenUtf8(const std::string& utf8) {
  int n = MultiByteToWideChar(CP_UTF8, 0, utf8.data(), static_cast<int>(utf8.size()), nullptr, 0);
  std::wstring out(static_cast<size_t>(n), L'\0');
  MultiByteToWideChar(CP_UTF8, 0, utf8.data(), static_cast<int>(utf8.size()), out.data(), n);
  return out;
}

inline std::string NarrowUtf16(const std::wstring& utf16) {
  int n = WideCharToMultiByte(CP_UTF8, 0, utf16.data(), static_cast<int>(utf16.size()), nullptr, 0,
                              nullptr, nullptr);
  std::string out(static_cast<size_t>(n), '\0');
  WideCharToMultiByte(CP_UTF8, 0, utf16.data(), static_cast<int>(utf16.size()), out.data(), n,
                      nullptr, nullptr);
  return out;
}

// The answer to `request` from the capture in WINNET_FAKE_CAPTURE_DIR, found
// through the exporter's own table of calls (collectors/hns/hns_client.h);
// false when the capture has no such file.
inline bool ReadCaptured(const winnet::HnsRequest& request, std::wstring* text) {
  const std::string rel = winnet::CapturePath(request);
  if (rel.empty()) return false;
  return ReadUtf8File(Env(L"WINNET_FAKE_CAPTURE_DIR") + L"/" + WidenUtf8(rel), text);
}

}  // namespace winnet_fake
