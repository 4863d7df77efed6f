// The live sources of a Windows node: HNS v1 through vmcompute.dll!HNSCall
// (with HCN v2 from computenetwork.dll for what v1 lacks), adapter counters from GetIfTable2Ex, and
// the Azure CNI state files in C:\k (AKS) or C:\Windows\System32 (containerd registered without a
// working directory; azure-cni-state.md §3).
// clang-format off
#include <windows.h>
#include <objbase.h>
// clang-format on

#include <cstring>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "collectors/file_io.h"
#include "collectors/hcn.h"
#include "collectors/live_adapters.h"
#include "collectors/platform.h"
#include "collectors/win32_text_windows.h"

namespace winnet {

namespace {

// HRESULT HNSCall(PCWSTR Method, PCWSTR Path, PCWSTR Request, PWSTR* Response);
// undocumented, prototype from hcsshim's binding (hns-api.md §3.1).
using HnsCallFn = HRESULT(WINAPI*)(LPCWSTR, LPCWSTR, LPCWSTR, LPWSTR*);

// A string HNS allocated; freed with CoTaskMemFree (windows_exporter #2128 leaked these).
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

std::string Shorten(std::string text, size_t max) {
  if (text.size() > max) text = text.substr(0, max) + "…";
  return text;
}

// HCN v2, documented in computenetwork.h (hns-api.md §2.2). Only the three
// calls that read one endpoint's properties are used: v1 lists the endpoints
// in one call, v2 would need 1 + 3·N (windows_exporter #2131).
using HcnOpenEndpointFn = HRESULT(WINAPI*)(const GUID& id, void** endpoint, LPWSTR* error_record);
using HcnQueryEndpointPropertiesFn = HRESULT(WINAPI*)(void* endpoint, LPCWSTR query,
                                                      LPWSTR* properties, LPWSTR* error_record);
using HcnCloseEndpointFn = HRESULT(WINAPI*)(void* endpoint);

struct HcnV2 {
  HcnOpenEndpointFn open = nullptr;
  HcnQueryEndpointPropertiesFn query = nullptr;
  HcnCloseEndpointFn close = nullptr;
  bool ok() const { return open != nullptr && query != nullptr && close != nullptr; }
};

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

// Resolves the v2 calls from System32's computenetwork.dll; empty and the text
// says why not (Windows before 1809, or Wine).
HcnV2 LoadHcnV2(std::string* why_not) {
  HMODULE module = LoadLibraryExW(L"computenetwork.dll", nullptr, LOAD_LIBRARY_SEARCH_SYSTEM32);
  if (module == nullptr) {
    *why_not =
        "computenetwork.dll cannot be loaded from System32: " + win32::ErrorText(GetLastError());
    return {};
  }
  HcnV2 v2;
  if (!Resolve(module, "HcnOpenEndpoint", &v2.open, why_not) ||
      !Resolve(module, "HcnQueryEndpointProperties", &v2.query, why_not) ||
      !Resolve(module, "HcnCloseEndpoint", &v2.close, why_not)) {
    return {};  // the module stays loaded: harmless, and never unloaded under a running call
  }
  return v2;
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

// An open HCN endpoint, closed at scope exit (every path, errors included).
class HcnEndpointHandle {
 public:
  explicit HcnEndpointHandle(HcnCloseEndpointFn close) : close_(close) {}
  ~HcnEndpointHandle() {
    if (h_ != nullptr) close_(h_);
  }
  HcnEndpointHandle(const HcnEndpointHandle&) = delete;
  HcnEndpointHandle& operator=(const HcnEndpointHandle&) = delete;
  void** out() { return &h_; }
  void* get() const { return h_; }

 private:
  HcnCloseEndpointFn close_;
  void* h_ = nullptr;
};

// HCN's "not found" answers: the endpoint went away since v1 listed it.
bool NotFound(HRESULT hr) {
  return hr == static_cast<HRESULT>(0x803b0002) || hr == HRESULT_FROM_WIN32(ERROR_NOT_FOUND);
}

class HnsV1 : public HnsSource {
 public:
  HnsV1(HnsCallFn call, HcnV2 v2, std::string v2_why_not)
      : call_(call),
        v2_(v2),
        where_("HNS v1 (vmcompute.dll!HNSCall); HCN v2 " +
               (v2.ok() ? std::string("(computenetwork.dll)") : "unavailable: " + v2_why_not)) {}

  Result<std::optional<std::string>> Get(std::string_view path) override {
    if (path.rfind("hcn:/endpoints/", 0) == 0) return GetV2Endpoint(path.substr(15));
    const std::wstring wpath = win32::Widen(path);
    CoTaskString response;
    HRESULT hr = call_(L"GET", wpath.c_str(), L"", response.out());
    std::string text = response.get() != nullptr ? win32::Narrow(response.get()) : std::string();
    if (FAILED(hr)) {
      return MakeError("HNSCall GET " + std::string(path) + ": " + win32::HresultText(hr) +
                       (text.empty() ? "" : ": " + Shorten(text, 300)));
    }
    // The {"Success","Error","Output"} envelope is checked by the parsers.
    if (text.empty()) return MakeError("HNSCall GET " + std::string(path) + ": empty response");
    return std::optional<std::string>(std::move(text));
  }

  std::string Where() const override { return where_; }

 private:
  // HcnOpenEndpoint + HcnQueryEndpointProperties + HcnCloseEndpoint. A call
  // failed when the HRESULT is not S_OK or an error record came back (as
  // hcsshim decides); both strings are freed with CoTaskMemFree.
  Result<std::optional<std::string>> GetV2Endpoint(std::string_view id) {
    if (!v2_.ok()) return std::optional<std::string>();
    const std::string what = "HCN endpoint " + std::string(id);
    auto guid = ParseGuid(id);
    if (!guid) return MakeError(what + ": not a GUID");
    HcnEndpointHandle endpoint(v2_.close);
    {
      CoTaskString error;
      HRESULT hr = v2_.open(*guid, endpoint.out(), error.out());
      if (NotFound(hr)) return std::optional<std::string>();
      if (hr != S_OK || (error.get() != nullptr && error.get()[0] != L'\0')) {
        return MakeError(
            what + ": HcnOpenEndpoint: " + win32::HresultText(hr) +
            (error.get() != nullptr ? ": " + Shorten(win32::Narrow(error.get()), 300) : ""));
      }
    }
    CoTaskString properties, error;
    const std::wstring query = win32::Widen(kHcnQuery);
    HRESULT hr = v2_.query(endpoint.get(), query.c_str(), properties.out(), error.out());
    if (NotFound(hr)) return std::optional<std::string>();
    if (hr != S_OK || (error.get() != nullptr && error.get()[0] != L'\0')) {
      return MakeError(
          what + ": HcnQueryEndpointProperties: " + win32::HresultText(hr) +
          (error.get() != nullptr ? ": " + Shorten(win32::Narrow(error.get()), 300) : ""));
    }
    if (properties.get() == nullptr || properties.get()[0] == L'\0') {
      return MakeError(what + ": HcnQueryEndpointProperties: empty answer");
    }
    return std::optional<std::string>(win32::Narrow(properties.get()));
  }

  HnsCallFn call_;
  HcnV2 v2_;
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

std::string SystemDirectory() {
  wchar_t buf[MAX_PATH];
  UINT n = GetSystemDirectoryW(buf, MAX_PATH);
  if (n == 0 || n >= MAX_PATH) return "C:\\Windows\\System32";
  return win32::Narrow(std::wstring_view(buf, n));
}

// The CNI's OS lock beside a state file: azure-vnet.json → azure-vnet.lock
// (CNI v1.4.15 and later; azure-cni-state.md §4.3).
std::string LockPathFor(const std::string& state_path) {
  const size_t slash = state_path.find_last_of("\\/");
  const size_t dot = state_path.rfind('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) {
    return state_path + ".lock";
  }
  return state_path.substr(0, dot) + ".lock";
}

// A shared, non-blocking LockFileEx on the whole lock file, released at scope
// exit. The CNI holds it exclusively for a whole invocation, so "busy" means
// it is about to replace the state file.
class SharedFileLock {
 public:
  enum State { kNoLockFile, kHeld, kBusy };

  explicit SharedFileLock(const std::string& path) {
    // Read access and read/write sharing only: the CNI must still open it
    // read/write, truncate it and write its PID. Never created.
    h_.reset(CreateFileW(win32::Widen(path).c_str(), GENERIC_READ,
                         FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr, OPEN_EXISTING,
                         FILE_ATTRIBUTE_NORMAL, nullptr));
    if (!h_.valid()) return;  // no lock file (older CNI): read without
    if (LockFileEx(h_.get(), LOCKFILE_FAIL_IMMEDIATELY, 0, MAXDWORD, MAXDWORD, &overlapped_)) {
      state_ = kHeld;
    } else if (GetLastError() == ERROR_LOCK_VIOLATION) {
      state_ = kBusy;
    }
  }
  ~SharedFileLock() {
    if (state_ == kHeld) UnlockFileEx(h_.get(), 0, MAXDWORD, MAXDWORD, &overlapped_);
  }
  SharedFileLock(const SharedFileLock&) = delete;
  SharedFileLock& operator=(const SharedFileLock&) = delete;
  State state() const { return state_; }

 private:
  win32::Handle h_;
  OVERLAPPED overlapped_{};
  State state_ = kNoLockFile;
};

// Reads state files, optionally under the CNI's lock (--cni.lock=shared):
// while the CNI holds it, the previous read of the same file is returned, so
// the cycle neither races the replace nor reports a failure.
class StateReader {
 public:
  explicit StateReader(bool lock) : lock_(lock) {}

  Result<std::optional<std::string>> Read(const std::string& path) {
    if (!lock_) return ReadWholeFile(path);
    SharedFileLock lock(LockPathFor(path));
    if (lock.state() == SharedFileLock::kBusy && has_last_ && last_path_ == path) return last_;
    auto r = ReadWholeFile(path);
    if (r.ok()) {
      has_last_ = true;
      last_path_ = path;
      last_ = *r;
    }
    return r;
  }

  std::string Describe() const {
    return lock_ ? ", read under a shared lock on the CNI's .lock file" : "";
  }

 private:
  bool lock_;
  bool has_last_ = false;
  std::string last_path_;
  std::optional<std::string> last_;
};

bool FileExists(const std::string& path) {
  DWORD attrs = GetFileAttributesW(win32::Widen(path).c_str());
  return attrs != INVALID_FILE_ATTRIBUTES && (attrs & FILE_ATTRIBUTE_DIRECTORY) == 0;
}

// The directory holding the CNI's state files: the first candidate that has
// either file. While neither has one, every read looks in all candidates and
// the first file found fixes the directory.
class StateDirectory {
 public:
  StateDirectory(std::vector<std::string> candidates, const std::vector<std::string>& files)
      : candidates_(std::move(candidates)) {
    for (size_t i = 0; i < candidates_.size() && chosen_ < 0; ++i) {
      for (const auto& f : files) {
        if (FileExists(candidates_[i] + "\\" + f)) {
          chosen_ = static_cast<int>(i);
          break;
        }
      }
    }
  }

  Result<std::optional<std::string>> Read(const std::string& file, StateReader& reader) {
    int chosen;
    {
      std::lock_guard<std::mutex> lock(mu_);
      chosen = chosen_;
    }
    if (chosen >= 0) return reader.Read(candidates_[static_cast<size_t>(chosen)] + "\\" + file);
    for (size_t i = 0; i < candidates_.size(); ++i) {
      auto r = reader.Read(candidates_[i] + "\\" + file);
      if (!r.ok() || r->has_value()) {
        if (r.ok()) {
          std::lock_guard<std::mutex> lock(mu_);
          if (chosen_ < 0) chosen_ = static_cast<int>(i);
        }
        return r;
      }
    }
    return std::optional<std::string>();
  }

  // The path, or the candidates while none is chosen (logged and in /healthz).
  std::string Describe(const std::string& file) const {
    if (chosen_ >= 0) return candidates_[static_cast<size_t>(chosen_)] + "\\" + file;
    std::string out;
    for (const auto& dir : candidates_) out += (out.empty() ? "" : " or ") + dir + "\\" + file;
    return out + " (none there yet)";
  }

 private:
  std::vector<std::string> candidates_;
  mutable std::mutex mu_;
  int chosen_ = -1;
};

// A state file in the chosen state directory.
class StateFile : public FileSource {
 public:
  StateFile(std::shared_ptr<StateDirectory> dir, std::string file, bool lock)
      : dir_(std::move(dir)),
        file_(std::move(file)),
        reader_(lock),
        where_(dir_->Describe(file_) + reader_.Describe()) {}
  Result<std::optional<std::string>> Read() override { return dir_->Read(file_, reader_); }
  std::string Where() const override { return where_; }

 private:
  std::shared_ptr<StateDirectory> dir_;
  std::string file_;
  StateReader reader_;
  std::string where_;
};

// A state file named on the command line, read under the CNI's lock.
class LockedPathFile : public FileSource {
 public:
  explicit LockedPathFile(std::string path) : path_(std::move(path)), reader_(true) {}
  Result<std::optional<std::string>> Read() override { return reader_.Read(path_); }
  std::string Where() const override { return path_ + reader_.Describe(); }

 private:
  std::string path_;
  StateReader reader_;
};

std::unique_ptr<FileSource> PathFile(const std::string& path, bool lock) {
  if (lock) return std::make_unique<LockedPathFile>(path);
  return MakePathFileSource(path);
}

constexpr const char* kIpamFile = "azure-vnet-ipam.json";
constexpr const char* kNetworkFile = "azure-vnet.json";

}  // namespace

const char* PlatformName() { return "windows"; }
std::string DefaultIpamStatePath() { return std::string("C:\\k\\") + kIpamFile; }
std::string DefaultNetworkStatePath() { return std::string("C:\\k\\") + kNetworkFile; }
std::string DefaultContainerdStateDir() {
  return "C:\\ProgramData\\containerd\\state\\io.containerd.runtime.v2.task\\k8s.io";
}

SourceSet MakeLiveSources(const LiveOptions& options) {
  SourceSet s;
  std::shared_ptr<StateDirectory> dir;
  if (options.ipam_state_path.empty() || options.network_state_path.empty()) {
    dir = std::make_shared<StateDirectory>(std::vector<std::string>{"C:\\k", SystemDirectory()},
                                           std::vector<std::string>{kIpamFile, kNetworkFile});
  }
  if (options.ipam_state_path.empty()) {
    s.ipam = std::make_unique<StateFile>(dir, kIpamFile, options.lock_state_files);
  } else {
    s.ipam = PathFile(options.ipam_state_path, options.lock_state_files);
  }
  if (options.network_state_path.empty()) {
    s.cni = std::make_unique<StateFile>(dir, kNetworkFile, options.lock_state_files);
  } else {
    s.cni = PathFile(options.network_state_path, options.lock_state_files);
  }

  std::string why_not;
  if (HnsCallFn call = LoadHnsCall(&why_not)) {
    std::string v2_why_not;
    HcnV2 v2 = LoadHcnV2(&v2_why_not);
    s.hns = std::make_unique<HnsV1>(call, v2, v2_why_not);
  } else {
    s.hns_unavailable = why_not;
  }

  if (options.adapters) {
    s.adapters = MakeKernelAdapterSource();
  } else {
    s.adapters_unavailable = "disabled by --source.adapters=none";
  }
  AddLiveContainerdSource(options, s);
  return s;
}

}  // namespace winnet
