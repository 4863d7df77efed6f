#include "exporter/poller.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <utility>

#include "collectors/common/memory.h"
#include "collectors/common/source.h"
#include "exporter/gzip.h"
#include "exporter/join.h"
#include "exporter/node_view.h"
#include "exporter/render.h"
#include "exporter/snapshot_json.h"
#include "exporter/thread_name.h"
#include "exporter/worker.h"

namespace winnet {

namespace {

double UnixNow() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string Seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3fs", s);
  return buf;
}

// The fetches posted in one cycle: the poller sleeps once until the last of
// them returns, instead of once per source (docs/architecture.md, "Data flow").
struct FetchRound {
  std::mutex mu;
  std::condition_variable cv;
  size_t unfinished = 0;

  void Started() {
    std::lock_guard<std::mutex> lock(mu);
    ++unfinished;
  }
  void Finished() {
    bool last = false;
    {
      std::lock_guard<std::mutex> lock(mu);
      last = --unfinished == 0;
    }
    if (last) cv.notify_one();  // after the unlock, so the poller does not block on it
  }
  // Until every fetch returned or `deadline` passed.
  void WaitUntil(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait_until(lock, deadline, [this] { return unfinished == 0; });
  }
};

// One fetch's answer, filled by its job on the worker: a promise and future
// with one lock and no once-flag, and the time the job returned (a source
// that answered quickly must not show the wait for a hung one that the poller
// checked first).
class FetchSlot {
 public:
  void Fill(Result<SourceData> result) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      result_ = std::move(result);
      finished_ = std::chrono::steady_clock::now();
    }
    cv_.notify_all();
  }
  // True once filled, waiting until `deadline` at most.
  bool WaitUntil(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_until(lock, deadline, [this] { return result_.has_value(); });
  }
  // Only after WaitUntil returned true.
  Result<SourceData> Take() {
    std::lock_guard<std::mutex> lock(mu_);
    return std::move(*result_);
  }
  std::chrono::steady_clock::time_point finished() {
    std::lock_guard<std::mutex> lock(mu_);
    return finished_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::optional<Result<SourceData>> result_;
  std::chrono::steady_clock::time_point finished_;
};

// One source of the poller: its reader on its own worker, its last good
// data and its status (a SourceView). A call that outlives its timeout keeps
// its worker busy; nothing more is posted to it until it returns.
class SourceTracker {
 public:
  using Fetch = std::function<Result<SourceData>()>;

  SourceTracker(const SourceType& type, std::string where, std::shared_ptr<SourceReader> reader)
      : type_(&type),
        reader_(std::move(reader)),
        worker_(std::make_unique<Worker>("src-" + std::string(type.name()))) {
    view_.name = std::string(type.name());
    view_.where = std::move(where);
  }
  SourceTracker(const SourceType& type, std::string unavailable_reason) : type_(&type) {
    view_.name = std::string(type.name());
    view_.available = false;
    view_.unavailable_reason = std::move(unavailable_reason);
  }

  bool available() const { return view_.available; }
  std::string_view name() const { return type_->name(); }
  const SourceType& type() const { return *type_; }
  std::chrono::milliseconds Timeout(std::chrono::milliseconds poll_timeout) const {
    return type_->timeout().value_or(poll_timeout);
  }

  // Posts a fetch unless the previous one is still running; the fetch
  // counts in `round` until it returns.
  void Begin(const std::shared_ptr<FetchRound>& round) {
    fresh_ = false;
    settled_ = false;
    if (!available() || pending_ || TookUnchanged()) return;
    auto slot = std::make_shared<FetchSlot>();
    pending_ = slot;
    started_ = std::chrono::steady_clock::now();
    fresh_ = true;
    // The job owns what it touches, so a detached hung worker stays safe.
    round->Started();
    bool posted = worker_->Post([slot, reader = reader_, round] {
      try {
        slot->Fill(reader->Read());
      } catch (const std::exception& e) {
        slot->Fill(MakeError(std::string("unexpected exception: ") + e.what()));
      } catch (...) {
        slot->Fill(MakeError("unexpected exception (not a std::exception)"));
      }
      round->Finished();
    });
    if (!posted) {
      round->Finished();
      pending_.reset();
      fresh_ = false;
    }
  }

