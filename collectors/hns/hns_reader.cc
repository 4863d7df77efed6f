#include "collectors/hns/hns_reader.h"

#include "collectors/hns/hcn.h"

namespace winnet {

namespace {

// Reads an HNS object: nullopt inside when absent; an error when it fails or
// is too large to parse.
Result<std::optional<std::string>> GetHns(HnsClient& src, const HnsRequest& request) {
  auto r = src.Get(request);
  if (!r.ok()) return MakeError("HNS GET " + DisplayPath(request) + ": " + r.error());
  if (r->has_value()) {
    if (auto e = TooBig("HNS GET " + DisplayPath(request) + ": response is", (*r)->size(),
                        kMaxHnsResponseBytes);
        !e.empty()) {
      return MakeError(e);
    }
  }
  return r;
}

// Reads an HNS object that must exist.
Result<std::string> GetRequired(HnsClient& src, const HnsRequest& request) {
  auto r = GetHns(src, request);
  if (!r.ok()) return MakeError(r.error());
  if (!r->has_value()) {
    return MakeError("HNS GET " + DisplayPath(request) + ": no response in " + src.Where());
  }
  return std::move(**r);
}

}  // namespace

struct HnsReader::Answers {
  std::string endpoints, networks;
  std::optional<std::optional<std::string>> policy_text;  // outer: fetched; inner: present
  Fingerprint endpoints_fp, networks_fp;
  std::optional<std::optional<Fingerprint>> policy_fp;
};

Result<HnsReader::Answers> HnsReader::FetchLists(std::vector<std::string>& errors) {
  Answers a;
  auto endpoints = GetRequired(*src_, {HnsCall::kListEndpoints, {}});
  if (!endpoints.ok()) return MakeError(endpoints.error());
  auto networks = GetRequired(*src_, {HnsCall::kListNetworks, {}});
  if (!networks.ok()) return MakeError(networks.error());
  a.endpoints = std::move(*endpoints);
  a.networks = std::move(*networks);
  if (auto p = GetHns(*src_, {HnsCall::kListPolicyLists, {}}); !p.ok()) {
    errors.push_back(p.error());
  } else {
    a.policy_text = std::move(*p);
  }
  a.endpoints_fp = FingerprintOf(a.endpoints);
  a.networks_fp = FingerprintOf(a.networks);
  if (a.policy_text) {
    a.policy_fp.emplace();
    if (a.policy_text->has_value()) *a.policy_fp = FingerprintOf(**a.policy_text);
  }
  return a;
}

Result<bool> HnsReader::UpdateInventory(const Answers& a) {
  const bool same = inventory_ && a.endpoints_fp == endpoints_text_ &&
                    a.networks_fp == networks_text_ && a.policy_fp == policy_text_;
  if (same && retry_inventory_) {
    // Same v1 answers, some v2 query failed last time: ask v2 again on a copy
    // of the inventory rather than parsing the v1 answers again.
    auto data = std::make_shared<HnsData>(*inventory_);
    data->item_errors.resize(inventory_parse_errors_);
    retry_inventory_ = !AddV2Namespaces(*data, data->item_errors);
    inventory_ = std::move(data);
    return true;
  }
  if (same) return false;
  auto data = std::make_shared<HnsData>();
  auto eps = ParseHnsEndpoints(a.endpoints, "HNS GET /endpoints/");
  if (!eps.ok()) return MakeError(eps.error());
  data->endpoints = std::move(*eps);
  auto nets = ParseHnsNetworks(a.networks, "HNS GET /networks/");
  if (!nets.ok()) return MakeError(nets.error());
  data->networks = std::move(*nets);
  if (a.policy_text && a.policy_text->has_value()) {
    auto lists = ParseHnsPolicyLists(**a.policy_text, "HNS GET /policylists/");
    if (lists.ok()) {
      data->policy_lists = std::move(*lists);
    } else {
      data->item_errors.push_back(lists.error());
    }
  }
  inventory_parse_errors_ = data->item_errors.size();
  retry_inventory_ = !AddV2Namespaces(*data, data->item_errors);
  inventory_ = std::move(data);
  endpoints_text_ = a.endpoints_fp;
  networks_text_ = a.networks_fp;
  policy_text_ = a.policy_fp;
  return true;
}

// Stats only for local endpoints: remote ones number in the thousands and
// have no vNIC (docs/hns.md, "Endpoint stats").
std::vector<std::pair<std::string, HnsEndpointStats>> HnsReader::ReadStats(
    std::vector<std::string>& errors) {
  std::vector<std::pair<std::string, HnsEndpointStats>> stats;
  for (const auto& e : inventory_->endpoints) {
    if (e.remote) continue;
    const HnsRequest request{HnsCall::kEndpointStats, e.raw_id};
    auto text = GetHns(*src_, request);
    if (!text.ok()) {
      errors.push_back(text.error());
      continue;
    }
    if (!text->has_value()) {
      errors.push_back("HNS GET " + DisplayPath(request) + ": no response in " + src_->Where());
      continue;
    }
    auto parsed = ParseStatsCached(e.id, **text, request);
    if (!parsed.ok()) {
      errors.push_back(parsed.error());
      continue;
    }
    stats.emplace_back(e.id, *parsed);
  }
  return stats;
}

// Stats answers mostly repeat between cycles (idle pods): parsed only when
// the bytes changed.
Result<HnsEndpointStats> HnsReader::ParseStatsCached(const std::string& id, std::string_view text,
                                                     const HnsRequest& request) {
  const Fingerprint fp = FingerprintOf(text);
  if (auto it = stats_cache_.find(id); it != stats_cache_.end() && it->second.first == fp) {
    return it->second.second;
  }
  auto parsed = ParseHnsEndpointStats(text, "HNS GET " + DisplayPath(request));
  if (parsed.ok()) stats_cache_[id] = {fp, *parsed};
  return parsed;
}

// Forgets the cached stats of endpoints that are gone.
void HnsReader::PruneStatsCache(const std::vector<std::pair<std::string, HnsEndpointStats>>& now) {
  if (stats_cache_.size() <= now.size()) return;
  std::unordered_map<std::string, std::pair<Fingerprint, HnsEndpointStats>> kept;
  for (const auto& [id, st] : now) {
    if (auto it = stats_cache_.find(id); it != stats_cache_.end()) kept.insert(*it);
  }
  stats_cache_ = std::move(kept);
}

Result<std::shared_ptr<const HnsCollected>> HnsReader::operator()() {
  std::vector<std::string> errors;
  auto answers = FetchLists(errors);
  if (!answers.ok()) return MakeError(answers.error());
  if (auto updated = UpdateInventory(*answers); !updated.ok()) return MakeError(updated.error());
  errors.insert(errors.end(), inventory_->item_errors.begin(), inventory_->item_errors.end());
  auto stats = ReadStats(errors);
  PruneStatsCache(stats);
  if (last_ && last_->inventory == inventory_ && last_->stats == stats &&
      last_->item_errors == errors) {
    return last_;
  }
  auto out = std::make_shared<HnsCollected>();
  out->inventory = inventory_;
  out->stats = std::move(stats);
  out->item_errors = std::move(errors);
  last_ = out;
  return last_;
}

bool HnsReader::AddV2Namespaces(HnsData& data, std::vector<std::string>& errors) {
  bool complete = true;
  std::unordered_map<std::string, std::string> seen;
  for (auto& e : data.endpoints) {
    if (e.remote) continue;
    // Known from v2 first: a retry works on an inventory already filled in.
    if (auto it = v2_namespace_.find(e.id); it != v2_namespace_.end()) {
      if (e.namespace_id.empty()) e.namespace_id = it->second;
      seen.insert(*it);
      continue;
    }
    if (!e.namespace_id.empty()) continue;  // v1 gave it
    auto text = GetHns(*src_, {HnsCall::kHcnEndpoint, e.raw_id});
    if (!text.ok()) {
      errors.push_back(text.error());
      complete = false;
      continue;
    }
    std::string ns;
    if (text->has_value()) {
      auto parsed = ParseHcnEndpoint(**text, "HCN endpoint " + e.raw_id);
      if (!parsed.ok()) {
        errors.push_back(parsed.error());
        complete = false;
        continue;
      }
      ns = parsed->namespace_id;
    }
    e.namespace_id = ns;
    seen.emplace(e.id, std::move(ns));
  }
  v2_namespace_ = std::move(seen);  // forget endpoints that are gone
  return complete;
}

Result<HnsData> ReadHnsOnce(std::shared_ptr<HnsClient> src) {
  auto r = HnsReader(std::move(src))();
  if (!r.ok()) return MakeError(r.error());
  HnsData data = *(*r)->inventory;
  data.stats = (*r)->stats;
  data.item_errors = (*r)->item_errors;
  return data;
}

}  // namespace winnet
