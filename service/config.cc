#include "service/config.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <nlohmann/json.hpp>

#include "collectors/cns/cns_api_source.h"
#include "collectors/common/json_read.h"

namespace winnet {

namespace {

// Keys known to flags and the config file; `file_ok` false: command line only.
struct KeyInfo {
  bool file_ok;
  const char* help;
};

const std::map<std::string, KeyInfo>& Keys() {
  static const std::map<std::string, KeyInfo> keys = {
      {"config.file", {false, "JSON config file; keys are the flag names without dashes"}},
      {"web.listen-address",
       {true, "address to listen on, [host]:port; port 0 picks a free one (default :10382)"}},
      {"web.telemetry-path", {true, "path of the metrics endpoint (default /metrics)"}},
      {"web.config.file",
       {true, "TLS and basic auth settings, exporter-toolkit format (see README)"}},
      {"source.adapters",
       {true, "auto: the kernel's interface counters (live mode); none: off (default auto)"}},
      {"source.replay", {true, "replay a node capture directory instead of the live node"}},
      {"poll.interval", {true, "time between poll cycles (default 5s)"}},
      {"poll.timeout", {true, "how long a cycle waits for one source (default 10s)"}},
      {"log.level", {true, "trace, debug, info, warn or error (default info)"}},
      {"hns.call-timeout",
       {true,
        "the most one HNS /endpointstats/ call may take; a call over it is given up and costs "
        "only its endpoint's stats (default 2s, at most 0.4 x --poll.timeout unless set)"}},
      {"hns.stats-interval",
       {true,
        "how often each local endpoint's HNS stats are read; longer than --poll.interval lowers "
        "the calls to HNS, counters then move in steps (default 0s: every poll)"}},
      {"hns.stale-remote-cycles",
       {true,
        "poll cycles a remote HNS endpoint must stay unreferenced by every load balancer "
        "before it counts as stale (default 6)"}},
      {"cni.ipam-state",
       {true,
        "azure-vnet-ipam.json in live mode (default /var/run/azure-vnet-ipam.json; Windows: in "
        "C:\\k, "
        "else System32)"}},
      {"cni.network-state",
       {true,
        "azure-vnet.json in live mode (default /var/run/azure-vnet.json; Windows: in C:\\k, else "
        "System32)"}},
      {"cni.conflist",
       {true,
        "the CNI's 10-azure.conflist, which tells the network mode (default "
        "/etc/cni/net.d/10-azure.conflist; Windows: C:\\k\\azurecni\\netconf\\10-azure.conflist)"}},
      {"cns.state",
       {true,
        "CNS's azure-cns.json, the network containers and their IP pools (default "
        "/var/lib/azure-network/azure-cns.json; Windows: C:\\k\\azurecns\\azure-cns.json)"}},
      {"cns.endpoint-state",
       {true,
        "CNS's azure-endpoints.json, the endpoints of the stateless CNI (default "
        "/var/run/azure-cns/azure-endpoints.json; Windows: "
        "C:\\k\\azurecns\\azure-endpoints.json)"}},
      {"cni.lock",
       {true,
        "Windows: shared reads the state files under a shared LockFileEx on the CNI's lock file, "
        "keeping the previous read while the CNI holds it; none (default) takes no lock"}},
      {"containerd.state-dir",
       {true,
        "containerd's task state directory, one config.json per container, read to name the pods "
        "of "
        "endpoints azure-vnet.json does not (default "
        "/run/containerd/io.containerd.runtime.v2.task/k8s.io; "
        "Windows: C:\\ProgramData\\containerd\\state\\io.containerd.runtime.v2.task\\k8s.io); "
        "none: off"}},
      {"cns.url",
       {true,
        "CNS's API, asked for every IP's state (POST /debug/ipaddresses) in live mode: "
        "http://<IP address>:<port> (default http://127.0.0.1:10090); none: off"}},
      {"hns.service-name",
       {true,
        "Windows: the service whose state, restarts and process the hns_service source "
        "reports (default hns)"}},
      {"format", {false, "dump output: prometheus (default) or json"}},
      {"out", {false, "capture: the new directory to write the capture into"}},
  };
  return keys;
}

// A key and its value being applied, with where they come from ("flag --", or
// the config file and "key ") for the error message.
struct Setting {
  const std::string& key;
  const std::string& value;
  const std::string& origin;

