#include <fcntl.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>

#include "collectors/common/file_io.h"

namespace winnet {

namespace {

// O_NOATIME where allowed (files this user owns, or with CAP_FOWNER): state
// files rewritten every cycle would otherwise have their inode written for
// each read. Not tried again once refused.
// `path` relative to the directory `dir` (AT_FDCWD: as given).
int OpenForReading(int dir, const char* path) {
  // O_NONBLOCK: a FIFO put at the path must not hang the open (it is then
  // rejected below as not a regular file); no effect on regular files.
  constexpr int kFlags = O_RDONLY | O_CLOEXEC | O_NONBLOCK;
  static std::atomic<bool> noatime_allowed{true};
  if (noatime_allowed.load(std::memory_order_relaxed)) {
    const int fd = ::openat(dir, path, kFlags | O_NOATIME);
    if (fd >= 0 || errno != EPERM) return fd;
    noatime_allowed.store(false, std::memory_order_relaxed);
  }
  return ::openat(dir, path, kFlags);
}

}  // namespace

namespace {

// A file's path for errors, made only when one is said: `dir`/`name`, or
// `dir` alone when `name` is empty.
struct ErrorPath {
  std::string_view dir, name;
  std::string Text() const {
    std::string text(dir);
    if (!name.empty()) text.append("/").append(name);
    return text;
  }
};

// Reads the open file `fd` whole and closes it; errors name `path`.
Result<std::optional<std::string>> ReadOpened(int fd, ErrorPath path, size_t max_bytes) {
  std::string data;
  struct stat st {};
  auto fail = [&](std::string what) {
    ::close(fd);
    return MakeError(path.Text() + ": " + what);
  };
  if (::fstat(fd, &st) != 0) return fail(std::string("cannot stat: ") + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) return fail("is a directory, expected a file");
  if (!S_ISREG(st.st_mode)) {
    return fail("is not a regular file (a FIFO, device or socket); not read");
  }
  if (static_cast<size_t>(st.st_size) > max_bytes) {
    return fail("file is " + std::to_string(st.st_size) + " bytes, over the limit of " +
                std::to_string(max_bytes) + " bytes; not read");
  }
  // Read straight into the string (no bounce buffer): one byte more than the
  // size, so the end of a file that did not grow is seen in the same loop.
  data.resize(static_cast<size_t>(st.st_size) + 1);
  size_t used = 0;
  for (;;) {
    if (used == data.size()) data.resize(std::min(data.size() * 2, max_bytes + 1));
    ssize_t n = ::read(fd, data.data() + used, data.size() - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(std::string("read failed: ") + std::strerror(errno));
    }
    if (n == 0) break;
    const bool short_read = static_cast<size_t>(n) < data.size() - used;
    used += static_cast<size_t>(n);
    if (used > max_bytes) {
      return fail("file grew over the limit of " + std::to_string(max_bytes) +
                  " bytes while being read; not used");
    }
    // A file of a disk file system reads short only at its end: no second
    // read to see it (files of /proc and /sys say another size, and do).
    if (short_read && st.st_size > 0 && used >= static_cast<size_t>(st.st_size)) break;
  }
  data.resize(used);
  ::close(fd);
  return std::optional<std::string>(std::move(data));
}

// A name that is not one path component: it could leave the directory.
Result<std::optional<std::string>> NotAFileName(ErrorPath path) {
  return MakeError(path.Text() + ": not one file name; not read");
}

// The result of an open that failed: no file, or an error naming `path`.
Result<std::optional<std::string>> OpenFailed(ErrorPath path) {
  if (errno == ENOENT || errno == ENOTDIR) return std::optional<std::string>();
  return MakeError(path.Text() + ": cannot open: " + std::strerror(errno));
}

}  // namespace

Result<std::optional<std::string>> ReadWholeFile(const std::string& path, size_t max_bytes) {
  const int fd = OpenForReading(AT_FDCWD, path.c_str());
  if (fd < 0) return OpenFailed({path, {}});
  return ReadOpened(fd, {path, {}}, max_bytes);
}

namespace {

int64_t Nanoseconds(const struct timespec& t) {
  return int64_t{t.tv_sec} * 1'000'000'000 + t.tv_nsec;
}

int64_t NowNs() {
  struct timespec now {};
  ::clock_gettime(CLOCK_REALTIME, &now);
  return Nanoseconds(now);
}

// The stamp of `st`, settled or not.
FileStamp StampFrom(const struct stat& st) {
  return {static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino),
          static_cast<uint64_t>(st.st_size), Nanoseconds(st.st_mtim), Nanoseconds(st.st_ctim)};
}

int64_t LastChangeNs(const FileStamp& stamp) {
  return std::max(stamp.modified_ns, stamp.changed_ns);
}

std::optional<FileStamp> SettledStampFrom(const struct stat& st) {
  if (!S_ISREG(st.st_mode)) return std::nullopt;
  const FileStamp stamp = StampFrom(st);
  if (NowNs() - LastChangeNs(stamp) < kFileSettledNs) return std::nullopt;
  return stamp;
}

// The settled stamp of `path` as `stat_call` (stat or lstat) sees it.
std::optional<FileStamp> SettledStampBy(int (*stat_call)(const char*, struct stat*),
                                        const std::string& path) {
  struct stat st {};
  if (stat_call(path.c_str(), &st) == 0) return SettledStampFrom(st);
  if (errno == ENOENT || errno == ENOTDIR) return kNoFileStamp;
  return std::nullopt;
}

}  // namespace

