// The poller: one cycle per interval on a background thread. Each registered
// source (collectors/registry.h) runs on its own worker with a timeout; the last good result of
// each is kept (and marked stale when newer attempts fail). After each cycle the snapshot is
// rendered once and swapped in atomically: a scrape only copies bytes.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "collectors/common/source.h"
#include "exporter/join.h"
#include "exporter/render.h"
#include "exporter/snapshot.h"
#include "exporter/stale_remote.h"
#include "exporter/sticky_pods.h"

namespace winnet {

// What the HTTP server serves; immutable once published (the exposition, its
// gzip and the JSON forms are made on first use, once, then kept: a cycle that
// no scrape reads costs no text).
class Rendered {
 public:
  uint64_t cycle = 0;                            // 0: no cycle finished yet
  std::shared_ptr<const NodeSnapshot> snapshot;  // data part; null before the first cycle
  std::vector<SourceView> sources;

  // The /healthz text: made from `sources` and `snapshot` on first use,
  // unless set.
  const std::string& Health() const;
  void SetHealthText(std::string text);

  // The exposition: the data families (shared with the cycles that did not
  // change them), their counters' new values when only those moved, and this
  // cycle's source families, all written then from `sources` and the values
  // (a cycle no scrape reads writes no text).
  const std::string& Metrics() const;
  void SetMetrics(std::shared_ptr<const RenderedFamilies> data,
                  std::shared_ptr<const DeferredValues> counters, BuildInfo build);
  // The whole exposition as it is (tests).
  void SetMetricsText(std::string text);
  const std::string& MetricsGzip() const;
  // The texts once made, else null: what can be sent without making them.
  const std::string* MetricsIfMade() const { return metrics_made_ ? &metrics_ : nullptr; }
  const std::string* MetricsGzipIfMade() const { return gzip_made_ ? &gzip_ : nullptr; }
  // True once a scrape made the exposition text.
  bool Served() const { return served_; }
  const std::string& SnapshotJson() const;
  // The node map page; `metrics_path` is the same for every call.
  const std::string& NodePage(const std::string& metrics_path) const;

 private:
  std::shared_ptr<const RenderedFamilies> data_families_;
  std::shared_ptr<const DeferredValues> counter_values_;  // null: data_families_ as they are
  BuildInfo build_;
  mutable std::once_flag metrics_once_, gzip_once_, json_once_, page_once_, health_once_;
  mutable std::string metrics_, gzip_, json_, page_, health_;
  mutable std::atomic<bool> served_{false};
  mutable std::atomic<bool> metrics_made_{false}, gzip_made_{false};
};

inline constexpr uint64_t kDefaultStaleRemoteCycles = 6;

struct PollerOptions {
  std::chrono::milliseconds interval{5000};
  std::chrono::milliseconds timeout{10000};  // per source, per cycle
  // Cycles a remote endpoint must stay unreferenced to count as stale
  // (--hns.stale-remote-cycles; docs/metrics.md, "HNS consistency").
  uint64_t stale_remote_cycles = kDefaultStaleRemoteCycles;
  BuildInfo build;
};

class Poller {
 public:
  Poller(SourceSet sources, PollerOptions options);
  ~Poller();
  Poller(const Poller&) = delete;
  Poller& operator=(const Poller&) = delete;

  // Starts the background thread; the first cycle runs at once.
  void Start();
  // Stops and joins the background thread. Idempotent.
  void Stop();
  // Runs one cycle on the calling thread (dump, tests). Not concurrently with Start().
  void RunCycle();

  std::shared_ptr<const Rendered> Current() const;
  // The snapshot of the last cycle with its sources (for tests).
  NodeSnapshot LastSnapshot() const;
  // How often freed memory was given back to the OS (for tests).
  uint64_t memory_returns() const { return memory_returns_; }
  // Cycles that only updated counters instead of joining again (tests).
  uint64_t counter_updates() const { return counter_updates_; }
  // Of those, the ones that kept only the counters' values, to be written
  // into the text of the last render when a scrape reads them
  // (DeferredValues; tests).
  uint64_t values_rewritten() const { return values_rewritten_; }
  // Polls of the source `name` answered without its worker, because its
  // reader could tell that nothing changed (SourceReader::LastIfUnchanged;
  // tests). Not concurrently with a cycle.
  uint64_t PollsWithoutWorker(std::string_view name) const;

 private:
  struct Trackers;
  void Loop();
  // Polls every source; true when some source brought new data.
  bool PollSources();
  // Joins and renders the data part again, or only updates its counters.
  void RebuildData();
  // True when `data` differs from last_data_ only in counters
  // (SourceType::OnlyCountersDiffer).
  bool OnlyCountersChanged(const SourceDataSet& data) const;
  // The last snapshot with the counters of `data`, and its data part with the
  // counter families rendered again (docs/architecture.md, "Only counters
  // changed"); false, nothing done, when the data does not line up.
  bool UpdateCountersOnly(SourceDataSet& data);
  // A cycle without new data: renders the data part again only when the
  // stale remote endpoints changed.
  void UpdateStaleRemote();
  // One cycle: poll, rebuild when something changed, publish.
  void PollAndPublish();
  // Gives freed memory back after rebuilds, not on every one.
  void TrimWhenSettled();

  PollerOptions options_;
  std::unique_ptr<Trackers> trackers_;
  uint64_t cycle_ = 0;

  // Data part of the last render, reused while no source's data changes.
  std::shared_ptr<const NodeSnapshot> data_snapshot_;
  StickyPods sticky_pods_;             // each endpoint's and adapter's pod, kept for its life
  StaleRemoteEndpoints stale_remote_;  // observed once per cycle
  uint64_t stale_changes_served_ = 0;  // stale_remote_.changes() of data_snapshot_
  std::string logged_mode_;  // the network mode last logged, so each change is logged once
  std::shared_ptr<const RenderedFamilies> data_rendered_;
  SeriesOrder series_order_;  // of the data families, across cycles
  // The layouts of data_rendered_, and the counters' values since it was
  // rendered (null: none moved since).
  std::shared_ptr<const ValueLayouts> data_layouts_;
  std::shared_ptr<const DeferredValues> counter_values_;
  // data_rendered_ from a new render of the data families.
  void SetDataRendered(RenderedFamilies rendered);
  // The sources' data of the last rebuild, held so that its pointers stay
  // unique; the HNS inventory and DNS servers its checks were made from.
  SourceDataSet last_data_;
  const void* checked_hns_ = nullptr;
  std::vector<std::string> checked_dns_;
  HnsIpIndex hns_ips_;     // of the inventory in last_data_
  bool trim_due_ = false;  // something freed since the last ReturnFreeMemory
  std::chrono::steady_clock::time_point last_trim_;
  uint64_t memory_returns_ = 0;
  uint64_t counter_updates_ = 0;
  uint64_t values_rewritten_ = 0;

  mutable std::mutex publish_mu_;
  std::shared_ptr<const Rendered> current_;

  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace winnet
