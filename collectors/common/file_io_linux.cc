#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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
  data.reserve(static_cast<size_t>(st.st_size) + 1);
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return MakeError(path + ": read failed: " + std::strerror(err));
    }
    if (n == 0) break;
    if (data.size() + static_cast<size_t>(n) > max_bytes) {
      ::close(fd);
      return MakeError(path + ": file grew over the limit of " + std::to_string(max_bytes) +
                       " bytes while being read; not used");
    }
    data.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return std::optional<std::string>(std::move(data));
}

}  // namespace winnet
