#include "exporter/poller.h"

#include <atomic>
#include <future>

#include <spdlog/spdlog.h>

#include "collectors/memory.h"
#include "exporter/collect.h"
#include "exporter/gzip.h"
#include "exporter/join.h"
#include "exporter/node_view.h"
#include "exporter/render.h"
#include "exporter/snapshot_json.h"
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

// One source: its fetch function, its worker, its last good data and status.
template <typename T>
class Slot {
 public:
  Slot(std::string name, std::string where, std::function<Result<std::shared_ptr<const T>>()> fetch)
      : fetch_(std::move(fetch)), worker_(std::make_unique<Worker>(name)) {
    view_.name = std::move(name);
    view_.where = std::move(where);
  }
  Slot(std::string name, std::string unavailable_reason) {
    view_.name = std::move(name);
    view_.available = false;
    view_.unavailable_reason = std::move(unavailable_reason);
  }

  bool available() const { return view_.available; }

  // Posts a fetch unless the previous one is still running.
  void Begin() {
    if (!available() || pending_.valid()) {
      fresh_ = false;
      return;
    }
    auto promise = std::make_shared<std::promise<Result<std::shared_ptr<const T>>>>();
    pending_ = promise->get_future();
    started_ = std::chrono::steady_clock::now();
    fresh_ = true;
    // The job owns what it touches, so a detached hung worker stays safe.
    // The job times itself: a source that answered quickly must not show the
    // wait for a hung one that the poller checked first.
    auto finished = std::make_shared<std::atomic<int64_t>>(0);
    finished_ = finished;
    bool posted = worker_->Post([promise, fetch = fetch_, finished] {
      try {
        auto result = fetch();
        finished->store(std::chrono::steady_clock::now().time_since_epoch().count());
        promise->set_value(std::move(result));
      } catch (const std::exception& e) {
        promise->set_value(MakeError(std::string("unexpected exception: ") + e.what()));
      }
    });
    if (!posted) {
      pending_ = {};
      fresh_ = false;
    }
  }