  // Waits for this cycle's result until `deadline` (only for fetches started
  // this cycle; one still hung from an earlier cycle is merely checked).
  void Finish(std::chrono::steady_clock::time_point deadline, std::chrono::milliseconds timeout) {
    if (!available()) return;
    view_.attempted = true;
    if (!pending_) return;
    const bool ready = pending_->WaitUntil(fresh_ ? deadline : std::chrono::steady_clock::now());
    if (!ready) {
      TimedOut(timeout);
      return;
    }
    view_.in_flight = false;
    const auto end = pending_->finished();
    double took = std::chrono::duration<double>(end - started_).count();
    Result<SourceData> r = pending_->Take();
    pending_.reset();
    if (r.ok()) {
      Succeed(std::move(*r), took);
    } else {
      Fail(r.error(), took);
    }
  }

  // Polls that took the last data without the worker (TookUnchanged).
  uint64_t unchanged_without_worker() const { return unchanged_without_worker_; }
  // True when this cycle's poll was answered without the worker while the
  // source was ok: where it reads, its item errors and its calls are as the
  // cycle before said.
  bool settled() const { return settled_; }

  const SourceData& data() const { return data_; }
  // True when this cycle brought data other than the previous cycle's.
  bool TakeChanged() {
    bool c = changed_;
    changed_ = false;
    return c;
  }
  SourceView& view() { return view_; }

  // Where the source reads now; one log line when that changed (a state file
  // found in another directory than the one expected at start).
  void UpdateWhere() {
    if (!available()) return;
    std::string where = reader_->Where();
    if (where == view_.where) return;
    spdlog::info("source {}: now reading {} (was {})", view_.name, where, view_.where);
    view_.where = std::move(where);
  }

  // Per-item errors of the data: one log line when their number changes.
  void UpdateItemErrors() {
    if (!data_ || !view_.ok) return;
    std::vector<std::string> errors = reader_->ItemErrors(data_);
    if (errors.size() != view_.item_errors.size()) {
      if (errors.empty()) {
        spdlog::info("source {}: all items read again", view_.name);
      } else {
        spdlog::warn("source {}: {} item(s) skipped, first: {}", view_.name, errors.size(),
                     errors.front());
      }
    }
    view_.item_errors = std::move(errors);
  }

  // The durations of the source's calls so far (sources that time them).
  void UpdateCallDurations() {
    if (available()) view_.call_durations = reader_->CallDurations();
  }

 private:
  // A poll answered on this thread: the reader tells, without a call that
  // may wait, that its last data still holds; its worker is not woken
  // (docs/architecture.md, "Unchanged without a hand-off").
  bool TookUnchanged() {
    const auto start = std::chrono::steady_clock::now();
    SourceData same;
    try {
      same = reader_->LastIfUnchanged();
    } catch (const std::exception& e) {
      spdlog::debug("source {}: quick check failed: {}", view_.name, e.what());
    } catch (...) {
      spdlog::debug("source {}: quick check failed", view_.name);
    }
    if (!same) return false;
    settled_ = view_.ok;
    view_.in_flight = false;
    Succeed(std::move(same),
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    ++unchanged_without_worker_;
    return true;
  }

  void TimedOut(std::chrono::milliseconds timeout) {
    double waited =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    double limit = std::chrono::duration<double>(timeout).count();
    Fail("timed out: no answer after " + Seconds(waited) + " (limit " + Seconds(limit) +
             "), call still running",
         limit);
    view_.in_flight = true;
  }

  void Succeed(SourceData data, double took) {
    if (!view_.ok) {
      if (failures_ > 0) {
        spdlog::info("source {}: ok again after {} failed poll(s) ({})", view_.name, failures_,
                     view_.where);
      } else {
        spdlog::info("source {}: ok ({}, {})", view_.name, view_.where, Seconds(took));
      }
    }
    failures_ = 0;
    if (data != data_) changed_ = true;
    data_ = std::move(data);
    view_.ok = true;
    view_.has_data = true;
    view_.stale = false;
    view_.error.clear();
    view_.duration_seconds = took;
    view_.last_success_unix = UnixNow();
  }

  void Fail(const std::string& error, double took) {
    if (view_.ok || failures_ == 0) {
      spdlog::warn("source {}: failing: {}{}", view_.name, error,
                   data_ ? "; serving its last good data, now stale" : "");
    }
    ++failures_;
    view_.ok = false;
    view_.stale = data_ != nullptr;
    view_.error = error;
    view_.duration_seconds = took;
  }

  const SourceType* type_;
  std::shared_ptr<SourceReader> reader_;  // shared with a job that may outlive us
  std::unique_ptr<Worker> worker_;
  std::shared_ptr<FetchSlot> pending_;  // the fetch not taken yet
  std::chrono::steady_clock::time_point started_;
  bool fresh_ = false;
  SourceData data_;
  SourceView view_;
  uint64_t failures_ = 0;
  bool changed_ = false;
  uint64_t unchanged_without_worker_ = 0;
  bool settled_ = false;
};

std::unique_ptr<SourceTracker> MakeTracker(SourceEntry entry) {
  const SourceType& type = *entry.type;
  if (entry.opened.raw && entry.opened.raw_type != type.raw_type()) {
    entry.opened =
        OpenedRaw::Unavailable("internal error: the source was given a raw source of another type");
  }
  if (!entry.opened.raw) {
    spdlog::info("source {}: unavailable: {}", type.name(), entry.opened.unavailable);
    return std::make_unique<SourceTracker>(type, entry.opened.unavailable);
  }
  // The reader (and the raw source it owns) lives as long as any job using it.
  std::shared_ptr<SourceReader> reader = type.MakeReader(entry.opened.raw);
  return std::make_unique<SourceTracker>(type, entry.opened.where, std::move(reader));
}

// "overlay (10-azure.conflist: azure-vnet, ipam azure-cns, mode overlay)", or
// "unknown (...)" without a conflist naming a known IPAM.
std::string ModeText(const NodeSnapshot* snap) {
  if (snap == nullptr || !snap->conflist_present) return "unknown (no 10-azure.conflist read)";
  std::string conf = "10-azure.conflist: " + (snap->cni_plugin.empty() ? "?" : snap->cni_plugin) +
                     ", ipam " + (snap->cni_ipam.empty() ? "?" : snap->cni_ipam) +
                     (snap->cni_ipam_mode.empty() ? "" : ", mode " + snap->cni_ipam_mode);
  return (snap->network_mode.empty() ? "unknown" : snap->network_mode) + " (" + conf + ")";
}

std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out.empty() ? "none" : out;
}

