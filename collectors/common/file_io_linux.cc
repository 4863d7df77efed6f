#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "collectors/common/file_io.h"

namespace winnet {

Result<std::optional<std::string>> ReadWholeFile(const std::string& path, size_t max_bytes) {
  // O_NONBLOCK: a FIFO put at the path must not hang the open (it is then
  // rejected below as not a regular file); no effect on regular files.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::optional<std::string>();
    return MakeError(path + ": cannot open: " + std::strerror(errno));
  }
  std::string data;
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return MakeError(path + ": cannot stat: " + std::strerror(err));
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return MakeError(path + ": is a directory, expected a file");
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return MakeError(path + ": is not a regular file (a FIFO, device or socket); not read");
  }
  if (static_cast<size_t>(st.st_size) > max_bytes) {
    ::close(fd);
    return MakeError(path + ": file is " + std::to_string(st.st_size) +
                     " bytes, over the limit of " + std::to_string(max_bytes) + " bytes; not read");
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
      int err = errno;
      ::close(fd);
      return MakeError(path + ": read failed: " + std::strerror(err));
    }
    if (n == 0) break;
    used += static_cast<size_t>(n);
    if (used > max_bytes) {
      ::close(fd);
      return MakeError(path + ": file grew over the limit of " + std::to_string(max_bytes) +
                       " bytes while being read; not used");
    }
  }
  data.resize(used);
  ::close(fd);
  return std::optional<std::string>(std::move(data));
}

std::optional<FileStamp> SettledStampOf(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  struct timespec now {};
  ::clock_gettime(CLOCK_REALTIME, &now);
  auto ns = [](const struct timespec& t) { return int64_t{t.tv_sec} * 1'000'000'000 + t.tv_nsec; };
  const FileStamp stamp{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino),
                        static_cast<uint64_t>(st.st_size), ns(st.st_mtim), ns(st.st_ctim)};
  const int64_t last_change = std::max(stamp.modified_ns, stamp.changed_ns);
  if (ns(now) - last_change < kFileSettledNs) return std::nullopt;
  return stamp;
}

}  // namespace winnet
