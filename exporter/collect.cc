#include "exporter/collect.h"

#include <cstdint>
#include <functional>
#include <string_view>

#include "collectors/file_io.h"
#include "collectors/hcn.h"

namespace winnet {

Fingerprint FingerprintOf(std::string_view text) {
  return Fingerprint{text.size(), std::hash<std::string_view>{}(text)};
}

namespace {

// "<what> N bytes, over the limit of M bytes; not parsed", or "" within the limit.
std::string TooBig(std::string_view what, size_t size, size_t limit) {
  if (size <= limit) return {};
  return std::string(what) + " " + std::to_string(size) + " bytes, over the limit of " +
         std::to_string(limit) + " bytes; not parsed";
}

// Reads an HNS object: nullopt inside when absent; an error when it fails or
// is too large to parse.
Result<std::optional<std::string>> GetHns(HnsSource& src, const std::string& path) {
  auto r = src.Get(path);
  if (!r.ok()) return MakeError("HNS GET " + path + ": " + r.error());
  if (r->has_value()) {
    if (auto e = TooBig("HNS GET " + path + ": response is", (*r)->size(), kMaxHnsResponseBytes);
        !e.empty()) {
      return MakeError(e);
    }
  }
  return r;
}

// Reads an HNS object that must exist.
Result<std::string> GetRequired(HnsSource& src, const std::string& path) {
  auto r = GetHns(src, path);
  if (!r.ok()) return MakeError(r.error());
  if (!r->has_value()) return MakeError("HNS GET " + path + ": no response in " + src.Where());
  return std::move(**r);
}

// A shared_ptr that does not own: the one-shot helpers below borrow the source.
template <typename S>
std::shared_ptr<S> Borrow(S& src) {
  return std::shared_ptr<S>(std::shared_ptr<void>(), &src);
}

}  // namespace

Result<IpamState> CollectIpam(FileSource& src) {
  auto r = IpamCollector(Borrow(src))();
  if (!r.ok()) return MakeError(r.error());
  return **r;
}

Result<CniState> CollectCni(FileSource& src) {
  auto r = CniCollector(Borrow(src))();
  if (!r.ok()) return MakeError(r.error());
  return **r;
}

Result<HnsData> CollectHns(HnsSource& src) {
  auto r = HnsCollector(Borrow(src))();
  if (!r.ok()) return MakeError(r.error());
  HnsData data = *(*r)->inventory;
  data.stats = (*r)->stats;
  data.item_errors = (*r)->item_errors;
  return data;
}

Result<std::vector<AdapterRow>> CollectAdapters(AdapterSource& src) { return src.List(); }

Result<ContainerdState> CollectContainerd(ContainerdSource& src) {
  auto r = ContainerdCollector(Borrow(src))();
  if (!r.ok()) return MakeError(r.error());
  return **r;
}

}  // namespace winnet

