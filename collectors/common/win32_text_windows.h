// Text and error helpers shared by the *_windows.cc files (Windows only).
// Windows APIs take UTF-16; the rest of the exporter works in UTF-8.
#pragma once

// clang-format off
#include <windows.h>
#include <objbase.h>
#include <winsvc.h>
// clang-format on

#include <cstdio>
#include <cwchar>
#include <string>
#include <string_view>

#include "collectors/common/result.h"

namespace winnet::win32 {

inline std::wstring Widen(std::string_view utf8) {
  if (utf8.empty()) return {};
  int n = MultiByteToWideChar(CP_UTF8, 0, utf8.data(), static_cast<int>(utf8.size()), nullptr, 0);
  std::wstring out(static_cast<size_t>(n > 0 ? n : 0), L'\0');
  if (n > 0) {
    MultiByteToWideChar(CP_UTF8, 0, utf8.data(), static_cast<int>(utf8.size()), out.data(), n);
  }
  return out;
}

inline std::string Narrow(std::wstring_view utf16) {
  if (utf16.empty()) return {};
  int n = WideCharToMultiByte(CP_UTF8, 0, utf16.data(), static_cast<int>(utf16.size()), nullptr, 0,
                              nullptr, nullptr);
  std::string out(static_cast<size_t>(n > 0 ? n : 0), '\0');
  if (n > 0) {
    WideCharToMultiByte(CP_UTF8, 0, utf16.data(), static_cast<int>(utf16.size()), out.data(), n,
                        nullptr, nullptr);
  }
  return out;
}

// A NUL-terminated WCHAR array of fixed size (MIB_IF_ROW2::Alias).
template <size_t N>
std::string NarrowFixed(const WCHAR (&text)[N]) {
  size_t len = 0;
  while (len < N && text[len] != L'\0') ++len;
  return Narrow(std::wstring_view(text, len));
}

// "error 2 (The system cannot find the file specified.)"
inline std::string ErrorText(DWORD code) {
  std::string out = "error " + std::to_string(code);
  wchar_t* buf = nullptr;
  DWORD n = FormatMessageW(
      FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
      nullptr, code, 0, reinterpret_cast<wchar_t*>(&buf), 0, nullptr);
  if (n > 0 && buf != nullptr) {
    std::wstring msg(buf, n);
    while (!msg.empty() && (msg.back() == L'\n' || msg.back() == L'\r' || msg.back() == L' ')) {
      msg.pop_back();
    }
    out += " (" + Narrow(msg) + ")";
  }
  if (buf != nullptr) LocalFree(buf);
  return out;
}

inline std::string HresultText(HRESULT hr) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08lx", static_cast<unsigned long>(hr));
  return std::string("HRESULT ") + buf;
}

// Closes a kernel handle on scope exit.
class Handle {
 public:
  explicit Handle(HANDLE h = nullptr) : h_(h) {}
  ~Handle() { reset(); }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  HANDLE get() const { return h_; }
  bool valid() const { return h_ != nullptr && h_ != INVALID_HANDLE_VALUE; }
  void reset(HANDLE h = nullptr) {
    if (valid()) CloseHandle(h_);
    h_ = h;
  }

 private:
  HANDLE h_;
};

// Closes a Service Control Manager handle on scope exit.
class ServiceHandle {
 public:
  explicit ServiceHandle(SC_HANDLE h) : h_(h) {}
  ~ServiceHandle() {
    if (h_ != nullptr) CloseServiceHandle(h_);
  }
  ServiceHandle(const ServiceHandle&) = delete;
  ServiceHandle& operator=(const ServiceHandle&) = delete;
  SC_HANDLE get() const { return h_; }

 private:
  SC_HANDLE h_;
};

// `utf16` (NUL-terminated) as UTF-8, or an error when that would take more
// than `max_bytes`: the size is known before anything is converted or
// allocated, so an oversized answer costs no copy of itself.
inline Result<std::string> NarrowBounded(const wchar_t* utf16, size_t max_bytes) {
  const size_t units = wcsnlen(utf16, max_bytes + 1);
  if (units > max_bytes) {
    return MakeError("answer is over " + std::to_string(max_bytes) + " bytes; not read");
  }
  const int n =
      WideCharToMultiByte(CP_UTF8, 0, utf16, static_cast<int>(units), nullptr, 0, nullptr, nullptr);
  if (static_cast<size_t>(n) > max_bytes) {
    return MakeError("answer is " + std::to_string(n) + " bytes, over the limit of " +
                     std::to_string(max_bytes) + " bytes; not read");
  }
  return Narrow(std::wstring_view(utf16, units));
}

// A string a Windows API allocated with CoTaskMemAlloc; freed at scope exit
// (windows_exporter #2128 leaked HNS's answers).
class CoTaskString {
 public:
  CoTaskString() = default;
  ~CoTaskString() { CoTaskMemFree(p_); }
  CoTaskString(const CoTaskString&) = delete;
  CoTaskString& operator=(const CoTaskString&) = delete;
  LPWSTR* out() { return &p_; }
  const wchar_t* get() const { return p_; }

 private:
  LPWSTR p_ = nullptr;
};

// `text` cut to `max` bytes, with an ellipsis when cut (errors quote answers).
inline std::string Shorten(std::string text, size_t max) {
  if (text.size() > max) text = text.substr(0, max) + "…";
  return text;
}

}  // namespace winnet::win32