std::string HealthText(const std::vector<SourceView>& sources, const NodeSnapshot* snap) {
  std::string out = "ok: exporter running\n";
  out += "mode: " + ModeText(snap) + "\n";
  for (const auto& src : sources) {
    out += src.name + ": ";
    if (src.unused_in_mode) {
      out += "not used in this mode (" + snap->network_mode + ")" +
             (src.available && !src.ok && src.attempted ? "; last attempt: " + src.error : "") +
             "\n";
    } else if (!src.available) {
      out += "unavailable: " + src.unavailable_reason + "\n";
    } else if (src.ok) {
      out += "ok (" + src.where + ")\n";
    } else {
      out += std::string("failing") + (src.stale ? ", serving stale data" : ", no data") + ": " +
             src.error + "\n";
    }
    for (const auto& e : src.item_errors) out += "  skipped: " + e + "\n";
  }
  return out;
}

}  // namespace

struct Poller::Trackers {
  std::vector<std::unique_ptr<SourceTracker>> all;  // in registry order
};

Poller::Poller(SourceSet sources, PollerOptions options)
    : options_(std::move(options)),
      trackers_(std::make_unique<Trackers>()),
      stale_remote_(options_.stale_remote_cycles) {
  for (auto& entry : sources.entries) trackers_->all.push_back(MakeTracker(std::move(entry)));
  auto empty = std::make_shared<Rendered>();
  empty->SetHealthText("starting: no poll cycle finished yet\n");
  current_ = std::move(empty);
}

Poller::~Poller() { Stop(); }

void Poller::Start() {
  thread_ = std::thread([this] {
    NameThisThread("winnet-poller");
    Loop();
  });
}

