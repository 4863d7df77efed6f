#include "collectors/capture.h"

#include <filesystem>
#include <fstream>
#include <system_error>

#include "collectors/common/file_io.h"

namespace winnet {

namespace {

namespace fs = std::filesystem;

// An error when `root` exists and is not an empty directory, or cannot be made.
Status PrepareDirectory(const std::string& dir) {
  std::error_code ec;
  const fs::path root = PathFromUtf8(dir);
  if (fs::exists(root, ec)) {
    if (!fs::is_directory(root, ec)) {
      return MakeError("--out: \"" + dir + "\" exists and is not a directory");
    }
    if (!fs::is_empty(root, ec)) {
      return MakeError("--out: \"" + dir + "\" is not empty; name a new directory");
    }
  }
  fs::create_directories(root, ec);
  if (ec) return MakeError("--out: cannot create \"" + dir + "\": " + ec.message());
  return Ok();
}

}  // namespace

void CaptureWriter::Write(const std::string& rel, const std::string& bytes) {
  fs::path p = PathFromUtf8(dir_) / PathFromUtf8(rel);
  std::error_code ec;
  fs::create_directories(p.parent_path(), ec);
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (ec || !out) {
    report_->errors.push_back(rel + ": cannot write into " + dir_);
  } else {
    report_->written.push_back(rel);
  }
}

Result<CaptureReport> WriteCapture(SourceSet& sources, const std::string& dir) {
  if (auto ready = PrepareDirectory(dir); !ready.ok()) return MakeError(ready.error());
  CaptureReport report;
  CaptureWriter out(dir, &report);
  for (const SourceEntry& e : sources.entries) {
    if (!e.opened.raw) {
      out.Skipped(std::string(e.type->capture_part()) + ": " + e.opened.unavailable);
    } else {
      e.type->Capture(e.opened.raw.get(), out);
    }
  }
  return report;
}

}  // namespace winnet
