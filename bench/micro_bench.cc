// Google Benchmark microbenchmarks: each parser, join/reconcile, render, a
// whole poll cycle, and the two ways of reading Linux interface counters.
// Sizes: N pods, M remote HNS endpoints, P pool addresses (bench/README.md).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <map>
#include <memory>
#include <tuple>

#include "bench/capture_gen.h"
#include "bench/sysfs_adapters.h"
#include "collectors/adapters/adapter_source.h"
#include "collectors/adapters/adapters.h"
#include "collectors/adapters/live_adapters.h"
#include "collectors/cni/cni_state.h"
#include "collectors/hns/hns_source.h"
#include "collectors/hns/hns_v1.h"
#include "collectors/ipam/ipam_state.h"
#include "collectors/registry.h"
#include "exporter/join.h"
#include "exporter/poller.h"
#include "exporter/render.h"

namespace winnet::bench {
namespace {

using Files = std::map<std::string, std::string>;

const Files& Capture(int pods, int remote, int pool) {
  static std::map<std::tuple<int, int, int>, Files> cache;
  auto key = std::make_tuple(pods, remote, pool);
  auto it = cache.find(key);
  if (it == cache.end()) {
    CaptureSize s;
    s.pods = pods;
    s.remote = remote;
    s.pool = pool;
    it = cache.emplace(key, GenerateCapture(s)).first;
  }
  return it->second;
}

constexpr int kRemote = 5000;
constexpr int kPoolDefault = 256;

void SetBytes(benchmark::State& state, size_t bytes) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}

void BM_ParseIpam(benchmark::State& state) {
  const std::string& text =
      Capture(250, 0, static_cast<int>(state.range(0))).at("azure-vnet-ipam.json");
  for (auto _ : state) {
    auto r = ParseIpamState(text, "azure-vnet-ipam.json");
    if (!r.ok()) state.SkipWithError(r.error().c_str());
    benchmark::DoNotOptimize(r);
  }
  SetBytes(state, text.size());
}
BENCHMARK(BM_ParseIpam)->ArgName("P")->Arg(30)->Arg(256)->Arg(65536)->Unit(benchmark::kMicrosecond);

void BM_ParseCni(benchmark::State& state) {
  const std::string& text =
      Capture(static_cast<int>(state.range(0)), 0, kPoolDefault).at("azure-vnet.json");
  for (auto _ : state) {
    auto r = ParseCniState(text, "azure-vnet.json");
    if (!r.ok()) state.SkipWithError(r.error().c_str());
    benchmark::DoNotOptimize(r);
  }
  SetBytes(state, text.size());
}
BENCHMARK(BM_ParseCni)
    ->ArgName("N")
    ->Arg(10)
    ->Arg(100)
    ->Arg(250)
    ->Arg(1000)
    ->Unit(benchmark::kMicrosecond);

void BM_ParseHnsEndpoints(benchmark::State& state) {
  const std::string& text =
      Capture(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)), kPoolDefault)
          .at("hns/endpoints.json");
  for (auto _ : state) {
    auto r = ParseHnsEndpoints(text, "endpoints");
    if (!r.ok()) state.SkipWithError(r.error().c_str());
    benchmark::DoNotOptimize(r);
  }
  SetBytes(state, text.size());
}
BENCHMARK(BM_ParseHnsEndpoints)
    ->ArgNames({"N", "M"})
    ->Args({10, kRemote})
    ->Args({100, kRemote})
    ->Args({250, kRemote})
    ->Args({1000, kRemote})
    ->Args({250, 0})
    ->Unit(benchmark::kMicrosecond);