  Error Bad(const std::string& why) const {
    return MakeError(origin + key + ": \"" + value + "\" " + why);
  }
};

// web.*: the HTTP server's address, metrics path and web config file.
Status ApplyWebSetting(Config& c, const Setting& s) {
  const std::string& key = s.key;
  const std::string& value = s.value;
  if (key == "web.listen-address") {
    if (value.find(':') == std::string::npos) return s.Bad("is not of the form [host]:port");
    c.listen_address = value;
  } else if (key == "web.telemetry-path") {
    if (value.empty() || value[0] != '/') return s.Bad("must start with /");
    c.telemetry_path = value;
  } else if (key == "web.config.file") {
    if (value.empty()) return s.Bad("must name a file");
    c.web_config_file = value;
  }
  return Ok();
}

// poll.interval, poll.timeout and log.level.
Status ApplyPollAndLogSetting(Config& c, const Setting& s) {
  const std::string& key = s.key;
  const std::string& value = s.value;
  if (key == "poll.interval" || key == "poll.timeout") {
    auto d = ParseDuration(value);
    if (!d) return s.Bad("is not a duration (examples: 5s, 500ms, 1m)");
    if (d->count() < 10) return s.Bad("is too short (minimum 10ms)");
    if (*d > kMaxPollDuration) return s.Bad("is too long (maximum 24h)");
    (key == "poll.interval" ? c.poll_interval : c.poll_timeout) = *d;
  } else if (key == "log.level") {
    static const char* kLevels[] = {"trace", "debug", "info", "warn", "error"};
    bool ok = false;
    for (const char* l : kLevels) ok = ok || value == l;
    if (!ok) return s.Bad("is not one of trace, debug, info, warn, error");
    c.log_level = value;
  }
  return Ok();
}

// Where the data comes from: a replay, or the live node's files and counters.
Status ApplySourceSetting(Config& c, const Setting& s) {
  const std::string& key = s.key;
  const std::string& value = s.value;
  if (key == "source.replay") {
    if (value.empty()) return s.Bad("must name a capture directory");
    c.replay_dir = value;
  } else if (key == "cni.ipam-state") {
    c.live.ipam_state_path = value;
  } else if (key == "cni.network-state") {
    c.live.network_state_path = value;
  } else if (key == "cni.conflist") {
    c.live.cni_conflist_path = value;
  } else if (key == "cns.state") {
    c.live.cns_state_path = value;
  } else if (key == "cns.endpoint-state") {
    c.live.cns_endpoint_state_path = value;
  } else if (key == "containerd.state-dir") {
    if (value.empty()) return s.Bad("must name a directory (or none)");
    c.live.containerd_state_dir = value;
  } else if (key == "cni.lock") {
    if (value != "none" && value != "shared") return s.Bad("is not none or shared");
    c.live.lock_state_files = value == "shared";
  } else if (key == "hns.service-name") {
    if (value.empty()) return s.Bad("must name a service");
    c.live.hns_service_name = value;
  } else if (key == "source.adapters") {
    if (value != "auto" && value != "none") return s.Bad("is not auto or none");
    c.live.adapters = value == "auto";
  } else if (key == "cns.url") {
    if (value != "none") {
      if (auto url = ParseCnsUrl(value); !url.ok())
        return MakeError(s.origin + key + ": " + url.error());
    }
    c.live.cns_url = value;
  }
  return Ok();
}

// The settings of one command (capture --out, dump --format) and config.file.
Status ApplyCommandSetting(Config& c, const Setting& s) {
  const std::string& key = s.key;
  const std::string& value = s.value;
  if (key == "out") {
    if (value.empty()) return s.Bad("must name a directory");
    c.capture_dir = value;
  } else if (key == "format") {
    if (value != "prometheus" && value != "json") return s.Bad("is not prometheus or json");
    c.dump_format = value;
  } else if (key == "config.file") {
    c.config_file = value;
  }
  return Ok();
}

// A duration flag of the HNS source; `minimum` 0 allows "0s".
Result<std::chrono::milliseconds> HnsDuration(const Setting& s, std::chrono::milliseconds minimum) {
  auto d = ParseDuration(s.value);
  if (!d) return s.Bad("is not a duration (examples: 2s, 500ms, 1m)");
  if (*d < minimum) return s.Bad("is too short (minimum 10ms)");
  if (*d > kMaxPollDuration) return s.Bad("is too long (maximum 24h)");
  return *d;
}

// hns.*: the HNS checks and call bounds.
Status ApplyHnsSetting(Config& c, const Setting& s) {
  if (s.key == "hns.call-timeout" || s.key == "hns.stats-interval") {
    const bool timeout = s.key == "hns.call-timeout";
    auto d = HnsDuration(s, std::chrono::milliseconds(timeout ? 10 : 0));
    if (!d.ok()) return MakeError(d.error());
    if (timeout) {
      c.hns_call_timeout = *d;
    } else {
      c.hns_stats_interval = *d;
    }
  } else if (s.key == "hns.stale-remote-cycles") {
    uint64_t n = 0;
    const auto* end = s.value.data() + s.value.size();
    auto [ptr, ec] = std::from_chars(s.value.data(), end, n);
    if (s.value.empty() || ec != std::errc() || ptr != end) return s.Bad("is not a whole number");
    if (n < 1 || n > 100000) return s.Bad("is out of range (1 to 100000)");
    c.stale_remote_cycles = n;
  }
  return Ok();
}

// Sets `key` to `value` in `c`, or says why the value is bad; a key that no
// group knows changes nothing.
Status Apply(Config& c, const std::string& key, const std::string& value,
             const std::string& origin) {
  const Setting s{key, value, origin};
  if (key.rfind("web.", 0) == 0) return ApplyWebSetting(c, s);
  if (key.rfind("poll.", 0) == 0 || key == "log.level") return ApplyPollAndLogSetting(c, s);
  if (key.rfind("hns.", 0) == 0 && key != "hns.service-name") return ApplyHnsSetting(c, s);
  if (key.rfind("source.", 0) == 0 || key.rfind("cni.", 0) == 0 || key.rfind("cns.", 0) == 0 ||
      key == "containerd.state-dir" || key == "hns.service-name") {
    return ApplySourceSetting(c, s);
  }
  return ApplyCommandSetting(c, s);
}

// `service install|uninstall`: the action, and the flags (from args[2] on)
// the service is to run with.
Status ParseServiceAction(const std::vector<std::string>& args, Config& c) {
  c.service_action = args.size() > 1 ? args[1] : "";
  if (c.service_action != "install" && c.service_action != "uninstall") {
    return MakeError("service: expected install or uninstall, got \"" + c.service_action + "\"");
  }
  const size_t i = 2;
  if (c.service_action == "uninstall" && i < args.size() && args[i] != "--help" &&
      args[i] != "-h") {
    return MakeError("service uninstall: takes no flags, got \"" + args[i] + "\"");
  }
  for (size_t j = i; j < args.size(); ++j) {
    if (args[j] == "--console") {
      return MakeError("service install: --console is for running in the console");
    }
  }
  c.service_args.assign(args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
  return Ok();
}

// The command (args[0] unless it is a flag) and, for service, its action;
// returns the index of the first flag.
Result<size_t> ParseCommand(const std::vector<std::string>& args, Config& c) {
  size_t i = 0;
  if (!args.empty() && args[0].rfind('-', 0) != 0) {
    c.command = args[0];
    if (c.command != "run" && c.command != "dump" && c.command != "inspect" &&
        c.command != "service" && c.command != "capture") {
      return MakeError("unknown command \"" + c.command +
                       "\" (commands: run, dump, inspect, capture, service)");
    }
    i = 1;
  }
  if (c.command == "service") {
    auto r = ParseServiceAction(args, c);
    if (!r.ok()) return MakeError(r.error());
    i = 2;
  }
  return i;
}

// Sets the flag `a` and returns true if it is one that takes no value.
bool SetSwitch(const std::string& a, Config& c) {
  if (a == "-h" || a == "--help") {
    c.help = true;
  } else if (a == "--version") {
    c.version = true;
  } else if (a == "--console") {
    // Windows: run in the console even when an SCM could be asked (HostProcess
    // pods); elsewhere the exporter always runs in the foreground.
    c.console = true;
  } else {
    return false;
  }
  return true;
}

// Whether the flag --`key` exists and is for `command`.
Status CheckFlagKey(const std::string& key, const std::string& command) {
  if (Keys().count(key) == 0) return MakeError("unknown flag --" + key + " (see --help)");
  if (key == "format" && command != "dump") return MakeError("flag --format is only for dump");
  if (key == "out" && command != "capture") return MakeError("flag --out is only for capture");
  return Ok();
}

// The flags from args[i] on, as (key, value) in order; the ones without a
// value are set in `c` instead.
Status ReadFlags(const std::vector<std::string>& args, size_t i, Config& c,
                 std::vector<std::pair<std::string, std::string>>* flags) {
  for (; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (SetSwitch(a, c)) continue;
    if (a.rfind("--", 0) != 0) return MakeError("unexpected argument \"" + a + "\"");
    std::string key = a.substr(2), value;
    auto eq = key.find('=');
    if (eq != std::string::npos) {
      value = key.substr(eq + 1);
      key = key.substr(0, eq);
    } else {
      if (i + 1 >= args.size()) return MakeError("flag --" + key + " needs a value");
      value = args[++i];
    }
    auto known = CheckFlagKey(key, c.command);
    if (!known.ok()) return MakeError(known.error());
    flags->emplace_back(key, value);
  }
  return Ok();
}

// Applies the settings of the JSON file c.config_file.
Status ApplyConfigFile(Config& c, const ReadFileFn& read_file) {
  auto text = read_file(c.config_file);
  if (!text) return MakeError("--config.file: cannot read \"" + c.config_file + "\"");
  auto doc = jsonr::Parse(*text, c.config_file);
  if (!doc.ok()) return MakeError("--config.file: " + doc.error());
  if (!doc->is_object()) {
    return MakeError("--config.file: " + c.config_file + ": expected a JSON object of settings");
  }
  for (const auto& [key, value] : doc->items()) {
    auto it = Keys().find(key);
    if (it == Keys().end() || !it->second.file_ok) {
      return MakeError("--config.file: " + c.config_file + ": unknown key \"" + key + "\"");
    }
    if (!value.is_string()) {
      return MakeError("--config.file: " + c.config_file + ": key \"" + key +
                       "\": expected a string, got " + jsonr::TypeName(value));
    }
    auto r = Apply(c, key, value.get<std::string>(), "--config.file " + c.config_file + ": key ");
    if (!r.ok()) return MakeError(r.error());
  }
  return Ok();
}

}  // namespace

bool IsPathFlag(std::string_view flag) {
  while (flag.starts_with("-")) flag.remove_prefix(1);
  static constexpr std::string_view kPathFlags[] = {
      "config.file",       "source.replay",   "cni.ipam-state",
      "cni.network-state", "web.config.file", "containerd.state-dir",
      "cni.conflist",      "cns.state",       "cns.endpoint-state"};
  for (auto f : kPathFlags) {
    if (flag == f) return true;
  }
  return false;
}

std::vector<std::string> WithAbsolutePaths(
    const std::vector<std::string>& args,
    const std::function<std::string(const std::string&)>& absolute) {
  auto path = [&](const std::string& value) { return value == "none" ? value : absolute(value); };
  std::vector<std::string> out;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const auto eq = a.find('=');
    if (eq != std::string::npos && IsPathFlag(a.substr(0, eq))) {
      out.push_back(a.substr(0, eq + 1) + path(a.substr(eq + 1)));
    } else if (eq == std::string::npos && a.starts_with("-") && IsPathFlag(a) &&
               i + 1 < args.size()) {
      out.push_back(a);
      out.push_back(path(args[++i]));
    } else {
      out.push_back(a);
    }
  }
  return out;
}

// Where ParseDuration stops adding (100 days).
constexpr long long kDurationCeilingMs = 100LL * 24 * 3600 * 1000;

std::optional<std::chrono::milliseconds> ParseDuration(const std::string& text) {
  if (text.empty()) return std::nullopt;
  long long total_ms = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    long long n = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      n = n * 10 + (text[i] - '0');
      if (n > 1000000000LL) return std::nullopt;
      ++i;
    }
    if (i == start) return std::nullopt;
    size_t ustart = i;
    while (i < text.size() && (text[i] < '0' || text[i] > '9')) ++i;
    std::string unit = text.substr(ustart, i - ustart);
    if (unit == "ms") {
      total_ms += n;
    } else if (unit == "s") {
      total_ms += n * 1000;
    } else if (unit == "m") {
      total_ms += n * 60000;
    } else if (unit == "h") {
      total_ms += n * 3600000;
    } else {
      return std::nullopt;
    }
    // Saturates far above any accepted value: each component is at most
    // 10^9 h, so the sum never overflows however many there are.
    total_ms = std::min(total_ms, kDurationCeilingMs);
  }
  return std::chrono::milliseconds(total_ms);
}

