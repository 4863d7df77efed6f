// winnet_exporter: parse the command line, set up logging, build the sources,
// then serve (run) or print one cycle (dump). Exit codes: 0 ok, 1 runtime
// failure (e.g. cannot bind), 2 bad flags or config.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <future>
#include <iostream>
#include <thread>

#include "collectors/capture.h"
#include "collectors/common/file_io.h"
#include "collectors/common/memory.h"
#include "collectors/hns/hns_source.h"
#include "collectors/registry.h"
#include "exporter/http_server.h"
#include "exporter/node_view.h"
#include "exporter/poller.h"
#include "service/command_line.h"
#include "service/config.h"
#include "service/service.h"
#include "service/stop_signal.h"
#include "service/version.h"
#include "service/web_config.h"

namespace winnet {
namespace {

// A config file's text (the same bounded, shared read as the state files;
// the path is UTF-8); nullopt when it cannot be read.
std::optional<std::string> ReadTextFile(const std::string& path) {
  auto text = ReadWholeFile(path);
  if (!text.ok()) return std::nullopt;
  return *text;
}

BuildInfo Build() { return BuildInfo{kVersion, kRevision, PlatformName()}; }

// The bounds of the HNS source's calls (docs/hns.md, "Bounded calls"): the
// stats calls of a cycle end before the poll would give up on the source.
HnsCallLimits HnsLimitsOf(const Config& c) {
  HnsCallLimits limits;
  limits.call_timeout = HnsCallTimeoutOf(c);
  limits.stats_interval = c.hns_stats_interval;
  limits.stats_budget = c.poll_timeout * 8 / 10;
  return limits;
}

Result<SourceSet> OpenSources(const Config& c, std::string* description) {
  if (!c.replay_dir.empty()) {
    *description = "replay of " + c.replay_dir;
    return MakeReplaySources(c.replay_dir);
  }
  *description = std::string("live ") + PlatformName() + " node";
  LiveOptions live = c.live;
  // A CNS call ends by itself, with its own reason, just before the poll
  // would give up on it (docs/state-files.md, "CNS API").
  live.cns_timeout = c.poll_timeout * 9 / 10;
  return MakeLiveSources(live);
}

Result<SourceSet> MakeSources(const Config& c, std::string* description) {
  auto set = OpenSources(c, description);
  if (set.ok()) {
    if (HnsClient* hns = set->Get(kHnsSource)) hns->set_limits(HnsLimitsOf(c));
  }
  return set;
}

PollerOptions PollerOptionsOf(const Config& c) {
  PollerOptions po;
  po.interval = c.poll_interval;
  po.timeout = c.poll_timeout;
  if (c.stale_remote_cycles) po.stale_remote_cycles = *c.stale_remote_cycles;
  po.build = Build();
  return po;
}

int Dump(const Config& c) {
  std::string description;
  auto sources = MakeSources(c, &description);
  if (!sources.ok()) {
    spdlog::error("{}", sources.error());
    return 2;
  }
  Poller poller(std::move(*sources), PollerOptionsOf(c));
  poller.RunCycle();
  auto r = poller.Current();
  std::string table;
  if (c.command == "inspect") {
    table = RenderInspect(
        *r->snapshot, r->sources,
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count());
  }
  const std::string& out =
      c.command == "inspect" ? table : (c.dump_format == "json" ? r->SnapshotJson() : r->Metrics());
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  return 0;
}

// Reads every source once and writes a replay capture. A hung call (HNS)
// ends the command after 6 poll timeouts, keeping what was written.
int Capture(const Config& c) {
  std::string description;
  auto sources = MakeSources(c, &description);
  if (!sources.ok()) {
    spdlog::error("{}", sources.error());
    return 2;
  }
  auto set = std::make_shared<SourceSet>(std::move(*sources));
  auto result = std::make_shared<std::promise<Result<CaptureReport>>>();
  auto done = result->get_future();
  std::thread([set, result, dir = c.capture_dir] {
    result->set_value(WriteCapture(*set, dir));
  }).detach();
  const auto limit = 6 * c.poll_timeout;
  if (done.wait_for(limit) != std::future_status::ready) {
    spdlog::error(
        "capture: no answer within {}ms (a hung HNS call?); {} holds what was written so far",
        limit.count(), c.capture_dir);
    return 1;
  }
  auto report = done.get();
  if (!report.ok()) {
    spdlog::error("{}", report.error());
    return 2;
  }
  for (const auto& s : report->skipped) spdlog::info("capture: skipped {}", s);
  for (const auto& e : report->errors) spdlog::error("capture: {}", e);
  spdlog::info("capture of the {}: {} files written to {}{}", description, report->written.size(),
               c.capture_dir, report->errors.empty() ? "" : ", with errors (above)");
  return report->errors.empty() ? 0 : 1;
}

HttpTls TlsOf(const TlsServerConfig& web) {
  HttpTls tls;
  tls.cert_file = web.cert_file;
  tls.key_file = web.key_file;
  tls.client_ca_file = web.client_ca_file;
  tls.require_client_cert = web.client_auth_type == "RequireAndVerifyClientCert";
  tls.verify_client_cert = web.client_auth_type != "NoClientCert";
  tls.tls13_only = web.min_version == "TLS13";
  return tls;
}

// The listener, with TLS and basic auth from --web.config.file; nullopt (the
// reason logged) when the web config cannot be read or is bad.
std::optional<HttpOptions> HttpOptionsOf(const Config& c) {
  HttpOptions ho;
  ho.listen_address = c.listen_address;
  ho.telemetry_path = c.telemetry_path;
  if (c.web_config_file.empty()) return ho;
  auto text = ReadTextFile(c.web_config_file);
  if (!text) {
    spdlog::error("--web.config.file: cannot read \"{}\"", c.web_config_file);
    return std::nullopt;
  }
  auto web = ParseWebConfig(*text, c.web_config_file);
  if (!web.ok()) {
    spdlog::error("--web.config.file: {}", web.error());
    return std::nullopt;
  }
  if (web->tls) ho.tls = TlsOf(*web->tls);
  ho.basic_auth_users = web->basic_auth_users;
  spdlog::info("web config {}: TLS {}{}, basic auth {}", c.web_config_file, ho.tls ? "on" : "off",
               ho.tls && ho.tls->require_client_cert ? " (client certificates required)" : "",
               ho.basic_auth_users.empty()
                   ? "off"
                   : std::to_string(ho.basic_auth_users.size()) + " user(s)");
  return ho;
}

int Run(const Config& c) {
  std::string description;
  auto sources = MakeSources(c, &description);
  if (!sources.ok()) {
    spdlog::error("{}", sources.error());
    return 2;
  }
  spdlog::info(
      "winnet_exporter {} (revision {}, {}) starting: sources: {}; poll every {}ms, timeout {}ms; "
      "HNS stats calls: {}ms each, every {}",
      kVersion, kRevision, PlatformName(), description, c.poll_interval.count(),
      c.poll_timeout.count(), HnsCallTimeoutOf(c).count(),
      c.hns_stats_interval.count() == 0 ? std::string("poll")
                                        : std::to_string(c.hns_stats_interval.count()) + "ms");
  Poller poller(std::move(*sources), PollerOptionsOf(c));
  auto http = HttpOptionsOf(c);
  if (!http) return 2;
  const HttpOptions& ho = *http;
  auto server = HttpServer::Start(ho, [&poller] { return poller.Current(); });
  if (!server.ok()) {
    spdlog::error("{}", server.error());
    // A bad TLS or auth setting is a configuration error, not a runtime one.
    return server.error().rfind("--web.config.file", 0) == 0 ? 2 : 1;
  }
  poller.Start();
  std::string host = (*server)->bound_address();
  std::string url_host = host.rfind("0.0.0.0:", 0) == 0 ? "localhost" + host.substr(7) : host;
  spdlog::info("listening on {} — metrics at {}://{}{}", host, ho.tls ? "https" : "http", url_host,
               c.telemetry_path);
  NotifyServing();

  const char* sig = WaitForStopRequest();
  spdlog::info("received {}, shutting down", sig);
  server->reset();  // stop serving first, then the poller
  poller.Stop();
  spdlog::info("stopped cleanly");
  return 0;
}

}  // namespace
}  // namespace winnet

int main(int argc, char** argv) {
  using namespace winnet;
  PrepareStopSignals();
  TuneAllocator();
  const std::vector<std::string> args = CommandLineArgs(argc, argv);
  auto config = ParseConfig(args, ReadTextFile);
  if (!config.ok()) {
    std::fprintf(stderr, "winnet_exporter: error: %s\n", config.error().c_str());
    return 2;
  }
  if (config->help) {
    std::fputs(UsageText().c_str(), stdout);
    return 0;
  }
  if (config->version) {
    std::printf("winnet_exporter %s (revision %s, %s)\n", kVersion, kRevision, PlatformName());
    return 0;
  }
  auto logger = spdlog::stderr_color_mt("winnet");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(config->log_level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
  if (config->command == "dump" || config->command == "inspect") return Dump(*config);
  if (config->command == "service") return ServiceCommand(*config);
  if (config->command == "capture") return Capture(*config);
  return RunServer(*config, [&config] { return Run(*config); });
}