namespace winnet {

namespace {

template <typename T, typename Parse>
Result<std::shared_ptr<const T>> CachedFile(FileSource& src, std::optional<Fingerprint>& last_text,
                                            std::shared_ptr<const T>& last, Parse parse) {
  auto text = src.Read();
  if (!text.ok()) return MakeError(text.error());
  if (text->has_value()) {
    // ReadWholeFile already refuses larger files; this holds for any source.
    if (auto e = TooBig(src.Where() + ": file is", (*text)->size(), kMaxStateFileBytes);
        !e.empty()) {
      return MakeError(e);
    }
  }
  // Absent: fingerprint of size max, so it differs from any content.
  Fingerprint fp = text->has_value() ? FingerprintOf(**text) : Fingerprint{SIZE_MAX, 0};
  if (last && last_text == fp) return last;
  if (!text->has_value()) {
    last = std::make_shared<const T>();
  } else {
    auto parsed = parse(**text, src.Where());
    if (!parsed.ok()) return MakeError(parsed.error());
    last = std::make_shared<const T>(std::move(*parsed));
  }
  last_text = fp;
  return last;
}

}  // namespace

Result<std::shared_ptr<const IpamState>> IpamCollector::operator()() {
  return CachedFile<IpamState>(*src_, last_text_, last_, ParseIpamState);
}

Result<std::shared_ptr<const CniState>> CniCollector::operator()() {
  return CachedFile<CniState>(*src_, last_text_, last_, ParseCniState);
}

Result<std::shared_ptr<const HnsCollected>> HnsCollector::operator()() {
  auto endpoints = GetRequired(*src_, "/endpoints/");
  if (!endpoints.ok()) return MakeError(endpoints.error());
  auto networks = GetRequired(*src_, "/networks/");
  if (!networks.ok()) return MakeError(networks.error());
  std::vector<std::string> errors;
  std::optional<std::optional<std::string>> policy_text;  // outer: fetched; inner: present
  if (auto p = GetHns(*src_, "/policylists/"); !p.ok()) {
    errors.push_back(p.error());
  } else {
    policy_text = std::move(*p);
  }
  const Fingerprint eps_fp = FingerprintOf(*endpoints), nets_fp = FingerprintOf(*networks);
  std::optional<std::optional<Fingerprint>> policy_fp;
  if (policy_text) {
    policy_fp.emplace();
    if (policy_text->has_value()) *policy_fp = FingerprintOf(**policy_text);
  }
  if (inventory_ && retry_inventory_ && eps_fp == endpoints_text_ && nets_fp == networks_text_ &&
      policy_fp == policy_text_) {
    // Same v1 answers, some v2 query failed last time: ask v2 again on a copy
    // of the inventory rather than parsing the v1 answers again.
    auto data = std::make_shared<HnsData>(*inventory_);
    data->item_errors.resize(inventory_parse_errors_);
    retry_inventory_ = !AddV2Namespaces(*data, data->item_errors);
    inventory_ = std::move(data);
  } else if (!inventory_ || eps_fp != endpoints_text_ || nets_fp != networks_text_ ||
             policy_fp != policy_text_) {
    auto data = std::make_shared<HnsData>();
    auto eps = ParseHnsEndpoints(*endpoints, "HNS GET /endpoints/");
    if (!eps.ok()) return MakeError(eps.error());
    data->endpoints = std::move(*eps);
    auto nets = ParseHnsNetworks(*networks, "HNS GET /networks/");
    if (!nets.ok()) return MakeError(nets.error());
    data->networks = std::move(*nets);
    if (policy_text && policy_text->has_value()) {
      auto lists = ParseHnsPolicyLists(**policy_text, "HNS GET /policylists/");
      if (lists.ok()) {
        data->policy_lists = std::move(*lists);
      } else {
        data->item_errors.push_back(lists.error());
      }
    }
    inventory_parse_errors_ = data->item_errors.size();
    retry_inventory_ = !AddV2Namespaces(*data, data->item_errors);
    inventory_ = std::move(data);
    endpoints_text_ = eps_fp;
    networks_text_ = nets_fp;
    policy_text_ = policy_fp;
  }
  errors.insert(errors.end(), inventory_->item_errors.begin(), inventory_->item_errors.end());

  // Stats only for local endpoints: remote ones number in the thousands and
  // have no vNIC (kubernetes PR #109124, windows_exporter #2131).
  std::vector<std::pair<std::string, HnsEndpointStats>> stats;
  for (const auto& e : inventory_->endpoints) {
    if (e.remote) continue;
    std::string path = "/endpointstats/" + e.raw_id;
    auto text = GetHns(*src_, path);
    if (!text.ok()) {
      errors.push_back(text.error());
      continue;
    }
    if (!text->has_value()) {
      errors.push_back("HNS GET " + path + ": no response in " + src_->Where());
      continue;
    }
    auto parsed = ParseHnsEndpointStats(**text, "HNS GET " + path);
    if (!parsed.ok()) {
      errors.push_back(parsed.error());
      continue;
    }
    stats.emplace_back(e.id, *parsed);
  }
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

bool HnsCollector::AddV2Namespaces(HnsData& data, std::vector<std::string>& errors) {
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
    const std::string path = "hcn:/endpoints/" + e.raw_id;
    auto text = GetHns(*src_, path);
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

Result<std::shared_ptr<const std::vector<AdapterRow>>> AdapterCollector::operator()() {
  auto rows = src_->List();
  if (!rows.ok()) return MakeError(rows.error());
  if (last_ && *last_ == *rows) return last_;
  last_ = std::make_shared<const std::vector<AdapterRow>>(std::move(*rows));
  return last_;
}

Result<std::shared_ptr<const ContainerdState>> ContainerdCollector::operator()() {
  auto entries = src_->List();
  if (!entries.ok()) return MakeError(entries.error());
  bool changed = !last_ || entries->size() != known_.size();
  std::unordered_map<std::string, Known> now;
  now.reserve(entries->size());
  for (const auto& e : *entries) {
    auto it = known_.find(e.id);
    // A spec that failed is read again each cycle: it may have been half written.
    if (it != known_.end() && it->second.size == e.size && it->second.mtime_ns == e.mtime_ns &&
        it->second.spec) {
      now.emplace(e.id, std::move(it->second));
      continue;
    }
    changed = true;
    Known k;
    k.size = e.size;
    k.mtime_ns = e.mtime_ns;
    const std::string where = src_->Where() + "/" + e.id + "/config.json";
    auto text = src_->Read(e.id);
    if (!text.ok()) {
      k.error = text.error();
    } else if (!text->has_value()) {
      continue;  // removed since the listing
    } else if (auto spec = ParseContainerdSpec(**text, where); !spec.ok()) {
      k.error = spec.error();
    } else {
      k.spec = std::move(*spec);
      k.spec->container_id = e.id;
    }
    now.emplace(e.id, std::move(k));
  }
  known_ = std::move(now);
  if (!changed && last_) return last_;
  auto out = std::make_shared<ContainerdState>();
  for (const auto& e : *entries) {
    auto it = known_.find(e.id);
    if (it == known_.end()) continue;
    if (it->second.spec) {
      out->specs.push_back(*it->second.spec);
    } else {
      out->item_errors.push_back(it->second.error);
    }
  }
  last_ = std::move(out);
  return last_;
}

}  // namespace winnet
