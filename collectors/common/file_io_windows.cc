// State files are replaced by the CNI with MoveFileExW(REPLACE_EXISTING), which
// fails while any handle to the target is open, even one that shares delete
// (docs/state-files.md, "Reading a file the CNI replaces"). Share all, read in one loop, close at
// once, parse only afterwards.
#include <windows.h>

#include <algorithm>

#include "collectors/common/file_io.h"
#include "collectors/common/win32_text_windows.h"

namespace winnet {

Result<std::optional<std::string>> ReadWholeFile(const std::string& path, size_t max_bytes) {
  const std::wstring wpath = win32::Widen(path);
  win32::Handle h(CreateFileW(
      wpath.c_str(), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
      OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL | FILE_FLAG_SEQUENTIAL_SCAN, nullptr));
  if (!h.valid()) {
    DWORD err = GetLastError();
    if (err == ERROR_FILE_NOT_FOUND || err == ERROR_PATH_NOT_FOUND) {
      return std::optional<std::string>();
    }
    DWORD attrs = GetFileAttributesW(wpath.c_str());
    if (attrs != INVALID_FILE_ATTRIBUTES && (attrs & FILE_ATTRIBUTE_DIRECTORY) != 0) {
      return MakeError(path + ": is a directory, expected a file");
    }
    return MakeError(path + ": cannot open: " + win32::ErrorText(err));
  }
  LARGE_INTEGER size{};
  if (!GetFileSizeEx(h.get(), &size)) {
    return MakeError(path + ": cannot get the size: " + win32::ErrorText(GetLastError()));
  }
  if (static_cast<unsigned long long>(size.QuadPart) > max_bytes) {
    return MakeError(path + ": file is " + std::to_string(size.QuadPart) +
                     " bytes, over the limit of " + std::to_string(max_bytes) + " bytes; not read");
  }
  std::string data;
  data.resize(static_cast<size_t>(size.QuadPart));
  size_t have = 0;
  // Normally one ReadFile; the loop covers short reads and a file that grew.
  for (;;) {
    if (have == data.size()) {
      if (data.size() >= max_bytes) {
        char probe;
        DWORD n = 0;
        if (ReadFile(h.get(), &probe, 1, &n, nullptr) && n == 0) break;
        return MakeError(path + ": file grew over the limit of " + std::to_string(max_bytes) +
                         " bytes while being read; not used");
      }
      data.resize(std::min(max_bytes, data.size() + 65536));
    }
    DWORD want = static_cast<DWORD>(std::min<size_t>(data.size() - have, 1u << 30));
    DWORD got = 0;
    if (!ReadFile(h.get(), data.data() + have, want, &got, nullptr)) {
      return MakeError(path + ": read failed: " + win32::ErrorText(GetLastError()));
    }
    if (got == 0) break;
    have += got;
  }
  h.reset();  // before any parsing: the CNI may be waiting to replace the file
  data.resize(have);
  return std::optional<std::string>(std::move(data));
}

// A directory entry's times can lag a write in progress on NTFS: every read
// is made (the state files are kilobytes; HNS is not read from files here).
std::optional<FileStamp> SettledStampOf(const std::string&) { return std::nullopt; }
std::optional<FileStamp> SettledStampOfNoLink(const std::string&) { return std::nullopt; }
FileSystemKind FileSystemOf(const std::string&) { return FileSystemKind::kUnknown; }

// No stamps on Windows (file_io.h), so nothing is opened.
StampedDirectory::~StampedDirectory() = default;
void StampedDirectory::Close() {}
void StampedDirectory::Check() {}
void StampedDirectory::Open() {}
void StampedDirectory::StopWatching() {}
bool StampedDirectory::TakeEvents() { return false; }
bool StampedDirectory::KeptStampsHold() { return false; }
std::optional<FileStamp> StampedDirectory::SettledStampOf(const std::string&) const {
  return std::nullopt;
}
Result<std::optional<std::string>> StampedDirectory::ReadFile(const std::string& name,
                                                              size_t max_bytes) const {
  if (!IsSafePathComponent(name)) {
    return MakeError(path_ + "/" + name + ": not one file name; not read");
  }
  return ReadWholeFile(path_ + "/" + name, max_bytes);
}

}  // namespace winnet
