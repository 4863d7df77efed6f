// Captures what the exporter logs through spdlog's default logger while a test
// runs, so tests can count and read the lines.
#pragma once

#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <string>
#include <vector>

namespace winnet::testing {

class LogCapture {
 public:
  LogCapture() : previous_(spdlog::default_logger()) {
    sink_ = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(10000);
    sink_->set_pattern("%l %v");
    auto logger = std::make_shared<spdlog::logger>("capture", sink_);
    logger->set_level(spdlog::level::trace);
    spdlog::set_default_logger(logger);
  }
  ~LogCapture() { spdlog::set_default_logger(previous_); }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  // "warn source ipam_state: failing: …", oldest first.
  std::vector<std::string> Lines() const { return sink_->last_formatted(); }

  // Lines containing every one of `parts`.
  std::vector<std::string> Matching(const std::vector<std::string>& parts) const {
    std::vector<std::string> out;
    for (const auto& line : Lines()) {
      bool all = true;
      for (const auto& p : parts) all = all && line.find(p) != std::string::npos;
      if (all) out.push_back(line);
    }
    return out;
  }

  std::string All() const {
    std::string out;
    for (const auto& line : Lines()) out += line;
    return out;
  }

 private:
  std::shared_ptr<spdlog::logger> previous_;
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_;
};

}  // namespace winnet::testing
