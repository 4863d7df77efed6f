#include "collectors/hns/hns_reader.h"

#include <algorithm>
#include <chrono>

#include "collectors/hns/hcn.h"

namespace winnet {

namespace {

using Clock = std::chrono::steady_clock;
using Answer = Result<std::optional<std::string>>;

// The lists, in the order of HnsReader::ListStamps.
constexpr HnsCall kLists[] = {HnsCall::kListEndpoints, HnsCall::kListNetworks,
                              HnsCall::kListPolicyLists};

// Reads an HNS object: nullopt inside when absent; an error when it fails or
// is too large to parse. The call's duration is observed (by kind of call).
Answer GetHns(HnsClient& src, const HnsRequest& request) {
  const auto start = Clock::now();
  auto r = src.Get(request);
  src.durations().Observe(CallName(request.call),
                          std::chrono::duration<double>(Clock::now() - start).count());
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

std::optional<HnsReader::ListStamps> HnsReader::StampsOfLists() const {
  ListStamps stamps;
  for (size_t i = 0; i < stamps.size(); ++i) {
    auto stamp = src_->AnswerStamp({kLists[i], {}});
    if (!stamp) return std::nullopt;
    stamps[i] = *stamp;
  }
  return stamps;
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
  SetHnsEndpoints(std::move(*eps), data.get());
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

// The stats answers of `due`, one call at a time, each with its deadline
// (docs/hns.md, "Bounded calls"). A call given up returns into `answers`,
// which it shares, after this has returned.
std::vector<SerialCaller::Outcome> HnsReader::CallStats(
    const std::vector<size_t>& due, Clock::time_point deadline,
    std::vector<std::optional<Answer>>& answers_out) {
  if (!caller_) {
    src_->durations().DeclareDeadline(CallName(HnsCall::kEndpointStats));
    caller_ = std::make_unique<SerialCaller>(
        SerialCaller::Limits{src_->limits().call_threads, src_->limits().call_timeout});
  }
  // Every local endpoint is due in most cycles: then the lists made with the
  // inventory are shared as they are.
  auto keys = local_ids_;
  auto requests = local_requests_;
  if (due.size() != locals_.size()) {
    auto some_keys = std::make_shared<std::vector<std::string>>();
    auto some_requests = std::make_shared<std::vector<HnsRequest>>();
    for (size_t i : due) {
      some_keys->push_back((*local_ids_)[i]);
      some_requests->push_back((*local_requests_)[i]);
    }
    keys = std::move(some_keys);
    requests = std::move(some_requests);
  }
  auto answers = std::make_shared<std::vector<std::optional<Answer>>>(due.size());
  auto outcomes = caller_->Run(
      keys,
      [src = src_, requests, answers](size_t i) { (*answers)[i] = GetHns(*src, (*requests)[i]); },
      deadline);
  src_->durations().SetHung(CallName(HnsCall::kEndpointStats), caller_->held());
  answers_out.resize(due.size());
  for (size_t i = 0; i < due.size(); ++i) {
    if (outcomes[i] == SerialCaller::Outcome::kAnswered) answers_out[i] = std::move((*answers)[i]);
    if (outcomes[i] == SerialCaller::Outcome::kTimedOut) {
      src_->durations().CountTimeout(CallName(HnsCall::kEndpointStats));
    }
  }
  return outcomes;
}

// One endpoint's stats from its answer; the error names the request. Stats
// answers mostly repeat between cycles (idle pods): parsed only when the
// bytes differ from those its last stats were parsed from.
Result<HnsReader::StatsRead> HnsReader::StatsOf(const LocalEndpoint& local,
                                                SerialCaller::Outcome outcome,
                                                std::optional<Answer>& answer,
                                                Clock::time_point now,
                                                std::optional<FileStamp> stamp) {
  if (outcome != SerialCaller::Outcome::kAnswered) {
    return MakeError(local.what + ": " + OutcomeText(outcome, *caller_, local.endpoint->id));
  }
  if (!answer->ok()) return MakeError(answer->error());
  if (!(*answer)->has_value()) return MakeError(local.what + ": no response in " + src_->Where());
  const Fingerprint fp = FingerprintOf(***answer);
  if (local.last && local.last->answer == fp) return StatsRead{local.last->stats, now, fp, stamp};
  auto parsed = ParseHnsEndpointStats(***answer, local.what);
  if (!parsed.ok()) return MakeError(parsed.error());
  return StatsRead{std::move(*parsed), now, fp, stamp};
}

// Stats only for local endpoints: remote ones number in the thousands and
// have no vNIC (docs/hns.md, "Endpoint stats"). An endpoint whose stats are
// not due (--hns.stats-interval) or whose call failed keeps its last stats.
void HnsReader::ForgetGoneEndpoints() {
  if (locals_of_ == inventory_) return;
  std::unordered_map<std::string, StatsRead> kept;
  for (auto& local : locals_) {
    if (local.last) kept.emplace(local.endpoint->id, std::move(*local.last));
  }
  locals_.clear();
  auto ids = std::make_shared<std::vector<std::string>>();
  auto requests = std::make_shared<std::vector<HnsRequest>>();
  for (const auto& e : inventory_->endpoints) {
    if (e.remote) continue;
    requests->push_back({HnsCall::kEndpointStats, e.raw_id});
    ids->push_back(e.id);
    LocalEndpoint local{&e, "HNS GET " + DisplayPath(requests->back()), std::nullopt};
    if (auto it = kept.find(e.id); it != kept.end()) local.last = std::move(it->second);
    locals_.push_back(std::move(local));
  }
  local_ids_ = std::move(ids);
  local_requests_ = std::move(requests);
  locals_of_ = inventory_;
  stats_changed_ = true;
}

void HnsReader::ReadStats(Clock::time_point deadline, std::vector<std::string>& errors) {
  const auto now = Clock::now();
  ForgetGoneEndpoints();
  std::vector<size_t> due;
  std::vector<std::optional<FileStamp>> due_stamps;
  bool every_stamp_compared = true;
  for (size_t i = 0; i < locals_.size(); ++i) {
    auto& last = locals_[i].last;
    // 95 %: a read one poll interval before is due even when this cycle
    // started a little early.
    if (last && (now - last->read_at) * 20 < src_->limits().stats_interval * 19) {
      every_stamp_compared = false;  // not looked at: its file may have changed
      continue;
    }
    auto stamp = src_->AnswerStamp((*local_requests_)[i]);
    if (last && stamp && stamp == last->stamp) {
      last->read_at = now;  // the answer read last time, unchanged
      continue;
    }
    due.push_back(i);
    due_stamps.push_back(stamp);
  }
  std::vector<std::optional<Answer>> answers;
  auto outcomes = CallStats(due, deadline, answers);
  for (size_t k = 0; k < due.size(); ++k) {
    LocalEndpoint& local = locals_[due[k]];
    auto read = StatsOf(local, outcomes[k], answers[k], now, due_stamps[k]);
    if (read.ok()) {
      if (!local.last || !(local.last->stats == read->stats)) stats_changed_ = true;
      local.last = std::move(*read);
    } else {
      errors.push_back(read.error() + (local.last ? "; serving its last stats" : ""));
    }
  }
  every_local_stamped_ =
      every_stamp_compared &&
      std::ranges::all_of(locals_, [](const LocalEndpoint& l) { return l.last && l.last->stamp; });
}

std::vector<std::pair<std::string, HnsEndpointStats>> HnsReader::StatsList() const {
  std::vector<std::pair<std::string, HnsEndpointStats>> out;
  out.reserve(locals_.size());
  for (const auto& local : locals_) {
    if (local.last) out.emplace_back(local.endpoint->id, local.last->stats);
  }
  return out;
}

Result<std::shared_ptr<const HnsCollected>> HnsReader::operator()() {
  const auto deadline = Clock::now() + src_->limits().stats_budget;
  std::vector<std::string> errors;
  // Replay: lists whose files did not change since the inventory was made
  // from them are not read again (a live HNS has no stamps).
  const auto stamps = StampsOfLists();
  if (!inventory_ || retry_inventory_ || !stamps || stamps != list_stamps_) {
    list_stamps_.reset();
    auto answers = FetchLists(errors);
    if (!answers.ok()) return MakeError(answers.error());
    if (auto updated = UpdateInventory(*answers); !updated.ok()) return MakeError(updated.error());
    if (errors.empty()) list_stamps_ = stamps;
  }
  errors.insert(errors.end(), inventory_->item_errors.begin(), inventory_->item_errors.end());
  ReadStats(deadline, errors);
  if (last_ && last_->inventory == inventory_ && !stats_changed_ && last_->item_errors == errors) {
    return last_;
  }
  auto out = std::make_shared<HnsCollected>();
  out->inventory = inventory_;
  out->stats = StatsList();
  out->item_errors = std::move(errors);
  stats_changed_ = false;
  last_ = out;
  return last_;
}

std::shared_ptr<const HnsCollected> HnsReader::LastIfUnchanged() const {
  // Made from this inventory's stats with no error but the inventory's own
  // (a failed call is asked again), every stats answer stamped.
  if (!last_ || !list_stamps_ || retry_inventory_ || stats_changed_ ||
      last_->inventory != inventory_ || locals_of_ != inventory_ ||
      last_->item_errors.size() != inventory_->item_errors.size()) {
    return nullptr;
  }
  // A call given up that has not returned: its duration and the hung gauge
  // are the worker's to update.
  if (!every_local_stamped_ || (caller_ && caller_->held() > 0)) return nullptr;
  for (size_t i = 0; i < list_stamps_->size(); ++i) {
    if (src_->ListStampIfQuick(kLists[i]) != (*list_stamps_)[i]) return nullptr;
  }
  if (!locals_.empty() && !src_->StatsStampsHoldIfQuick()) return nullptr;
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
