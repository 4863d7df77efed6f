#include "collectors/hns_service/hns_service.h"

#include <cmath>

#include "collectors/common/json_read.h"

namespace winnet {

using jsonr::Ctx;
using jsonr::Json;

namespace {

// SERVICE_STOPPED (1) … SERVICE_PAUSED (7), in the SCM's order.
constexpr std::string_view kStateNames[] = {"stopped", "start_pending",    "stop_pending",
                                            "running", "continue_pending", "pause_pending",
                                            "paused"};

// A number of seconds: finite and not negative; absent when unset.
std::optional<double> OptSeconds(const Json& obj, std::string_view key, const Ctx& ctx) {
  const Json* v = jsonr::Find(obj, key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_number()) {
    ctx.Field(key).Fail(std::string("expected a number, got ") + jsonr::TypeName(*v));
  }
  double d = v->get<double>();
  if (!std::isfinite(d) || d < 0) ctx.Field(key).Fail("not a time in Unix seconds");
  return d;
}

std::optional<uint64_t> OptCount(const Json& obj, std::string_view key, const Ctx& ctx) {
  if (jsonr::Find(obj, key) == nullptr) return std::nullopt;
  return jsonr::ReqU64(obj, key, ctx);
}

HnsServiceStatus ReadStatus(const Json& doc, const Ctx& root) {
  jsonr::AsObject(doc, root);
  HnsServiceStatus s;
  s.name = jsonr::OptString(doc, "Name", root);
  s.state = jsonr::ReqString(doc, "State", root);
  if (!IsHnsServiceStateName(s.state)) {
    root.Field("State").Fail("\"" + s.state +
                             "\" is not a service state (stopped, start_pending, stop_pending, "
                             "running, continue_pending, pause_pending, paused)");
  }
  uint64_t pid = jsonr::ReqU64(doc, "ProcessId", root);
  if (pid > UINT32_MAX) root.Field("ProcessId").Fail("out of range");
  s.process_id = static_cast<uint32_t>(pid);
  s.start_time_unix = OptSeconds(doc, "StartTime", root);
  s.threads = OptCount(doc, "Threads", root);
  s.working_set_bytes = OptCount(doc, "WorkingSetBytes", root);
  return s;
}

}  // namespace

std::string_view HnsServiceStateName(uint32_t scm_state) {
  if (scm_state < 1 || scm_state > std::size(kStateNames)) return "";
  return kStateNames[scm_state - 1];
}

bool IsHnsServiceStateName(std::string_view name) {
  for (std::string_view n : kStateNames) {
    if (n == name) return true;
  }
  return false;
}

Result<HnsServiceStatus> ParseHnsServiceJson(std::string_view text, std::string_view file) {
  auto doc = jsonr::Parse(text, file);
  if (!doc.ok()) return MakeError(doc.error());
  try {
    return ReadStatus(*doc, Ctx(file, ""));
  } catch (const jsonr::FieldError& e) {
    return MakeError(e.what());
  }
}

std::string HnsServiceToJson(const HnsServiceStatus& s) {
  Json out = Json::object();
  out["Name"] = s.name;
  out["State"] = s.state;
  out["ProcessId"] = s.process_id;
  if (s.start_time_unix) out["StartTime"] = *s.start_time_unix;
  if (s.threads) out["Threads"] = *s.threads;
  if (s.working_set_bytes) out["WorkingSetBytes"] = *s.working_set_bytes;
  return out.dump(1, '\t') + "\n";
}

uint64_t HnsRestartTracker::Observe(uint32_t process_id) {
  if (process_id == 0) return restarts_;
  if (last_process_id_ != 0 && process_id != last_process_id_) ++restarts_;
  last_process_id_ = process_id;
  return restarts_;
}

}  // namespace winnet
