#include "collectors/common/file_io.h"

namespace winnet {

namespace {

class PathFileSource : public FileSource {
 public:
  explicit PathFileSource(std::string path) : path_(std::move(path)) {}
  Result<std::optional<std::string>> Read() override { return ReadWholeFile(path_); }
  std::string Where() const override { return path_; }
  std::optional<FileStamp> Stamp() const override { return SettledStampOf(path_); }

 private:
  std::string path_;
};

}  // namespace

std::unique_ptr<FileSource> MakePathFileSource(std::string path) {
  return std::make_unique<PathFileSource>(std::move(path));
}

}  // namespace winnet