void BM_ParseHnsEndpointStats(benchmark::State& state) {
  const Files& f = Capture(10, 0, 30);
  const std::string* text = nullptr;
  for (const auto& [k, v] : f) {
    if (k.rfind("hns/endpointstats/", 0) == 0) text = &v;
  }
  for (auto _ : state) {
    auto r = ParseHnsEndpointStats(*text, "stats");
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ParseHnsEndpointStats)->Unit(benchmark::kMicrosecond);

void BM_ParsePolicyLists(benchmark::State& state) {
  const std::string& text = Capture(250, kRemote, kPoolDefault).at("hns/policylists.json");
  for (auto _ : state) {
    auto r = ParseHnsPolicyLists(text, "policylists");
    benchmark::DoNotOptimize(r);
  }
  SetBytes(state, text.size());
}
BENCHMARK(BM_ParsePolicyLists)->Unit(benchmark::kMicrosecond);

void BM_ParseAdapters(benchmark::State& state) {
  const std::string& text =
      Capture(static_cast<int>(state.range(0)), 0, kPoolDefault).at("adapters.json");
  for (auto _ : state) {
    auto r = ParseAdaptersJson(text, "adapters.json");
    benchmark::DoNotOptimize(r);
  }
  SetBytes(state, text.size());
}
BENCHMARK(BM_ParseAdapters)
    ->ArgName("N")
    ->Arg(10)
    ->Arg(100)
    ->Arg(250)
    ->Arg(1000)
    ->Unit(benchmark::kMicrosecond);

// Parsed inputs of one capture, for the join and render benchmarks.
struct Parsed {
  IpamState ipam;
  CniState cni;
  HnsData hns;
  std::vector<AdapterRow> adapters;
};

std::unique_ptr<Parsed> Parse(int pods, int remote, int pool) {
  const Files& f = Capture(pods, remote, pool);
  auto p = std::make_unique<Parsed>();
  p->ipam = *ParseIpamState(f.at("azure-vnet-ipam.json"), "i");
  p->cni = *ParseCniState(f.at("azure-vnet.json"), "c");
  SetHnsEndpoints(*ParseHnsEndpoints(f.at("hns/endpoints.json"), "e"), &p->hns);
  p->hns.networks = *ParseHnsNetworks(f.at("hns/networks.json"), "n");
  p->hns.policy_lists = *ParseHnsPolicyLists(f.at("hns/policylists.json"), "p");
  for (const auto& e : p->hns.endpoints) {
    if (e.remote) continue;
    p->hns.stats.emplace_back(
        e.id, *ParseHnsEndpointStats(f.at("hns/endpointstats/" + e.raw_id + ".json"), "s"));
  }
  p->adapters = *ParseAdaptersJson(f.at("adapters.json"), "a");
  return p;
}

void BM_JoinReconcile(benchmark::State& state) {
  auto p = Parse(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)),
                 static_cast<int>(state.range(2)));
  for (auto _ : state) {
    NodeSnapshot s;
    BuildSnapshot({&p->ipam, &p->cni, &p->hns, &p->adapters}, &s);
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_JoinReconcile)
    ->ArgNames({"N", "M", "P"})
    ->Args({10, kRemote, kPoolDefault})
    ->Args({100, kRemote, kPoolDefault})
    ->Args({250, kRemote, kPoolDefault})
    ->Args({1000, kRemote, kPoolDefault})
    ->Args({250, kRemote, 30})
    ->Args({250, kRemote, 65536})
    ->Args({250, 0, kPoolDefault})
    ->Unit(benchmark::kMicrosecond);

