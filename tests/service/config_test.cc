#include "service/config.h"

#include <gtest/gtest.h>

#include <map>

#include "tests/test_util.h"

namespace winnet {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

ReadFileFn Files(std::map<std::string, std::string> files) {
  return [files](const std::string& p) -> std::optional<std::string> {
    auto it = files.find(p);
    if (it == files.end()) return std::nullopt;
    return it->second;
  };
}

TEST(Config, Defaults) {
  auto c = ParseConfig({}, Files({}));
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->command, "run");
  EXPECT_EQ(c->listen_address, ":10382");
  EXPECT_EQ(c->telemetry_path, "/metrics");
  EXPECT_EQ(c->poll_interval, 5s);
  EXPECT_EQ(c->log_level, "info");
  EXPECT_EQ(c->replay_dir, "");
}

TEST(Config, FlagsInBothForms) {
  auto c = ParseConfig({"--web.listen-address=127.0.0.1:0", "--poll.interval", "250ms",
                        "--source.replay=examples/x", "--log.level=debug"},
                       Files({}));
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->listen_address, "127.0.0.1:0");
  EXPECT_EQ(c->poll_interval, 250ms);
  EXPECT_EQ(c->replay_dir, "examples/x");
  EXPECT_EQ(c->log_level, "debug");
}

TEST(Config, FileValuesApplyAndFlagsWin) {
  auto files = Files({{"c.json", R"({"web.listen-address": ":9999", "poll.interval": "1m",
                                     "log.level": "warn"})"}});
  auto c = ParseConfig({"--config.file=c.json", "--log.level=error"}, files);
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->listen_address, ":9999");
  EXPECT_EQ(c->poll_interval, 60s);
  EXPECT_EQ(c->log_level, "error");  // the flag wins, whatever the order
  c = ParseConfig({"--log.level=error", "--config.file", "c.json"}, files);
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->log_level, "error");
}

TEST(Config, StaleRemoteCycles) {
  auto c = ParseConfig({}, Files({}));
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_FALSE(c->stale_remote_cycles.has_value());
  c = ParseConfig({"--hns.stale-remote-cycles=12"}, Files({}));
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->stale_remote_cycles, 12u);
  for (const char* bad : {"0", "-1", "six", "6s", "", "100001"}) {
    auto r = ParseConfig({std::string("--hns.stale-remote-cycles=") + bad}, Files({}));
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_THAT(r.error(), HasSubstr("hns.stale-remote-cycles")) << bad;
  }
}

TEST(Config, HnsCallBounds) {
  auto c = ParseConfig({}, Files({}));
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(HnsCallTimeoutOf(*c), 2s);
  EXPECT_EQ(c->hns_stats_interval, 0ms);
  c = ParseConfig({"--poll.timeout=1s"}, Files({}));
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(HnsCallTimeoutOf(*c), 400ms) << "the default stays below the poll timeout";
  c = ParseConfig({"--hns.call-timeout=500ms", "--hns.stats-interval=15s"}, Files({}));
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(HnsCallTimeoutOf(*c), 500ms);
  EXPECT_EQ(c->hns_stats_interval, 15s);
  c = ParseConfig({"--hns.stats-interval=0s"}, Files({}));
  ASSERT_TRUE(c.ok()) << c.error();
  for (const char* bad : {"--hns.call-timeout=0s", "--hns.call-timeout=2", "--hns.call-timeout=",
                          "--hns.stats-interval=soon", "--hns.stats-interval=25h"}) {
    auto r = ParseConfig({bad}, Files({}));
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_THAT(r.error(), HasSubstr(std::string(bad).substr(2, 16))) << bad;
  }
  auto r = ParseConfig({"--hns.call-timeout=10s", "--poll.timeout=10s"}, Files({}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(),
            "--hns.call-timeout (10000ms) must be shorter than --poll.timeout (10000ms): a cycle "
            "waits for the HNS source at most --poll.timeout");
}

TEST(Config, ErrorsNameTheKey) {
  struct Case {
    std::vector<std::string> args;
    std::string file;
    std::string expect;
  } cases[] = {
      {{"--web.listen-adress=:1"}, "", "unknown flag --web.listen-adress"},
      {{"--poll.interval=5 seconds"}, "", "flag --poll.interval: \"5 seconds\" is not a duration"},
      {{"--poll.interval=1ms"}, "", "too short"},
      {{"--log.level=verbose"}, "", "flag --log.level: \"verbose\" is not one of"},
      {{"--web.telemetry-path=metrics"}, "", "must start with /"},
      {{"--web.listen-address=10382"},
       "",
       "flag --web.listen-address: \"10382\" is not of the form"},
      {{"--poll.interval"}, "", "flag --poll.interval needs a value"},
      {{"serve"}, "", "unknown command \"serve\""},
      {{"--format=json"}, "", "--format is only for dump"},
      {{"dump", "--format=yaml"}, "", "\"yaml\" is not prometheus or json"},
      {{"--config.file=c.json"},
       R"({"poll.intervall": "5s"})",
       "c.json: unknown key \"poll.intervall\""},
      {{"--config.file=c.json"},
       R"({"poll.interval": 5})",
       "key \"poll.interval\": expected a string, got number"},
      {{"--config.file=c.json"},
       R"({"log.level": "loud"})",
       "key log.level: \"loud\" is not one of"},
      {{"--config.file=c.json"}, R"({"config.file": "x"})", "unknown key \"config.file\""},
      {{"--config.file=c.json"}, R"(["a"])", "expected a JSON object"},
      {{"--config.file=c.json"}, R"({"log.level": )", "invalid JSON"},
      {{"--config.file=missing.json"}, "", "--config.file: cannot read \"missing.json\""},
  };
  for (const auto& c : cases) {
    std::map<std::string, std::string> f;
    if (!c.file.empty()) f["c.json"] = c.file;
    auto r = ParseConfig(c.args, Files(f));
    ASSERT_FALSE(r.ok()) << c.expect;
    EXPECT_THAT(r.error(), HasSubstr(c.expect));
  }
}

TEST(Config, DumpCommand) {
  auto c = ParseConfig({"dump", "--source.replay=x", "--format=json"}, Files({}));
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->command, "dump");
  EXPECT_EQ(c->dump_format, "json");
}

