#include <atomic>

#include "collectors/common/file_io.h"

namespace winnet {

namespace {

class PathFileSource : public FileSource {
 public:
  explicit PathFileSource(std::string path)
      : path_(std::move(path)), dir_(Utf8FromPath(PathFromUtf8(path_).parent_path())) {}
  Result<std::optional<std::string>> Read() override { return ReadWholeFile(path_); }
  std::string Where() const override { return path_; }
  std::optional<FileStamp> Stamp() const override {
    std::optional<FileStamp> stamp = SettledStampOf(path_);
    // Told on the worker, once it can be: whether the poller may stamp it.
    if (stamp && file_system_ == FileSystemKind::kUnknown) {
      file_system_ = FileSystemOf(dir_.empty() ? "." : dir_);
    }
    return stamp;
  }
  std::optional<FileStamp> StampIfQuick() const override {
    if (file_system_ != FileSystemKind::kLocal) return std::nullopt;
    // A link could lead onto a network file system: only the worker follows it.
    return SettledStampOfNoLink(path_);
  }

 private:
  std::string path_;
  std::string dir_;  // the file's directory: its file system, also while the file is missing
  mutable std::atomic<FileSystemKind> file_system_{FileSystemKind::kUnknown};
};

}  // namespace

std::unique_ptr<FileSource> MakePathFileSource(std::string path) {
  return std::make_unique<PathFileSource>(std::move(path));
}

}  // namespace winnet