Result<Config> ParseConfig(const std::vector<std::string>& args, const ReadFileFn& read_file) {
  Config c;
  auto first_flag = ParseCommand(args, c);
  if (!first_flag.ok()) return MakeError(first_flag.error());
  std::vector<std::pair<std::string, std::string>> flags;
  auto read = ReadFlags(args, *first_flag, c, &flags);
  if (!read.ok()) return MakeError(read.error());
  for (const auto& [k, v] : flags) {
    if (k == "config.file") c.config_file = v;
  }
  if (!c.config_file.empty()) {
    auto applied = ApplyConfigFile(c, read_file);
    if (!applied.ok()) return MakeError(applied.error());
  }
  for (const auto& [k, v] : flags) {
    auto r = Apply(c, k, v, "flag --");
    if (!r.ok()) return MakeError(r.error());
  }
  if (c.command == "capture" && c.capture_dir.empty() && !c.help) {
    return MakeError("capture: --out=DIR is required (a new directory for the capture)");
  }
  if (c.hns_call_timeout && *c.hns_call_timeout >= c.poll_timeout) {
    return MakeError("--hns.call-timeout (" + std::to_string(c.hns_call_timeout->count()) +
                     "ms) must be shorter than --poll.timeout (" +
                     std::to_string(c.poll_timeout.count()) +
                     "ms): a cycle waits for the HNS source at most --poll.timeout");
  }
  return c;
}