TEST(Config, ServiceCommand) {
  auto c = ParseConfig(
      {"service", "install", "--web.listen-address=:9000", "--poll.interval", "10s"}, Files({}));
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->command, "service");
  EXPECT_EQ(c->service_action, "install");
  EXPECT_EQ(c->listen_address, ":9000");  // validated like a run
  EXPECT_EQ(c->service_args,
            (std::vector<std::string>{"--web.listen-address=:9000", "--poll.interval", "10s"}));
  auto u = ParseConfig({"service", "uninstall"}, Files({}));
  ASSERT_TRUE(u.ok()) << u.error();
  EXPECT_EQ(u->service_action, "uninstall");
  EXPECT_TRUE(u->service_args.empty());

  auto bad = ParseConfig({"service", "start"}, Files({}));
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.error(), HasSubstr("expected install or uninstall"));
  EXPECT_FALSE(ParseConfig({"service"}, Files({})).ok());
  EXPECT_FALSE(ParseConfig({"service", "uninstall", "--poll.interval=1s"}, Files({})).ok());
  EXPECT_FALSE(ParseConfig({"service", "install", "--console"}, Files({})).ok());
  auto flag = ParseConfig({"service", "install", "--poll.interval=soon"}, Files({}));
  ASSERT_FALSE(flag.ok());
  EXPECT_THAT(flag.error(), HasSubstr("--poll.interval"));
}

TEST(Config, CaptureCommand) {
  auto c =
      ParseConfig({"capture", "--out=C:\\support\\node1", "--source.adapters=none"}, Files({}));
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->command, "capture");
  EXPECT_EQ(c->capture_dir, "C:\\support\\node1");
  auto missing = ParseConfig({"capture"}, Files({}));
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.error(), HasSubstr("--out=DIR is required"));
  auto misplaced = ParseConfig({"dump", "--out=x"}, Files({}));
  ASSERT_FALSE(misplaced.ok());
  EXPECT_THAT(misplaced.error(), HasSubstr("--out is only for capture"));
  EXPECT_FALSE(ParseConfig({"--config.file=c.json"}, Files({{"c.json", R"({"out": "x"})"}})).ok());
}

TEST(Config, CniLock) {
  auto c = ParseConfig({"--cni.lock=shared"}, Files({}));
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_TRUE(c->live.lock_state_files);
  EXPECT_FALSE(ParseConfig({}, Files({}))->live.lock_state_files);
  auto bad = ParseConfig({"--cni.lock=exclusive"}, Files({}));
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.error(), HasSubstr("--cni.lock"));
}

