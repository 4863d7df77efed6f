// State files on a live Windows node (docs/state-files.md): found in C:\\k
// (AKS) or System32 (containerd registered without a working directory),
// and optionally read under the CNI's lock (--cni.lock=shared).
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "collectors/common/live_context.h"
#include "collectors/common/win32_text_windows.h"

namespace winnet {

namespace {

std::string SystemDirectory() {
  wchar_t buf[MAX_PATH];
  UINT n = GetSystemDirectoryW(buf, MAX_PATH);
  if (n == 0 || n >= MAX_PATH) return "C:\\Windows\\System32";
  return win32::Narrow(std::wstring_view(buf, n));
}

// The CNI's OS lock beside a state file: azure-vnet.json → azure-vnet.lock
// (CNI v1.4.15 and later; docs/state-files.md, "The CNI lock file").
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
    std::lock_guard<std::mutex> lock(mu_);
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

// A state file in the chosen state directory. Where() follows the choice:
// the candidates while none is chosen, then the chosen path.
class StateFile : public FileSource {
 public:
  StateFile(std::shared_ptr<StateDirectory> dir, std::string file, bool lock)
      : dir_(std::move(dir)), file_(std::move(file)), reader_(lock), how_(reader_.Describe()) {}
  Result<std::optional<std::string>> Read() override { return dir_->Read(file_, reader_); }
  std::string Where() const override { return dir_->Describe(file_) + how_; }

 private:
  std::shared_ptr<StateDirectory> dir_;
  std::string file_;
  StateReader reader_;
  const std::string how_;  // how it is read (under the CNI's lock or not)
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

// The files the state directory is recognised by.
const std::vector<std::string> kCniStateFiles = {"azure-vnet-ipam.json", "azure-vnet.json"};

}  // namespace

struct LiveContext::Platform {
  std::shared_ptr<StateDirectory> state_dir;  // made on first use
};

const char* PlatformName() { return "windows"; }

std::string DefaultCniStatePath(const std::string& file_name) { return "C:\\k\\" + file_name; }

const std::string& PathOnThisPlatform(const PlatformPaths& paths) { return paths.windows; }

std::string DefaultContainerdStateDir() {
  return "C:\\ProgramData\\containerd\\state\\io.containerd.runtime.v2.task\\k8s.io";
}

LiveContext::LiveContext(LiveOptions options)
    : options_(std::move(options)), platform_(std::make_unique<Platform>()) {}
LiveContext::~LiveContext() = default;

std::unique_ptr<FileSource> LiveContext::CniStateFile(const std::string& file_name,
                                                      const std::string& explicit_path) {
  if (!explicit_path.empty()) return PathFile(explicit_path, options_.lock_state_files);
  if (!platform_->state_dir) {
    platform_->state_dir = std::make_shared<StateDirectory>(
        std::vector<std::string>{"C:\\k", SystemDirectory()}, kCniStateFiles);
  }
  return std::make_unique<StateFile>(platform_->state_dir, file_name, options_.lock_state_files);
}

}  // namespace winnet
