// Command line and config file. Flags follow Prometheus conventions
// (--web.listen-address=…); the JSON config file uses the same names without
// the dashes. Flags win over the file. Pure: tested on every platform.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "collectors/common/live_context.h"
#include "collectors/common/result.h"

namespace winnet {

inline constexpr const char* kDefaultListenAddress = ":10382";

struct Config {
  std::string command = "run";            // run | dump | inspect | capture | service
  std::string service_action;             // service: install | uninstall
  std::vector<std::string> service_args;  // service install: the flags the service runs with
  std::string config_file;
  std::string listen_address = kDefaultListenAddress;
  std::string telemetry_path = "/metrics";
  std::string web_config_file;
  std::string replay_dir;
  std::chrono::milliseconds poll_interval{5000};
  std::chrono::milliseconds poll_timeout{10000};
  std::string log_level = "info";
  std::optional<uint64_t> stale_remote_cycles;  // --hns.stale-remote-cycles; unset: the default
  std::optional<std::chrono::milliseconds> hns_call_timeout;  // --hns.call-timeout
  std::chrono::milliseconds hns_stats_interval{0};            // --hns.stats-interval; 0: every poll
  LiveOptions live;                                           // the flags of the live sources
  std::string dump_format = "prometheus";
  std::string capture_dir;  // capture --out
  bool console = false;     // --console
  bool help = false;
  bool version = false;
};

// Reads a file's text; nullopt when it cannot be read (the parser says which).
using ReadFileFn = std::function<std::optional<std::string>(const std::string&)>;

// args excludes argv[0]. Errors name the flag or key and what was wrong.
Result<Config> ParseConfig(const std::vector<std::string>& args, const ReadFileFn& read_file);

// The flags whose value is a path (a file or directory), with or without the
// leading dashes: "config.file", "--source.replay", …
bool IsPathFlag(std::string_view flag);

// `args` (flags for `service install`) with the value of every path flag made
// absolute by `absolute` (the service starts in System32, where a relative
// path means something else); "none", which turns a source off, stays.
std::vector<std::string> WithAbsolutePaths(
    const std::vector<std::string>& args,
    const std::function<std::string(const std::string&)>& absolute);

// The longest --poll.interval and --poll.timeout.
inline constexpr std::chrono::hours kMaxPollDuration{24};

// "5s", "500ms", "1m", "1m30s", "2h".
std::optional<std::chrono::milliseconds> ParseDuration(const std::string& text);

std::string UsageText();

// The default --hns.call-timeout (docs/hns.md, "Bounded calls").
inline constexpr std::chrono::milliseconds kDefaultHnsCallTimeout{2000};
// The HNS call timeout in effect: the flag, else the default capped at
// 0.4 × --poll.timeout.
std::chrono::milliseconds HnsCallTimeoutOf(const Config& c);

}  // namespace winnet
