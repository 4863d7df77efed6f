// The hns_service source: hns/service.json, the restart count across polls,
// the caching reader, replay and capture, and the series it renders.
#include "collectors/hns_service/hns_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <vector>

#include "collectors/common/capture_writer.h"
#include "collectors/hns_service/hns_service_source.h"
#include "collectors/registry.h"
#include "exporter/join.h"
#include "exporter/node_view.h"
#include "exporter/render.h"
#include "exporter/snapshot_json.h"
#include "tests/temp_dir.h"
#include "tests/test_util.h"

namespace winnet {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

HnsServiceStatus Stopped() {
  HnsServiceStatus s;
  s.name = "hns";
  s.state = "stopped";
  return s;
}

HnsServiceStatus Running(uint32_t pid, uint64_t threads = 30) {
  HnsServiceStatus s;
  s.name = "hns";
  s.state = "running";
  s.process_id = pid;
  s.start_time_unix = 1000.0 + pid;
  s.threads = threads;
  s.working_set_bytes = 1 << 20;
  return s;
}

constexpr const char* kRunning = R"({"Name":"hns","State":"running","ProcessId":2764,
  "StartTime":1794982302.572,"Threads":41,"WorkingSetBytes":52342784})";

TEST(HnsServiceParse, ReadsEveryField) {
  auto r = ParseHnsServiceJson(kRunning, "hns/service.json");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->name, "hns");
  EXPECT_EQ(r->state, "running");
  EXPECT_TRUE(r->Running());
  EXPECT_EQ(r->process_id, 2764u);
  EXPECT_EQ(r->start_time_unix, 1794982302.572);
  EXPECT_EQ(r->threads, 41u);
  EXPECT_EQ(r->working_set_bytes, 52342784u);
}

TEST(HnsServiceParse, StoppedServiceHasNoProcessFigures) {
  auto r = ParseHnsServiceJson(R"({"State":"stopped","ProcessId":0})", "s.json");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_FALSE(r->Running());
  EXPECT_EQ(r->process_id, 0u);
  EXPECT_FALSE(r->start_time_unix);
  EXPECT_FALSE(r->threads);
  EXPECT_FALSE(r->working_set_bytes);
}

TEST(HnsServiceParse, BadFieldsNameTheFileAndPath) {
  struct Case {
    const char* text;
    const char* expect;
  };
  const Case cases[] = {
      {R"({"ProcessId":1})", "f.json: field State: missing"},
      {R"({"State":"Running","ProcessId":1})",
       "f.json: field State: \"Running\" is not a service "
       "state"},
      {R"({"State":"running"})", "f.json: field ProcessId: missing"},
      {R"({"State":"running","ProcessId":4294967296})", "f.json: field ProcessId: out of range"},
      {R"({"State":"running","ProcessId":-1})", "f.json: field ProcessId: negative value -1"},
      {R"({"State":"running","ProcessId":1,"StartTime":"x"})",
       "f.json: field StartTime: expected a number, got string"},
      {R"({"State":"running","ProcessId":1,"StartTime":-5})",
       "f.json: field StartTime: not a time in Unix seconds"},
      {R"({"State":"running","ProcessId":1,"Threads":1.5})", "f.json: field Threads: number 1.5"},
      {R"({"State":"running","ProcessId":1,"WorkingSetBytes":true})",
       "f.json: field WorkingSetBytes: expected a number, got boolean"},
      {R"([])", "f.json: field (top level): expected an object, got array"},
      {R"({"State":"running",)", "f.json: invalid JSON: "},
  };
  for (const auto& c : cases) {
    auto r = ParseHnsServiceJson(c.text, "f.json");
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_THAT(r.error(), HasSubstr(c.expect)) << c.text;
  }
}

TEST(HnsServiceParse, WriterOutputReadsBackEqual) {
  auto r = ParseHnsServiceJson(kRunning, "a");
  ASSERT_TRUE(r.ok());
  auto again = ParseHnsServiceJson(HnsServiceToJson(*r), "b");
  ASSERT_TRUE(again.ok()) << again.error();
  EXPECT_EQ(*again, *r);
  HnsServiceStatus stopped = Stopped();
  auto s = ParseHnsServiceJson(HnsServiceToJson(stopped), "c");
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_EQ(*s, stopped);
}