std::optional<FileStamp> SettledStampOf(const std::string& path) {
  return SettledStampBy(::stat, path);
}

// lstat: a symbolic link is not a regular file, so it has no settled stamp.
std::optional<FileStamp> SettledStampOfNoLink(const std::string& path) {
  return SettledStampBy(::lstat, path);
}

namespace {

// File systems where another machine's writes raise no inotify event.
constexpr uint64_t kSharedFileSystems[] = {
    0x6969,      // NFS
    0x517B,      // SMB
    0xFF534D42,  // CIFS
    0xFE534D42,  // SMB2
    0x65735546,  // FUSE
    0x01021997,  // 9P
    0x00C36400,  // Ceph
    0x0BD00BD0,  // Lustre
    0x47504653,  // GPFS
    0x5346414F,  // AFS
};

bool SharedFileSystem(const struct statfs& fs) {
  return std::ranges::find(kSharedFileSystems, static_cast<uint64_t>(fs.f_type)) !=
         std::end(kSharedFileSystems);
}

bool OtherMachinesMayWrite(int fd) {
  struct statfs fs {};
  return ::fstatfs(fd, &fs) != 0 || SharedFileSystem(fs);
}

}  // namespace

FileSystemKind FileSystemOf(const std::string& path) {
  struct statfs fs {};
  if (::statfs(path.c_str(), &fs) != 0) return FileSystemKind::kUnknown;
  return SharedFileSystem(fs) ? FileSystemKind::kShared : FileSystemKind::kLocal;
}

namespace {

// Any change to a file in the directory that has a name there already (a
// stamp is kept only for a file that exists), and the directory itself going
// away. Not IN_CREATE: a new name has no stamp to forget, and a file put over
// an existing one comes by a rename (IN_MOVED_TO) or after a delete; a
// writer's temporary file would otherwise raise one more event per rewrite.
constexpr uint32_t kWatchedEvents = IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_DELETE |
                                    IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF |
                                    IN_ONLYDIR;

}  // namespace

struct StampedDirectory::Handle {
  int fd;
  explicit Handle(int opened) : fd(opened) {}
  ~Handle() { ::close(fd); }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
};

StampedDirectory::~StampedDirectory() { Close(); }

void StampedDirectory::Close() {
  {
    std::lock_guard<std::mutex> lock(dir_mu_);
    dir_.reset();  // closed when no read holds it
  }
  StopWatching();
}

void StampedDirectory::StopWatching() {
  if (watch_fd_ >= 0) ::close(watch_fd_);
  watch_fd_ = -1;
  settled_.clear();
  unsettled_until_.clear();
}

void StampedDirectory::Check() {
  struct stat at_path {};
  if (::stat(path_.c_str(), &at_path) != 0 || !S_ISDIR(at_path.st_mode)) {
    Close();
    return;
  }
  if (!dir_ || static_cast<uint64_t>(at_path.st_dev) != device_ ||
      static_cast<uint64_t>(at_path.st_ino) != inode_) {
    Open();
  }
  TakeEvents();
  // Files gone since they were seen unsettled are looked at no more.
  std::erase_if(unsettled_until_, [now = NowNs()](const auto& kept) { return kept.second <= now; });
}