std::chrono::milliseconds HnsCallTimeoutOf(const Config& c) {
  if (c.hns_call_timeout) return *c.hns_call_timeout;
  return std::min(kDefaultHnsCallTimeout, c.poll_timeout * 4 / 10);
}

std::string UsageText() {
  std::string out =
      "usage: winnet_exporter [run] [flags]      serve metrics until SIGINT/SIGTERM\n"
      "       winnet_exporter dump [flags]       run one poll cycle, print metrics or JSON, exit\n"
      "       winnet_exporter inspect [flags]    run one poll cycle, print the node map as a "
      "table\n"
      "       winnet_exporter capture --out=DIR [flags]   write what the sources read as a "
      "replayable capture\n"
      "       winnet_exporter service install [flags]   Windows: register the service (it runs "
      "with these flags)\n"
      "       winnet_exporter service uninstall         Windows: stop and remove the "
      "service\n\nflags:\n";
  for (const auto& [k, info] : Keys()) {
    out += "  --" + k + "=VALUE";
    out.append(k.size() < 22 ? 22 - k.size() : 1, ' ');
    out += std::string(info.help) + "\n";
  }
  out += "  --console                     run in the foreground, never as a Windows service\n";
  out += "  --help / --version\n";
  return out;
}

}  // namespace winnet