TEST(HnsServiceParse, ScmStateNames) {
  EXPECT_EQ(HnsServiceStateName(1), "stopped");
  EXPECT_EQ(HnsServiceStateName(4), "running");
  EXPECT_EQ(HnsServiceStateName(7), "paused");
  EXPECT_EQ(HnsServiceStateName(0), "");
  EXPECT_EQ(HnsServiceStateName(8), "");
  for (uint32_t v = 1; v <= 7; ++v) EXPECT_TRUE(IsHnsServiceStateName(HnsServiceStateName(v)));
  EXPECT_FALSE(IsHnsServiceStateName(""));
}

TEST(HnsRestartTracker, CountsProcessIdChangesOnly) {
  HnsRestartTracker t;
  EXPECT_EQ(t.Observe(0), 0u);    // stopped at start-up: nothing seen
  EXPECT_EQ(t.Observe(100), 0u);  // the first process is not a restart
  EXPECT_EQ(t.Observe(100), 0u);  // the same process
  EXPECT_EQ(t.Observe(200), 1u);  // crashed and restarted between two polls
  EXPECT_EQ(t.Observe(0), 1u);    // stopped: not yet a restart
  EXPECT_EQ(t.Observe(0), 1u);
  EXPECT_EQ(t.Observe(300), 2u);  // started again: a new process
  EXPECT_EQ(t.Observe(300), 2u);
  EXPECT_EQ(t.Observe(200), 3u);  // a reused id that differs from the last one
  EXPECT_EQ(t.restarts(), 3u);
}

// A probe that answers from a list, one answer per Query.
class ScriptedProbe : public HnsServiceProbe {
 public:
  std::vector<Result<HnsServiceStatus>> answers;
  size_t next = 0;
  Result<HnsServiceStatus> Query() override { return answers.at(next++); }
  std::string Where() const override { return "scripted"; }
};

TEST(HnsServiceReader, KeepsTheRestartCountAcrossPollsAndFailures) {
  auto probe = std::make_shared<ScriptedProbe>();
  probe->answers = {Running(10), Running(10), Running(11), MakeError("OpenServiceW(hns): error 5"),
                    Stopped(),   Running(12)};
  auto reader = HnsServiceRegistration().MakeReader(probe);
  auto data = [&]() -> std::shared_ptr<const HnsServiceData> {
    auto r = reader->Read();
    if (!r.ok()) return nullptr;
    return std::static_pointer_cast<const HnsServiceData>(*r);
  };
  auto first = data();
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->restarts, 0u);
  EXPECT_EQ(data(), first);  // unchanged: the same pointer
  auto third = data();
  EXPECT_EQ(third->restarts, 1u);
  EXPECT_EQ(third->status.process_id, 11u);
  auto r = reader->Read();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), "OpenServiceW(hns): error 5");
  auto stopped = data();
  EXPECT_FALSE(stopped->status.Running());
  EXPECT_EQ(stopped->restarts, 1u);
  EXPECT_EQ(data()->restarts, 2u);
}

TEST(HnsServiceReader, ProcessErrorIsAnItemError) {
  auto probe = std::make_shared<ScriptedProbe>();
  HnsServiceStatus s = Running(7);
  s.start_time_unix.reset();
  s.threads.reset();
  s.working_set_bytes.reset();
  s.process_error = "process 7 of service hns: OpenProcess: error 5 (Access is denied.)";
  probe->answers = {s};
  auto reader = HnsServiceRegistration().MakeReader(probe);
  auto r = reader->Read();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(reader->ItemErrors(*r), std::vector<std::string>{s.process_error});
}

TEST(HnsServiceSource, ReplaysTheExampleCapture) {
  auto set = MakeReplaySources(testing::ExampleDir());
  ASSERT_TRUE(set.ok()) << set.error();
  auto d = ReadOnce(*set, kHnsServiceSource);
  ASSERT_TRUE(d.ok()) << d.error();
  EXPECT_EQ((*d)->status.process_id, 2764u);
  EXPECT_EQ((*d)->status.threads, 41u);
  EXPECT_EQ((*d)->restarts, 0u);
}

TEST(HnsServiceSource, CaptureWithoutTheFileIsUnavailableNotFailed) {
  testing::TempDir dir;
  auto set = MakeReplaySources(dir.path());
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->Unavailable("hns_service"), "the capture has no hns/service.json");
}

TEST(HnsServiceSource, LiveOnLinuxIsUnavailable) {
#ifdef _WIN32
  GTEST_SKIP() << "Windows has the SCM";
#else
  auto set = MakeLiveSources(LiveOptions{});
  EXPECT_EQ(set.Unavailable("hns_service"), "HNS exists only on Windows");
#endif
}