void BM_Render(benchmark::State& state) {
  auto p = Parse(static_cast<int>(state.range(0)), kRemote, kPoolDefault);
  NodeSnapshot s;
  BuildSnapshot({&p->ipam, &p->cni, &p->hns, &p->adapters}, &s);
  size_t bytes = 0;
  for (auto _ : state) {
    std::string text = RenderText(SnapshotToFamilies(s));
    bytes = text.size();
    benchmark::DoNotOptimize(text);
  }
  state.counters["exposition_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_Render)->ArgName("N")->Arg(10)->Arg(100)->Arg(250)->Arg(1000)->Unit(
    benchmark::kMicrosecond);

std::string WriteTemp(const CaptureSize& size, const std::string& tag) {
  std::string dir = (std::filesystem::temp_directory_path() /
                     ("winnet_bench_" + tag + "_" + std::to_string(size.pods) + "_" +
                      std::to_string(size.remote) + "_" + std::to_string(size.pool)))
                        .string();
  std::filesystem::remove_all(dir);
  std::string err = WriteCapture(dir, size);
  if (!err.empty()) std::fprintf(stderr, "%s\n", err.c_str());
  return dir;
}

CaptureSize SizeOf(const benchmark::State& state) {
  CaptureSize size;
  size.pods = static_cast<int>(state.range(0));
  size.remote = static_cast<int>(state.range(1));
  size.pool = static_cast<int>(state.range(2));
  return size;
}

// Cold cycle: a new poller each time, so every file is read and parsed, then
// joined, reconciled and rendered. Process CPU time (all threads).
void BM_PollCycleCold(benchmark::State& state) {
  std::string dir = WriteTemp(SizeOf(state), "cold");
  PollerOptions o;
  o.timeout = std::chrono::seconds(30);
  size_t bytes = 0;
  for (auto _ : state) {
    Poller poller(MakeReplaySources(dir).value(), o);
    poller.RunCycle();
    bytes = poller.Current()->Metrics().size();
  }
  state.counters["metrics_bytes"] = static_cast<double>(bytes);
  std::filesystem::remove_all(dir);
}

// Steady state on a live node: inventories unchanged, traffic counters (HNS
// endpoint stats and adapter rows) new every cycle. Two captures that differ
// only in counters are alternated under the same poller.
class Alternating : public HnsClient {
 public:
  Alternating(std::shared_ptr<HnsClient> a, std::shared_ptr<HnsClient> b)
      : a_(std::move(a)), b_(std::move(b)) {}
  Result<std::optional<std::string>> Get(const HnsRequest& request) override {
    if (request.call == HnsCall::kListEndpoints) flip_ = !flip_;
    return (flip_ ? a_ : b_)->Get(request);
  }
  std::string Where() const override { return "alternating"; }

 private:
  std::shared_ptr<HnsClient> a_, b_;
  bool flip_ = false;
};

class AlternatingAdapters : public AdapterSource {
 public:
  AlternatingAdapters(std::shared_ptr<AdapterSource> a, std::shared_ptr<AdapterSource> b)
      : a_(std::move(a)), b_(std::move(b)) {}
  Result<std::vector<AdapterRow>> List() override {
    flip_ = !flip_;
    return (flip_ ? a_ : b_)->List();
  }
  std::string Where() const override { return "alternating"; }

 private:
  std::shared_ptr<AdapterSource> a_, b_;
  bool flip_ = false;
};

void BM_PollCycleCountersChanged(benchmark::State& state) {
  CaptureSize a = SizeOf(state), b = SizeOf(state);
  b.counter_seed = 2;
  std::string dir_a = WriteTemp(a, "a"), dir_b = WriteTemp(b, "b");
  auto sa = MakeReplaySources(dir_a);
  auto sb = MakeReplaySources(dir_b);
  sa->Set(kHnsSource, std::make_shared<Alternating>(sa->Share(kHnsSource), sb->Share(kHnsSource)));
  sa->Set(kAdaptersSource, std::make_shared<AlternatingAdapters>(sa->Share(kAdaptersSource),
                                                                 sb->Share(kAdaptersSource)));
  PollerOptions o;
  o.timeout = std::chrono::seconds(30);
  Poller poller(std::move(*sa), o);
  poller.RunCycle();  // the first, full parse is not what this measures
  for (auto _ : state) poller.RunCycle();
  std::filesystem::remove_all(dir_a);
  std::filesystem::remove_all(dir_b);
}

// Nothing changed since the previous cycle (a replayed capture at rest).
void BM_PollCycleUnchanged(benchmark::State& state) {
  std::string dir = WriteTemp(SizeOf(state), "same");
  PollerOptions o;
  o.timeout = std::chrono::seconds(30);
  Poller poller(MakeReplaySources(dir).value(), o);
  poller.RunCycle();
  for (auto _ : state) poller.RunCycle();
  std::filesystem::remove_all(dir);
}

#define CYCLE_ARGS(b)               \
  b->ArgNames({"N", "M", "P"})      \
      ->Args({10, kRemote, 256})    \
      ->Args({100, kRemote, 256})   \
      ->Args({250, kRemote, 256})   \
      ->Args({1000, kRemote, 256})  \
      ->Args({250, kRemote, 65536}) \
      ->Args({250, 0, 30})          \
      ->MeasureProcessCPUTime()     \
      ->UseRealTime()               \
      ->Unit(benchmark::kMillisecond)
CYCLE_ARGS(BENCHMARK(BM_PollCycleCold));
CYCLE_ARGS(BENCHMARK(BM_PollCycleCountersChanged));
CYCLE_ARGS(BENCHMARK(BM_PollCycleUnchanged));

void BM_AdaptersNetlinkDump(benchmark::State& state) {
  auto src = MakeKernelAdapterSource();
  size_t n = 0;
  for (auto _ : state) {
    auto r = src->List();
    if (!r.ok()) state.SkipWithError(r.error().c_str());
    n = r->size();
  }
  state.counters["interfaces"] = static_cast<double>(n);
}
BENCHMARK(BM_AdaptersNetlinkDump)->Unit(benchmark::kMicrosecond);

void BM_AdaptersSysfs(benchmark::State& state) {
  size_t n = 0;
  for (auto _ : state) n = ReadSysfsAdapters().size();
  state.counters["interfaces"] = static_cast<double>(n);
}
BENCHMARK(BM_AdaptersSysfs)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace winnet::bench

BENCHMARK_MAIN();
