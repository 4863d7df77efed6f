#include "exporter/sticky_pods.h"

namespace winnet {

namespace {

std::string Name(const PodRef& pod) { return pod.ns + "/" + pod.name; }

// Drops the entries of `map` whose key is not in `seen`.
template <typename Map>
void Forget(Map& map, const std::unordered_set<std::string>& seen) {
  std::erase_if(map, [&](const auto& entry) { return seen.count(entry.first) == 0; });
}

}  // namespace

std::string StickyPods::Stick(Memory& memory, const std::string& what, const std::string& key,
                              PodRef& pod, std::string* source) {
  auto it = memory.find(key);
  if (it == memory.end()) {
    if (pod.known()) memory.emplace(key, Known{pod, source != nullptr ? *source : "", ""});
    return {};
  }
  std::string conflict;
  if (pod.known() && (pod.ns != it->second.pod.ns || pod.name != it->second.pod.name)) {
    std::string& reported = it->second.conflict;
    if (reported != Name(pod)) {
      reported = Name(pod);
      conflict = what + " " + key + ": the join now names pod " + Name(pod) + "; keeping " +
                 Name(it->second.pod) + " (an identity never changes while it lives)";
    }
  }
  pod = it->second.pod;
  if (source != nullptr) *source = it->second.source;
  return conflict;
}

std::vector<std::string> StickyPods::Apply(NodeSnapshot& snap) {
  std::vector<std::string> conflicts;
  std::unordered_set<std::string> endpoints_seen, adapters_seen;
  snap.unmapped_endpoints = 0;
  for (auto& e : snap.endpoints) {
    if (!e.local) continue;
    endpoints_seen.insert(e.id);
    auto c = Stick(endpoints_, "endpoint", e.id, e.pod, &e.pod_source);
    if (!c.empty()) conflicts.push_back(std::move(c));
    if (!e.pod.known()) ++snap.unmapped_endpoints;
  }
  for (auto& a : snap.adapters) {
    adapters_seen.insert(a.row.alias);
    auto c = Stick(adapters_, "adapter", a.row.alias, a.pod, nullptr);
    if (!c.empty()) conflicts.push_back(std::move(c));
  }
  // A source without data this cycle says nothing about what is gone.
  if (snap.hns_known) Forget(endpoints_, endpoints_seen);
  if (snap.adapters_known) Forget(adapters_, adapters_seen);
  return conflicts;
}

}  // namespace winnet