TEST(Config, CnsUrl) {
  auto c = ParseConfig({}, Files({}));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->live.cns_url, "");  // the source uses http://127.0.0.1:10090
  c = ParseConfig({"--cns.url=http://127.0.0.1:10091"}, Files({}));
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->live.cns_url, "http://127.0.0.1:10091");
  c = ParseConfig({"--cns.url=none"}, Files({}));
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->live.cns_url, "none");
  c = ParseConfig({"--cns.url=http://localhost:10090"}, Files({}));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error(),
            "flag --cns.url: \"http://localhost:10090\" has host \"localhost\", which is not an IP "
            "address (IPv6 in brackets)");
  auto files = Files({{"c.json", R"({"cns.url": "ftp://127.0.0.1"})"}});
  c = ParseConfig({"--config.file=c.json"}, files);
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.error(), HasSubstr("key cns.url: \"ftp://127.0.0.1\" is not an http:// URL"));
}

TEST(Duration, Forms) {
  EXPECT_EQ(ParseDuration("5s"), 5s);
  EXPECT_EQ(ParseDuration("500ms"), 500ms);
  EXPECT_EQ(ParseDuration("1m30s"), 90s);
  EXPECT_EQ(ParseDuration("2h"), 7200s);
  EXPECT_FALSE(ParseDuration("5"));
  EXPECT_FALSE(ParseDuration("s"));
  EXPECT_FALSE(ParseDuration("-5s"));
  EXPECT_FALSE(ParseDuration("5d"));
}

TEST(Config, PollDurationsAreBoundedWithAClearError) {
  auto too_long = ParseConfig({"--poll.interval=25h"}, Files({}));
  ASSERT_FALSE(too_long.ok());
  EXPECT_NE(too_long.error().find("--poll.interval"), std::string::npos) << too_long.error();
  EXPECT_NE(too_long.error().find("is too long (maximum 24h)"), std::string::npos)
      << too_long.error();
  // 10^9 h per component, many components: saturates instead of overflowing.
  std::string huge;
  for (int i = 0; i < 3000; ++i) huge += "1000000000h";
  auto overflow = ParseConfig({"--poll.timeout=" + huge}, Files({}));
  ASSERT_FALSE(overflow.ok());
  EXPECT_NE(overflow.error().find("is too long"), std::string::npos) << overflow.error();
  auto most = ParseConfig({"--poll.interval=24h", "--poll.timeout=23h59m59s"}, Files({}));
  ASSERT_TRUE(most.ok()) << most.error();
  EXPECT_EQ(most->poll_interval, std::chrono::hours(24));
}

// `service install` writes the flags into the service's command line; the
// service starts in System32, so every path flag must be made absolute.
TEST(Config, ServiceInstallMakesEveryPathFlagAbsolute) {
  auto abs = [](const std::string& p) { return "C:\\work\\" + p; };
  std::vector<std::string> args = {"--config.file=c.json",
                                   "--source.replay",
                                   "cap",
                                   "--cni.ipam-state=i.json",
                                   "--cni.network-state=n.json",
                                   "--web.config.file=w.yml",
                                   "--containerd.state-dir=state",
                                   "--poll.interval=5s",
                                   "--web.listen-address=:1"};
  std::vector<std::string> want = {"--config.file=C:\\work\\c.json",
                                   "--source.replay",
                                   "C:\\work\\cap",
                                   "--cni.ipam-state=C:\\work\\i.json",
                                   "--cni.network-state=C:\\work\\n.json",
                                   "--web.config.file=C:\\work\\w.yml",
                                   "--containerd.state-dir=C:\\work\\state",
                                   "--poll.interval=5s",
                                   "--web.listen-address=:1"};
  EXPECT_EQ(WithAbsolutePaths(args, abs), want);
  // "none" turns the containerd source off: not a path.
  EXPECT_EQ(WithAbsolutePaths({"--containerd.state-dir=none"}, abs),
            std::vector<std::string>{"--containerd.state-dir=none"});
  // Every flag whose value is a path is known as one.
  for (const char* flag : {"config.file", "source.replay", "cni.ipam-state", "cni.network-state",
                           "web.config.file", "containerd.state-dir"}) {
    EXPECT_TRUE(IsPathFlag(flag)) << flag;
  }
  EXPECT_FALSE(IsPathFlag("--web.listen-address"));
}

}  // namespace
}  // namespace winnet
