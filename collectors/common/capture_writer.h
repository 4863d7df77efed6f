// Writing a replay capture (docs/capture-format.md): each source's Capture
// writes its parts through this, and says what it skipped or failed to read.
#pragma once

#include <string>
#include <vector>

namespace winnet {

struct CaptureReport {
  std::vector<std::string> written;  // paths relative to the capture directory
  std::vector<std::string> skipped;  // parts not captured and why (absent, unavailable)
  std::vector<std::string> errors;   // sources or files that failed; the rest is written
};

class CaptureWriter {
 public:
  CaptureWriter(std::string dir, CaptureReport* report) : dir_(std::move(dir)), report_(report) {}

  // Writes `bytes` to `rel` (a path relative to the capture directory),
  // creating its directories; a failure is recorded as an error.
  void Write(const std::string& rel, const std::string& bytes);
  void Skipped(std::string what) { report_->skipped.push_back(std::move(what)); }
  void Error(std::string what) { report_->errors.push_back(std::move(what)); }

 private:
  std::string dir_;
  CaptureReport* report_;
};

}  // namespace winnet