  // Waits for this cycle's result until `deadline` (only for fetches started
  // this cycle; one still hung from an earlier cycle is merely checked).
  void Finish(std::chrono::steady_clock::time_point deadline, std::chrono::milliseconds timeout) {
    if (!available()) return;
    view_.attempted = true;
    if (!pending_.valid()) return;
    auto status = fresh_ ? pending_.wait_until(deadline) : pending_.wait_for(std::chrono::seconds(0));
    if (status != std::future_status::ready) {
      double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
      Fail("timed out: no answer after " + Seconds(waited) + " (limit " +
               Seconds(std::chrono::duration<double>(timeout).count()) + "), call still running",
           std::chrono::duration<double>(timeout).count());
      view_.in_flight = true;
      return;
    }
    view_.in_flight = false;
    auto end = std::chrono::steady_clock::now();
    if (int64_t f = finished_ ? finished_->load() : 0; f != 0) {
      end = std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(f));
    }
    double took = std::chrono::duration<double>(end - started_).count();
    Result<std::shared_ptr<const T>> r = pending_.get();
    if (r.ok()) {
      Succeed(std::move(*r), took);
    } else {
      Fail(r.error(), took);
    }
  }

  const T* data() const { return data_.get(); }
  // True when this cycle brought data other than the previous cycle's.
  bool TakeChanged() {
    bool c = changed_;
    changed_ = false;
    return c;
  }
  SourceView& view() { return view_; }

 private:
  void Succeed(std::shared_ptr<const T> data, double took) {
    if (!view_.ok) {
      if (failures_ > 0) {
        spdlog::info("source {}: ok again after {} failed poll(s) ({})", view_.name, failures_, view_.where);
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

  std::function<Result<std::shared_ptr<const T>>()> fetch_;
  std::unique_ptr<Worker> worker_;
  std::future<Result<std::shared_ptr<const T>>> pending_;
  std::chrono::steady_clock::time_point started_;
  std::shared_ptr<std::atomic<int64_t>> finished_;  // steady-clock ticks when the job returned
  bool fresh_ = false;
  std::shared_ptr<const T> data_;
  SourceView view_;
  uint64_t failures_ = 0;
  bool changed_ = false;
};

template <typename T, typename Collector, typename S>
std::unique_ptr<Slot<T>> MakeSlot(const std::string& name, std::unique_ptr<S> src,
                                  const std::string& unavailable) {
  if (!src) {
    spdlog::info("source {}: unavailable: {}", name, unavailable);
    return std::make_unique<Slot<T>>(name, unavailable);
  }
  std::shared_ptr<S> shared(std::move(src));
  std::string where = shared->Where();
  // The collector (and the source it owns) lives as long as any job using it.
  auto collector = std::make_shared<Collector>(shared);
  return std::make_unique<Slot<T>>(name, where, [collector] { return (*collector)(); });
}

std::string HealthText(const std::vector<SourceView>& sources) {
  std::string out = "ok: exporter running\n";
  for (const auto& src : sources) {
    out += src.name + ": ";
    if (!src.available) {
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

struct Poller::Slots {
  std::unique_ptr<Slot<IpamState>> ipam;
  std::unique_ptr<Slot<CniState>> cni;
  std::unique_ptr<Slot<HnsCollected>> hns;
  std::unique_ptr<Slot<std::vector<AdapterRow>>> adapters;
  std::unique_ptr<Slot<ContainerdState>> containerd;
};

Poller::Poller(SourceSet sources, PollerOptions options)
    : options_(std::move(options)), slots_(std::make_unique<Slots>()) {
  slots_->ipam = MakeSlot<IpamState, IpamCollector>("ipam_state", std::move(sources.ipam),
                                                     sources.ipam_unavailable);
  slots_->cni = MakeSlot<CniState, CniCollector>("network_state", std::move(sources.cni),
                                                 sources.cni_unavailable);
  slots_->hns = MakeSlot<HnsCollected, HnsCollector>("hns", std::move(sources.hns),
                                                     sources.hns_unavailable);
  slots_->adapters = MakeSlot<std::vector<AdapterRow>, AdapterCollector>(
      "adapters", std::move(sources.adapters), sources.adapters_unavailable);
  slots_->containerd = MakeSlot<ContainerdState, ContainerdCollector>(
      "containerd", std::move(sources.containerd), sources.containerd_unavailable);
  auto empty = std::make_shared<Rendered>();
  empty->health = "starting: no poll cycle finished yet\n";
  current_ = std::move(empty);
}

Poller::~Poller() { Stop(); }

void Poller::Start() {
  thread_ = std::thread([this] { Loop(); });
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

void Poller::RunCycle() {
  auto& s = *slots_;
  auto deadline = std::chrono::steady_clock::now() + options_.timeout;
  s.ipam->Begin();
  s.cni->Begin();
  s.hns->Begin();
  s.adapters->Begin();
  s.containerd->Begin();
  s.ipam->Finish(deadline, options_.timeout);
  s.cni->Finish(deadline, options_.timeout);
  s.hns->Finish(deadline, options_.timeout);
  s.adapters->Finish(deadline, options_.timeout);
  s.containerd->Finish(deadline, options_.timeout);

  // Per-item errors: one log line when their number changes.
  auto items = [](SourceView& view, const std::vector<std::string>& errors) {
    if (!view.ok) return;
    if (errors.size() != view.item_errors.size()) {
      if (errors.empty()) {
        spdlog::info("source {}: all items read again", view.name);
      } else {
        spdlog::warn("source {}: {} item(s) skipped, first: {}", view.name, errors.size(), errors.front());
      }
    }
    view.item_errors = errors;
  };
  if (const HnsCollected* h = s.hns->data()) items(s.hns->view(), h->item_errors);
  if (const ContainerdState* c = s.containerd->data()) items(s.containerd->view(), c->item_errors);

  // Rebuild the data part only when some source brought new data.
  bool changed = s.ipam->TakeChanged();
  changed = s.cni->TakeChanged() || changed;
  changed = s.hns->TakeChanged() || changed;
  changed = s.adapters->TakeChanged() || changed;
  changed = s.containerd->TakeChanged() || changed;
  if (changed || !data_snapshot_) {
    auto snap = std::make_shared<NodeSnapshot>();
    snap->build = options_.build;
    snap->generated_unix = UnixNow();
    NodeInputs in;
    in.ipam = s.ipam->data();
    in.cni = s.cni->data();
    if (const HnsCollected* h = s.hns->data()) {
      in.hns = h->inventory.get();
      in.hns_stats = &h->stats;
    }
    in.adapters = s.adapters->data();
    in.containerd = s.containerd->data();
    BuildSnapshot(in, snap.get());
    if (data_snapshot_) ComputeRates(*data_snapshot_, snap.get());
    data_rendered_ = RenderFamilies(DataFamilies(*snap));
    data_snapshot_ = std::move(snap);
    ReturnFreeMemory();
  }

  auto r = std::make_shared<Rendered>();
  r->cycle = ++cycle_;
  r->sources = {s.ipam->view(), s.cni->view(), s.hns->view(), s.adapters->view(), s.containerd->view()};
  r->snapshot = data_snapshot_;
  r->metrics = MergeRendered(data_rendered_, RenderFamilies(SourceFamilies(r->sources, options_.build)));
  r->health = HealthText(r->sources);
  std::lock_guard<std::mutex> lock(publish_mu_);
  current_ = std::move(r);
}

const std::string& Rendered::MetricsGzip() const {
  std::call_once(gzip_once_, [this] { gzip_ = GzipCompress(metrics); });
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
