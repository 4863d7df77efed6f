// Reading a file another program replaces under us (platform specific: on
// Windows the handle must allow FILE_SHARE_DELETE and be closed at once, see
// docs/state-files.md, "Reading a file the CNI replaces").
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "collectors/common/result.h"

namespace winnet {

// One version of a file, told apart without reading it: device, inode, size,
// and the modification and status-change times in nanoseconds (Linux).
struct FileStamp {
  uint64_t device = 0, inode = 0, size = 0;
  int64_t modified_ns = 0, changed_ns = 0;
  bool operator==(const FileStamp&) const = default;
};

// How long after its last change a file's stamp is trusted: a write within
// the file system's time granularity of the stamp (a few milliseconds) could
// otherwise leave the stamp as it was (git's "racily clean" case).
inline constexpr int64_t kFileSettledNs = 1'000'000'000;

// The stamp of no file: what SettledStampOf gives for a path that names
// nothing (no file has inode 0). Absence needs no settling.
inline constexpr FileStamp kNoFileStamp{};

// The stamp of the regular file at `path` when its last change is at least
// kFileSettledNs old; kNoFileStamp when nothing is at `path`; nullopt when it
// is newer, in the future, not a regular file, or cannot be stat'ed. On Windows always nullopt: a
// directory entry's times can lag a write still in progress, so there the file is read. Take the
// stamp BEFORE reading the file: a write after it changes the next stamp (docs/architecture.md,
// "Unchanged files are not read").
std::optional<FileStamp> SettledStampOf(const std::string& path);

// SettledStampOf, but nullopt when `path` itself is a symbolic link (it is
// not followed): for a look that must not be led onto another file system
// than the one its directory was told to be on. Windows: nullopt.
std::optional<FileStamp> SettledStampOfNoLink(const std::string& path);

// Whether `path` (a file or directory) is on a file system only this
// machine writes, so a stat there is answered by this kernel and never waits
// on a server: kShared on a network file system (NFS, SMB, FUSE…); kUnknown
// when it cannot be told (`path` missing), and always on Windows (no stamps
// there).
enum class FileSystemKind { kUnknown, kLocal, kShared };
FileSystemKind FileSystemOf(const std::string& path);

// Files larger than this are rejected, never read: state files are kilobytes.
inline constexpr size_t kMaxStateFileBytes = 64u << 20;

// A directory of many files whose stamps are taken every cycle (a replay's
// per-endpoint HNS answers). Linux: each stamp is looked up from the open
// directory (fstatat), and a settled stamp is kept until an inotify event
// names its file, so a round where nothing changed makes no system call per
// file; nor does a file changed within kFileSettledNs of the last look. On a network file system
// (NFS, SMB, FUSE…), where another machine's writes raise no event, every file is stamped every
// round. Check() starts a round: it takes the events, and opens the directory again when its path
// now names another one (a capture swapped in by a rename) or it was
// missing. On Windows there are no stamps: this holds nothing, every stamp
// is nullopt.
class StampedDirectory {
 public:
  explicit StampedDirectory(std::string path) : path_(std::move(path)) {}
  ~StampedDirectory();
  StampedDirectory(const StampedDirectory&) = delete;
  StampedDirectory& operator=(const StampedDirectory&) = delete;

  void Check();
  // SettledStampOf for the file `name` directly in the directory; nullopt
  // while the directory is missing or `name` is not one path component.
  std::optional<FileStamp> SettledStampOf(const std::string& name) const;
  // The file `name` of the directory read whole, like ReadWholeFile of the
  // path. Linux: opened relative to the directory as the last Check() found
  // it, so the stamps and the reads of a round come from the same directory
  // (and the path is not walked again for each file); by path while the
  // directory is missing. An error when `name` is not one path component.
  // Safe from any thread, also while Check() runs.
  Result<std::optional<std::string>> ReadFile(const std::string& name,
                                              size_t max_bytes = kMaxStateFileBytes) const;
  // True when every stamp kept since the last Check() still holds, told
  // without a call that may wait: the directory is watched, no event came
  // since (the events found are taken), and no file waits to settle. False
  // when it cannot tell. Not while Check() or SettledStampOf() run.
  bool KeptStampsHold();
  // The files stat'ed so far (for tests).
  size_t stats_taken() const { return stats_taken_; }

