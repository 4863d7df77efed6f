// libFuzzer target: from parsed inputs to what the exporter serves. The input
// is up to five documents separated by NUL bytes: azure-vnet-ipam.json,
// azure-vnet.json, HNS /endpoints/, HNS /networks/, adapters.json. Those that
// parse are joined into a snapshot, rendered as /metrics text, the node page,
// the inspect table and the snapshot JSON; every output must be valid UTF-8.
#include <cstdint>
#include <string>
#include <vector>

#include "collectors/adapters/adapters.h"
#include "collectors/cni/cni_state.h"
#include "collectors/hns/hns_v1.h"
#include "collectors/ipam/ipam_state.h"
#include "exporter/join.h"
#include "exporter/node_view.h"
#include "exporter/render.h"
#include "exporter/snapshot_json.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace winnet;
  std::vector<std::string_view> parts;
  std::string_view text = fuzz::AsText(data, size);
  while (parts.size() < 4) {
    auto nul = text.find('\0');
    if (nul == std::string_view::npos) break;
    parts.push_back(text.substr(0, nul));
    text = text.substr(nul + 1);
  }
  parts.push_back(text);
  parts.resize(5);

  NodeInputs in;
  auto ipam = ParseIpamState(parts[0], "ipam");
  if (ipam.ok()) in.ipam = &*ipam;
  auto cni = ParseCniState(parts[1], "cni");
  if (cni.ok()) in.cni = &*cni;
  HnsData hns;
  auto eps = ParseHnsEndpoints(parts[2], "eps");
  auto nets = ParseHnsNetworks(parts[3], "nets");
  if (eps.ok() && nets.ok()) {
    SetHnsEndpoints(*eps, &hns);
    hns.networks = *nets;
    // Stats for every local endpoint, from its position, so rates and sums run.
    uint64_t n = 1;
    for (const auto& e : hns.endpoints) {
      if (!e.remote) {
        hns.stats.emplace_back(e.id, HnsEndpointStats{e.id, n, n * 2, n * 3, n * 4, n % 7, n % 5});
      }
      n = n * 6364136223846793005u + 1;
    }
    in.hns = &hns;
  }
  auto adapters = ParseAdaptersJson(parts[4], "adapters");
  if (adapters.ok()) in.adapters = &*adapters;

  NodeSnapshot prev, snap;
  BuildSnapshot(in, &prev);
  BuildSnapshot(in, &snap);
  prev.generated_unix = 1000;
  snap.generated_unix = 1005;
  ComputeRates(prev, &snap);
  std::vector<SourceView> sources(1);
  sources[0].name = "ipam_state";
  sources[0].error = ipam.ok() ? "" : ipam.error();
  const std::string metrics = RenderText(SnapshotToFamilies(snap));
  fuzz::Check(fuzz::IsUtf8(metrics), "/metrics is UTF-8");
  fuzz::Check(fuzz::IsUtf8(RenderNodePage(snap, sources, "/metrics", 1010)),
              "the node page is UTF-8");
  fuzz::Check(fuzz::IsUtf8(RenderInspect(snap, sources, 1010)), "inspect is UTF-8");
  fuzz::Check(fuzz::IsUtf8(SnapshotToJson(snap, sources)), "the snapshot JSON is UTF-8");
  return 0;
}