void StampedDirectory::Open() {
  const int fd = ::open(path_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Close();
  auto handle = std::make_shared<const Handle>(fd);
  struct stat opened {};
  if (::fstat(fd, &opened) != 0) return Close();
  StopWatching();
  {
    // Replaced in one step: a read on another thread has one or the other.
    std::lock_guard<std::mutex> lock(dir_mu_);
    dir_ = std::move(handle);
  }
  device_ = static_cast<uint64_t>(opened.st_dev);
  inode_ = static_cast<uint64_t>(opened.st_ino);
  if (OtherMachinesMayWrite(fd)) return;  // every file stamped every round
  watch_fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  struct stat watched {};
  // The watch is by path: it must name the directory opened above.
  if (watch_fd_ < 0 || ::inotify_add_watch(watch_fd_, path_.c_str(), kWatchedEvents) < 0 ||
      ::stat(path_.c_str(), &watched) != 0 || watched.st_dev != opened.st_dev ||
      watched.st_ino != opened.st_ino) {
    StopWatching();
  }
}

// Forgets the kept stamp of every file an event names, and moves on the time
// an unsettled one can settle; forgets all of them when events were lost or
// the directory went away (then nothing is kept until it is opened again).
// False when no event came.
bool StampedDirectory::TakeEvents() {
  alignas(struct inotify_event) char buf[16384];
  const int64_t taken_at = NowNs();
  bool taken = false;
  while (watch_fd_ >= 0) {
    const ssize_t n = ::read(watch_fd_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return taken;
    taken = true;
    if (n <= 0) {
      StopWatching();
      return taken;
    }
    for (ssize_t at = 0; at < n;) {
      const auto* event = reinterpret_cast<const struct inotify_event*>(buf + at);
      at += static_cast<ssize_t>(sizeof(struct inotify_event) + event->len);
      if (event->mask & (IN_Q_OVERFLOW | IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT)) {
        StopWatching();
        return taken;
      }
      if (event->len == 0) continue;
      const std::string_view name(event->name);
      if (auto kept = settled_.find(name); kept != settled_.end()) settled_.erase(kept);
      if (auto unsettled = unsettled_until_.find(name); unsettled != unsettled_until_.end()) {
        unsettled->second = std::max(unsettled->second, taken_at + kFileSettledNs);
      }
    }
  }
  return taken;
}

bool StampedDirectory::KeptStampsHold() {
  if (!dir_ || watch_fd_ < 0 || !unsettled_until_.empty()) return false;
  // The path still names the directory watched (not one swapped in by a
  // rename of a directory above it, which raises no event here).
  struct stat at_path {};
  if (::stat(path_.c_str(), &at_path) != 0 || static_cast<uint64_t>(at_path.st_dev) != device_ ||
      static_cast<uint64_t>(at_path.st_ino) != inode_) {
    return false;
  }
  return !TakeEvents() && watch_fd_ >= 0;
}

std::optional<FileStamp> StampedDirectory::SettledStampOf(const std::string& name) const {
  if (!dir_ || !IsSafePathComponent(name)) return std::nullopt;
  if (auto kept = settled_.find(name); kept != settled_.end()) return kept->second;
  const bool watched = watch_fd_ >= 0;
  auto unsettled = watched ? unsettled_until_.find(name) : unsettled_until_.end();
  if (unsettled != unsettled_until_.end()) {
    if (NowNs() < unsettled->second) return std::nullopt;
    unsettled_until_.erase(unsettled);
  }
  struct stat st {};
  ++stats_taken_;
  if (::fstatat(dir_->fd, name.c_str(), &st, 0) != 0) return std::nullopt;
  const std::optional<FileStamp> stamp = SettledStampFrom(st);
  if (watched && stamp) settled_.emplace(name, *stamp);
  if (watched && !stamp && S_ISREG(st.st_mode)) {
    unsettled_until_.emplace(name, LastChangeNs(StampFrom(st)) + kFileSettledNs);
  }
  return stamp;
}

Result<std::optional<std::string>> StampedDirectory::ReadFile(const std::string& name,
                                                              size_t max_bytes) const {
  if (!IsSafePathComponent(name)) return NotAFileName({path_, name});
  std::shared_ptr<const Handle> dir;
  {
    std::lock_guard<std::mutex> lock(dir_mu_);
    dir = dir_;
  }
  if (!dir) return ReadWholeFile(path_ + "/" + name, max_bytes);
  const int fd = OpenForReading(dir->fd, name.c_str());
  if (fd < 0) return OpenFailed({path_, name});
  return ReadOpened(fd, {path_, name}, max_bytes);
}

}  // namespace winnet
