#include "exporter/collect.h"

namespace winnet {

namespace {

// Reads an HNS object that must exist.
Result<std::string> GetRequired(HnsSource& src, const std::string& path) {
  auto r = src.Get(path);
  if (!r.ok()) return MakeError("HNS GET " + path + ": " + r.error());
  if (!r->has_value()) return MakeError("HNS GET " + path + ": no response in " + src.Where());
  return std::move(**r);
}

}  // namespace

Result<IpamState> CollectIpam(FileSource& src) {
  auto text = src.Read();
  if (!text.ok()) return MakeError(text.error());
  if (!text->has_value()) return IpamState{};
  return ParseIpamState(**text, src.Where());
}

Result<CniState> CollectCni(FileSource& src) {
  auto text = src.Read();
  if (!text.ok()) return MakeError(text.error());
  if (!text->has_value()) return CniState{};
  return ParseCniState(**text, src.Where());
}

Result<HnsData> CollectHns(HnsSource& src) {
  HnsData data;
  {
    auto text = GetRequired(src, "/endpoints/");
    if (!text.ok()) return MakeError(text.error());
    auto eps = ParseHnsEndpoints(*text, "HNS GET /endpoints/");
    if (!eps.ok()) return MakeError(eps.error());
    data.endpoints = std::move(*eps);
  }
  {
    auto text = GetRequired(src, "/networks/");
    if (!text.ok()) return MakeError(text.error());
    auto nets = ParseHnsNetworks(*text, "HNS GET /networks/");
    if (!nets.ok()) return MakeError(nets.error());
    data.networks = std::move(*nets);
  }
  {
    auto text = src.Get("/policylists/");
    if (!text.ok()) {
      data.item_errors.push_back("HNS GET /policylists/: " + text.error());
    } else if (text->has_value()) {
      auto lists = ParseHnsPolicyLists(**text, "HNS GET /policylists/");
      if (lists.ok()) {
        data.policy_lists = std::move(*lists);
      } else {
        data.item_errors.push_back(lists.error());
      }
    }
  }
  // Stats only for local endpoints: remote ones number in the thousands and
  // have no vNIC (kubernetes PR #109124, windows_exporter #2131).
  for (const auto& e : data.endpoints) {
    if (e.remote) continue;
    std::string path = "/endpointstats/" + e.raw_id;
    auto text = src.Get(path);
    if (!text.ok()) {
      data.item_errors.push_back("HNS GET " + path + ": " + text.error());
      continue;
    }
    if (!text->has_value()) {
      data.item_errors.push_back("HNS GET " + path + ": no response in " + src.Where());
      continue;
    }
    auto stats = ParseHnsEndpointStats(**text, "HNS GET " + path);
    if (!stats.ok()) {
      data.item_errors.push_back(stats.error());
      continue;
    }
    data.stats.emplace_back(e.id, std::move(*stats));
  }
  return data;
}

Result<std::vector<AdapterRow>> CollectAdapters(AdapterSource& src) { return src.List(); }

}  // namespace winnet