void Poller::Stop() {
  {
    std::lock_guard<std::mutex> lock(stop_mu_);
    stop_ = true;
  }
  stop_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Poller::Loop() {
  for (;;) {
    auto started = std::chrono::steady_clock::now();
    RunCycle();
    std::unique_lock<std::mutex> lock(stop_mu_);
    if (stop_cv_.wait_until(lock, started + options_.interval, [this] { return stop_; })) return;
  }
}

uint64_t Poller::PollsWithoutWorker(std::string_view name) const {
  for (const auto& t : trackers_->all) {
    if (t->name() == name) return t->unchanged_without_worker();
  }
  return 0;
}

bool Poller::PollSources() {
  const auto now = std::chrono::steady_clock::now();
  auto round = std::make_shared<FetchRound>();
  auto first_deadline = std::chrono::steady_clock::time_point::max();
  for (auto& t : trackers_->all) {
    t->Begin(round);
    if (t->available())
      first_deadline = std::min(first_deadline, now + t->Timeout(options_.timeout));
  }
  // One sleep while all answer; after a timeout each is waited for (or
  // checked) below with its own deadline, as if one by one.
  round->WaitUntil(first_deadline);
  for (auto& t : trackers_->all) {
    const auto timeout = t->Timeout(options_.timeout);
    t->Finish(now + timeout, timeout);
  }
  bool changed = false;
  for (auto& t : trackers_->all) {
    if (!t->settled()) {
      t->UpdateWhere();
      t->UpdateItemErrors();
      t->UpdateCallDurations();
    }
    changed = t->TakeChanged() || changed;
  }
  return changed;
}

bool Poller::OnlyCountersChanged(const SourceDataSet& data) const {
  if (!data_snapshot_ || last_data_.data.size() != data.data.size()) return false;
  for (size_t i = 0; i < data.data.size(); ++i) {
    const SourceData& before = last_data_.data[i].second;
    const SourceData& now = data.data[i].second;
    if (before == now) continue;
    if (!before || !now || !trackers_->all[i]->type().OnlyCountersDiffer(before, now)) return false;
  }
  return true;
}

bool Poller::UpdateCountersOnly(SourceDataSet& data) {
  auto snap = std::make_shared<NodeSnapshot>(*data_snapshot_);
  snap->generated_unix = UnixNow();
  if (!UpdateCounters(NodeInputsOf(data), snap.get())) return false;
  ComputeRates(*data_snapshot_, snap.get());
  // The same inventory: the same unreferenced remote endpoints as last time.
  snap->hns_checks.stale_remote_endpoints = stale_remote_.ObserveSameList();
  if (stale_remote_.changes() == stale_changes_served_) {
    // Labels come from what the counters do not change: each counter
    // family's lines stay as they were, but for their values, which a scrape
    // writes into the text of the last render when it first reads them.
    auto deferred = DeferredValues::Of(data_rendered_, data_layouts_, CounterValues(*snap));
    if (deferred) {
      counter_values_ = std::make_shared<const DeferredValues>(*std::move(deferred));
      ++values_rewritten_;
    } else {
      SetDataRendered(
          ReplaceFamilies(*data_rendered_, RenderFamilies(CounterFamilies(*snap), &series_order_)));
    }
  } else {
    stale_changes_served_ = stale_remote_.changes();
    SetDataRendered(RenderFamilies(DataFamilies(*snap), &series_order_));
  }
  last_data_ = std::move(data);
  data_snapshot_ = std::move(snap);
  trim_due_ = true;
  ++counter_updates_;
  return true;
}

void Poller::RebuildData() {
  SourceDataSet data;
  for (auto& t : trackers_->all) data.data.emplace_back(t->name(), t->data());
  if (OnlyCountersChanged(data) && UpdateCountersOnly(data)) return;
  auto snap = std::make_shared<NodeSnapshot>();
  snap->build = options_.build;
  snap->generated_unix = UnixNow();
  NodeInputs in = NodeInputsOf(data);
  // The HNS checks depend on the inventory alone: reused while only counters
  // move. The last cycle's data is held, so an equal pointer is the same object.
  if (data_snapshot_ && in.hns != nullptr && in.hns == checked_hns_ &&
      in.cluster_dns_servers == checked_dns_) {
    in.hns_checks = &data_snapshot_->hns_checks;
  }
  in.hns_ips = &hns_ips_;
  BuildSnapshot(in, snap.get());
  checked_hns_ = in.hns;
  checked_dns_ = in.cluster_dns_servers;
  last_data_ = std::move(data);
  const std::string mode =
      ModeText(snap.get()) + "; not used in this mode: " + Joined(snap->unused_sources);
  if (mode != logged_mode_) {
    spdlog::info("network mode: {}", mode);
    logged_mode_ = mode;
  }
  for (const auto& conflict : sticky_pods_.Apply(*snap)) spdlog::warn("pod mapping: {}", conflict);
  if (data_snapshot_) ComputeRates(*data_snapshot_, snap.get());
  snap->hns_checks.stale_remote_endpoints =
      stale_remote_.Observe(snap->hns_checks.unreferenced_remote_endpoints);
  stale_changes_served_ = stale_remote_.changes();
  SetDataRendered(RenderFamilies(DataFamilies(*snap), &series_order_));
  data_snapshot_ = std::move(snap);
  trim_due_ = true;
}

void Poller::SetDataRendered(RenderedFamilies rendered) {
  data_rendered_ = std::make_shared<const RenderedFamilies>(std::move(rendered));
  // What DeferredValues reads until the next render: never written.
  data_layouts_ = std::make_shared<const ValueLayouts>(series_order_.layouts);
  counter_values_.reset();
}

void Poller::TrimWhenSettled() {
  // malloc_trim walks and consolidates the whole heap: run after every
  // rebuild (counters move every cycle on a live node) it showed in the
  // profile of 200 ms cycles. Trim at most once a second, once something
  // was freed: a rebuilt data part, or the texts scrapes made of a replaced
  // Rendered (made on the HTTP workers, in their own allocator arenas).
  const auto now = std::chrono::steady_clock::now();
  if (!trim_due_ || now - last_trim_ < std::chrono::seconds(1)) return;
  ReturnFreeMemory();
  ++memory_returns_;
  trim_due_ = false;
  last_trim_ = now;
}

void Poller::UpdateStaleRemote() {
  const auto& stale = stale_remote_.ObserveSameList();
  if (stale_remote_.changes() == stale_changes_served_) return;
  stale_changes_served_ = stale_remote_.changes();
  auto snap = std::make_shared<NodeSnapshot>(*data_snapshot_);
  snap->hns_checks.stale_remote_endpoints = stale;
  SetDataRendered(RenderFamilies(DataFamilies(*snap), &series_order_));
  data_snapshot_ = std::move(snap);
}

void Poller::RunCycle() {
  // Nothing thrown in a cycle (std::bad_alloc, or anything else) may end the
  // exporter: the last published data stays served and the next cycle tries
  // again.
  try {
    PollAndPublish();
  } catch (const std::exception& e) {
    spdlog::error("poll cycle failed: {}; still serving the data of cycle {}", e.what(), cycle_);
  } catch (...) {
    spdlog::error(
        "poll cycle failed: an exception that is not a std::exception; still serving "
        "the data of cycle {}",
        cycle_);
  }
}

void Poller::PollAndPublish() {
  // Rebuild the data part only when some source brought new data.
  const bool rebuild = PollSources() || !data_snapshot_;
  if (rebuild) {
    RebuildData();
  } else {
    UpdateStaleRemote();
  }
  auto r = std::make_shared<Rendered>();
  r->cycle = ++cycle_;
  for (auto& t : trackers_->all) {
    r->sources.push_back(t->view());
    const auto& unused = data_snapshot_->unused_sources;
    r->sources.back().unused_in_mode =
        std::find(unused.begin(), unused.end(), r->sources.back().name) != unused.end();
  }
  r->snapshot = data_snapshot_;
  r->SetMetrics(data_rendered_, counter_values_, options_.build);
  std::shared_ptr<const Rendered> replaced;
  {
    std::lock_guard<std::mutex> lock(publish_mu_);
    replaced = std::exchange(current_, std::move(r));
  }
  if (replaced->Served()) trim_due_ = true;
  replaced.reset();  // freed here unless a request still holds it
  TrimWhenSettled();
}

void Rendered::SetMetrics(std::shared_ptr<const RenderedFamilies> data,
                          std::shared_ptr<const DeferredValues> counters, BuildInfo build) {
  data_families_ = std::move(data);
  counter_values_ = std::move(counters);
  build_ = std::move(build);
}

const std::string& Rendered::Health() const {
  std::call_once(health_once_, [this] { health_ = HealthText(sources, snapshot.get()); });
  return health_;
}

void Rendered::SetHealthText(std::string text) {
  std::call_once(health_once_, [&] { health_ = std::move(text); });
}

void Rendered::SetMetricsText(std::string text) {
  std::call_once(metrics_once_, [&] {
    metrics_ = std::move(text);
    metrics_made_ = true;
  });
}

const std::string& Rendered::Metrics() const {
  std::call_once(metrics_once_, [this] {
    served_ = true;
    static const RenderedFamilies kNone;
    metrics_ =
        MergeRendered(data_families_ ? *data_families_ : kNone,
                      RenderFamilies(SourceFamilies(sources, build_)), counter_values_.get());
    metrics_made_ = true;
  });
  return metrics_;
}

const std::string& Rendered::MetricsGzip() const {
  std::call_once(gzip_once_, [this] {
    gzip_ = GzipCompress(Metrics());
    gzip_made_ = true;
  });
  return gzip_;
}

const std::string& Rendered::NodePage(const std::string& metrics_path) const {
  std::call_once(page_once_, [&] {
    if (snapshot) page_ = RenderNodePage(*snapshot, sources, metrics_path, UnixNow());
  });
  return page_;
}

const std::string& Rendered::SnapshotJson() const {
  std::call_once(json_once_, [this] {
    if (snapshot) json_ = SnapshotToJson(*snapshot, sources);
  });
  return json_;
}

std::shared_ptr<const Rendered> Poller::Current() const {
  std::lock_guard<std::mutex> lock(publish_mu_);
  return current_;
}

NodeSnapshot Poller::LastSnapshot() const {
  auto r = Current();
  NodeSnapshot out;
  if (r->snapshot) out = *r->snapshot;
  out.sources = r->sources;
  return out;
}

}  // namespace winnet