 private:
  void Open();
  void Close();
  void StopWatching();
  // Applies the events that came; false when there were none.
  bool TakeEvents();

  std::string path_;
  // Linux: the open directory (O_PATH), closed with the last holder: a read
  // on another thread may hold it while Check() opens the directory again.
  struct Handle;
  std::shared_ptr<const Handle> dir_;
  // Guards dir_ against ReadFile's threads; the worker, its only writer,
  // reads it without.
  mutable std::mutex dir_mu_;
  int watch_fd_ = -1;  // Linux: its inotify watch; -1 when none (nothing kept)
  uint64_t device_ = 0, inode_ = 0;
  // Looked up by the names inotify events carry, without a copy.
  struct NameHash {
    using is_transparent = void;
    size_t operator()(std::string_view name) const { return std::hash<std::string_view>{}(name); }
  };
  // Settled stamps no event has named since they were taken.
  mutable std::unordered_map<std::string, FileStamp, NameHash, std::equal_to<>> settled_;
  // Files seen changed less than kFileSettledNs ago, with the time (ns) their
  // stamp can settle at the earliest: a file rewritten every cycle is not
  // stat'ed until then. An event naming the file moves that time to
  // kFileSettledNs after the event was taken, so a file rewritten every cycle
  // is stat'ed no more while it keeps changing. Another file put at the name
  // (a rename) may be settled sooner: until then it is read without a stamp,
  // which costs a read and never serves a stale stamp.
  mutable std::unordered_map<std::string, int64_t, NameHash, std::equal_to<>> unsettled_until_;
  mutable size_t stats_taken_ = 0;
};

// One file a source reads whole (a CNI or CNS state file): live, from a
// replay capture, or a test's fake.
class FileSource {
 public:
  virtual ~FileSource() = default;
  // The file's bytes; nullopt when it does not exist ("no state").
  virtual Result<std::optional<std::string>> Read() = 0;
  // Where the data comes from, for logs and errors.
  virtual std::string Where() const = 0;
  // The file's settled stamp (SettledStampOf) when the source is one path;
  // a reader that has the result of a read with this stamp need not read.
  virtual std::optional<FileStamp> Stamp() const { return std::nullopt; }
  // Stamp() when taking it cannot wait on another machine (the file's
  // directory was seen on a local file system, and the file is not a
  // symbolic link): the poller takes it on its own thread to
  // learn that nothing changed without waking the source's worker
  // (docs/architecture.md, "Unchanged without a hand-off"); nullopt
  // otherwise. Called only while no Read or Stamp runs.
  virtual std::optional<FileStamp> StampIfQuick() const { return std::nullopt; }
};

// The one way a UTF-8 path (every path in the exporter is UTF-8: flags,
// config, capture ids) becomes a filesystem path. On Windows a narrow string
// would be taken in the ANSI code page and a non-ASCII name would be lost.
// Text that is not UTF-8 gives an empty path (which names nothing) rather
// than an exception.
inline std::filesystem::path PathFromUtf8(std::string_view utf8) {
  try {
    return std::filesystem::path(std::u8string(utf8.begin(), utf8.end()));
  } catch (const std::exception&) {
    return {};
  }
}
inline std::string Utf8FromPath(const std::filesystem::path& path) {
  const std::u8string u = path.u8string();
  return std::string(u.begin(), u.end());
}

// Reads the whole file in one pass and closes it. nullopt when the file does
// not exist; an error naming the path for anything else.
Result<std::optional<std::string>> ReadWholeFile(const std::string& path,
                                                 size_t max_bytes = kMaxStateFileBytes);

// True when `name` (an endpoint or container id from a source) can stand as one
// path component on either platform: not empty, not "." or "..", no separator
// and no drive colon. Capture and replay refuse other ids.
inline bool IsSafePathComponent(std::string_view name) {
  return !name.empty() && name != "." && name != ".." &&
         name.find_first_of("/\\:") == std::string_view::npos;
}

// A FileSource reading one path with ReadWholeFile (live state files, replay).
std::unique_ptr<FileSource> MakePathFileSource(std::string path);

}  // namespace winnet