TEST(HnsServiceSource, CaptureWritesWhatReplayReads) {
  testing::TempDir dir;
  auto probe = MakeHnsServiceFileProbe(testing::ExampleDir() + "/hns/service.json");
  CaptureReport report;
  CaptureWriter out(dir.path(), &report);
  HnsServiceRegistration().Capture(probe.get(), out);
  ASSERT_TRUE(report.errors.empty()) << report.errors[0];
  EXPECT_EQ(report.written, std::vector<std::string>{"hns/service.json"});
  auto again = MakeHnsServiceFileProbe(dir / "hns/service.json")->Query();
  ASSERT_TRUE(again.ok()) << again.error();
  EXPECT_EQ(*again, *probe->Query());
}

std::string Metrics(const HnsServiceData& d) {
  NodeInputs in;
  in.hns_service = &d;
  NodeSnapshot snap;
  BuildSnapshot(in, &snap);
  return RenderText(DataFamilies(snap));
}

TEST(HnsServiceRender, RunningServiceHasEverySeries) {
  std::string m = Metrics({Running(5, 41), 2});
  EXPECT_THAT(m, HasSubstr("\nwinnet_hns_service_up 1\n"));
  EXPECT_THAT(m, HasSubstr("\nwinnet_hns_service_restarts_total 2\n"));
  EXPECT_THAT(m, HasSubstr("# TYPE winnet_hns_service_restarts_total counter\n"));
  EXPECT_THAT(m, HasSubstr("\nwinnet_hns_process_threads 41\n"));
  EXPECT_THAT(m, HasSubstr("\nwinnet_hns_process_working_set_bytes 1048576\n"));
  EXPECT_THAT(m, HasSubstr("\nwinnet_hns_process_start_time_seconds 1005\n"));
}

TEST(HnsServiceRender, StoppedServiceIsDownWithItsRestartsAndNoProcess) {
  std::string m = Metrics({Stopped(), 3});
  EXPECT_THAT(m, HasSubstr("\nwinnet_hns_service_up 0\n"));
  EXPECT_THAT(m, HasSubstr("\nwinnet_hns_service_restarts_total 3\n"));
  EXPECT_THAT(m, Not(HasSubstr("winnet_hns_process_")));
}

TEST(HnsServiceRender, NoSourceNoSeries) {
  NodeSnapshot snap;
  BuildSnapshot(NodeInputs{}, &snap);
  EXPECT_THAT(RenderText(DataFamilies(snap)), Not(HasSubstr("winnet_hns_service")));
}

NodeSnapshot SnapshotOf(const HnsServiceData& d) {
  NodeInputs in;
  in.hns_service = &d;
  NodeSnapshot snap;
  BuildSnapshot(in, &snap);
  return snap;
}

TEST(HnsServiceNodeView, DownAndTooManyThreadsAreProblems) {
  auto problems = [](const HnsServiceData& d) {
    std::vector<std::string> out;
    for (const auto& p : BuildProblems(SnapshotOf(d), {})) {
      out.push_back(p.kind + ": " + p.subject + ": " + p.detail);
    }
    return out;
  };
  EXPECT_TRUE(problems({Running(5, 200), 0}).empty());
  EXPECT_EQ(problems({Running(5, 201), 0}),
            std::vector<std::string>{"HNS threads high: hns: 201 threads in process 5, more than "
                                     "200: a sign of a deadlocked HNS"});
  EXPECT_EQ(
      problems({Stopped(), 1}),
      std::vector<std::string>{"HNS service down: hns: state stopped (Service Control Manager)"});
}

TEST(HnsServiceNodeView, SnapshotJsonHasTheServiceOrSaysUnknown) {
  auto j = nlohmann::json::parse(SnapshotToJson(SnapshotOf({Running(5, 41), 2})));
  EXPECT_EQ(j["hns_service"]["known"], true);
  EXPECT_EQ(j["hns_service"]["state"], "running");
  EXPECT_EQ(j["hns_service"]["restarts"], 2);
  EXPECT_EQ(j["hns_service"]["threads"], 41);
  auto stopped = nlohmann::json::parse(SnapshotToJson(SnapshotOf({Stopped(), 0})));
  EXPECT_TRUE(stopped["hns_service"]["threads"].is_null());
  auto none = nlohmann::json::parse(SnapshotToJson(NodeSnapshot{}));
  EXPECT_EQ(none["hns_service"], nlohmann::json({{"known", false}}));
}

}  // namespace
}  // namespace winnet
