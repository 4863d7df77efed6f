#include "exporter/join.h"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "collectors/common/ip_address.h"
#include "collectors/common/netaddr.h"
#include "exporter/hns_consistency.h"
#include "exporter/join_parts.h"

namespace winnet {

namespace {

PodRef PodOf(const CniEndpoint& ep) {
  if (!ep.HasPod()) return {};
  return PodRef{ep.pod_namespace, ep.pod_name};
}

// Pods of endpoints that azure-vnet.json did not name, from containerd's specs
// (docs/hns.md, "Mapping endpoints to pods"): CNI endpoint's sandbox id, then HCN namespace GUID
// (HNS Namespace.ID or v2 HostComputeNamespace, or the CNI endpoint's NetNs),
// then HNS SharedContainers. `cni_of[i]` is the CNI endpoint matched to
// endpoint i, or null.
void JoinContainerd(const ContainerdState& cd, const HnsData& hns,
                    const std::vector<const CniEndpoint*>& cni_of, NodeSnapshot* out) {
  std::unordered_map<std::string, PodRef> by_container, by_netns;
  for (const auto& s : cd.specs) {
    if (!s.HasPod()) continue;
    PodRef pod{s.sandbox_namespace, s.sandbox_name};
    by_container.emplace(LowerAscii(s.container_id), pod);
    if (!s.sandbox_id.empty()) by_container.emplace(s.sandbox_id, pod);
    if (!s.network_namespace.empty()) by_netns.emplace(s.network_namespace, pod);
  }
  if (by_container.empty()) return;
  auto find = [](const std::unordered_map<std::string, PodRef>& m,
                 const std::string& key) -> const PodRef* {
    if (key.empty()) return nullptr;
    auto it = m.find(key);
    return it == m.end() ? nullptr : &it->second;
  };
  for (size_t i = 0; i < out->endpoints.size(); ++i) {
    EndpointView& v = out->endpoints[i];
    if (!v.local || v.pod.known()) continue;
    const HnsEndpoint& e = hns.endpoints[i];
    const CniEndpoint* c = cni_of[i];
    const PodRef* pod = nullptr;
    const char* how = "";
    if (c != nullptr) {
      for (const std::string* id : {&c->container_id, &c->sandbox_key}) {
        if ((pod = find(by_container, LowerAscii(*id))) != nullptr) break;
      }
      how = "containerd_sandbox";
    }
    if (pod == nullptr) {
      how = "containerd_namespace";
      pod = find(by_netns, e.namespace_id);
      if (pod == nullptr && c != nullptr) pod = find(by_netns, NormalizeGuid(c->net_ns));
    }
    if (pod == nullptr) {
      how = "containerd_container";
      for (const auto& id : e.shared_containers) {
        if ((pod = find(by_container, LowerAscii(id))) != nullptr) break;
      }
    }
    if (pod != nullptr) {
      v.pod = *pod;
      v.pod_source = how;
    }
  }
}

// Adds the HNS networks to `out`; returns network names by id.
std::unordered_map<std::string, std::string> AddNetworks(const HnsData& hns, NodeSnapshot* out) {
  std::unordered_map<std::string, std::string> network_names;
  for (const auto& n : hns.networks) {
    network_names[n.id] = n.name;
    NetworkView v;
    v.id = n.id;
    v.name = n.name;
    v.type = LowerAscii(n.type);
    for (const auto& s : n.subnets) v.subnet += (v.subnet.empty() ? "" : ",") + s;
    out->networks.push_back(std::move(v));
  }
  return network_names;
}

// The canonical IPs of an HNS endpoint, IPv4 first.
std::vector<std::string> CanonicalIpsOf(std::string_view ip, std::string_view ipv6) {
  std::vector<std::string> ips;
  for (std::string_view one : {ip, ipv6}) {
    if (!one.empty()) ips.push_back(CanonicalIp(one));
  }
  return ips;
}

// Duplicate IPs across all HNS endpoints, local and remote (AKS #5653). Each
// endpoint's IPs are made canonical once.
void IndexHnsIps(const HnsData& hns, HnsIpIndex* index) {
  *index = HnsIpIndex{};
  index->hns = &hns;
  const HnsRemoteEndpoints& remote = *hns.remote;
  std::unordered_map<std::string, int> all;
  all.reserve(hns.endpoints.size() + remote.size());
  for (const auto& e : hns.endpoints) {
    for (auto& ip : CanonicalIpsOf(e.ip, e.ipv6)) {
      if (!e.remote) ++index->local[ip];
      ++all[std::move(ip)];
    }
  }
  // (remote endpoint, holders of one of its IPs): `all`'s values stay put as it grows
  std::vector<std::pair<uint32_t, const int*>> remote_ips;
  for (size_t i = 0; i < remote.size(); ++i) {
    for (auto& ip : CanonicalIpsOf(remote[i].ip(), remote[i].ipv6())) {
      auto it = all.try_emplace(std::move(ip), 0).first;
      ++it->second;
      remote_ips.emplace_back(static_cast<uint32_t>(i), &it->second);
    }
  }
  for (auto& [ip, holders] : all) {
    if (holders > 1) index->duplicated.insert(ip);
  }
  for (const auto& [i, holders] : remote_ips) {
    const bool listed = !index->duplicated_remote.empty() && index->duplicated_remote.back() == i;
    if (!listed && *holders > 1) index->duplicated_remote.push_back(i);
  }
}

// The fields of an endpoint view that come from HNS alone.
EndpointView BaseView(std::string_view id, std::string_view name, std::string network,
                      std::vector<std::string> ips, std::string_view mac, int64_t state) {
  EndpointView v;
  v.id = id;
  v.name = name;
  v.network = std::move(network);
  v.ips = std::move(ips);
  v.ip = v.ips.empty() ? "" : v.ips.front();
  v.mac = mac;
  v.state = HnsEndpointStateName(state);
  return v;
}

// The network name shown for an endpoint: its VirtualNetworkName, else the
// name of the HNS network with its id, else that id.
std::string NetworkShown(const std::string& name, const std::string& id,
                         const std::unordered_map<std::string, std::string>& network_names) {
  if (!name.empty()) return name;
  auto it = network_names.find(id);
  return it != network_names.end() ? it->second : id;
}

// A local HNS endpoint as the snapshot shows it, before stats and joins.
EndpointView ViewOfHnsEndpoint(const HnsEndpoint& e,
                               const std::unordered_map<std::string, std::string>& network_names,
                               const std::unordered_set<std::string>& duplicated_ips) {
  EndpointView v = BaseView(e.id, e.name, NetworkShown(e.network_name, e.network_id, network_names),
                            CanonicalIpsOf(e.ip, e.ipv6), e.mac, e.state);
  for (const auto& ip : v.ips) {
    if (duplicated_ips.contains(ip)) v.duplicate_ip = true;
  }
  v.local = !e.remote;
  return v;
}

// The network name shown for the remote endpoints on remote network `net`.
const std::string& RemoteNetworkShown(const NodeSnapshot& snap, uint32_t net) {
  if (net < snap.remote_network_names.size()) return snap.remote_network_names[net];
  return snap.remote_endpoints->networks()[net].id;
}

// out->remote_endpoint_counts: by network index and state first, a few groups.
void CountRemoteEndpoints(NodeSnapshot* out) {
  const HnsRemoteEndpoints& remote = *out->remote_endpoints;
  std::map<std::pair<uint32_t, int64_t>, uint64_t> by_index;
  for (size_t i = 0; i < remote.size(); ++i) {
    ++by_index[{remote[i].network_index(), remote[i].state()}];
  }
  for (const auto& [key, n] : by_index) {
    const auto& [net, state] = key;
    out->remote_endpoint_counts[{RemoteNetworkShown(*out, net), HnsEndpointStateName(state)}] += n;
  }
}

// Adds the local HNS endpoints' views to `out`, with their stats, and the
// remote endpoints as they are held.
void AddHnsEndpoints(const HnsData& hns,
                     const std::vector<std::pair<std::string, HnsEndpointStats>>& hns_stats,
                     const std::unordered_map<std::string, std::string>& network_names,
                     const HnsIpIndex& ips, NodeSnapshot* out) {
  std::unordered_map<std::string, const HnsEndpointStats*> stats;
  for (const auto& [id, s] : hns_stats) stats[id] = &s;

  out->endpoints.reserve(hns.endpoints.size());
  std::vector<uint32_t> local_places;
  for (const auto& e : hns.endpoints) {
    EndpointView v = ViewOfHnsEndpoint(e, network_names, ips.duplicated);
    if (v.duplicate_ip) ++out->duplicate_ip_endpoints;
    if (v.local) {  // always, from SetHnsEndpoints
      if (auto it = stats.find(e.id); it != stats.end()) v.stats = *it->second;
      local_places.push_back(static_cast<uint32_t>(out->endpoints.size()));
    }
    out->endpoints.push_back(std::move(v));
  }
  out->local_endpoint_places = std::move(local_places);
  out->remote_endpoints = hns.remote;
  for (const auto& n : hns.remote->networks()) {
    out->remote_network_names.push_back(NetworkShown(n.name, n.id, network_names));
  }
  out->remote_duplicate_ip = ips.duplicated_remote;
  out->duplicate_ip_endpoints += ips.duplicated_remote.size();
  CountRemoteEndpoints(out);
}

// The CNI endpoints (by index) under each key they can be matched by.
struct CniIndex {
  std::unordered_map<std::string, size_t> by_hns_id, by_id, by_ip;
  std::unordered_map<std::string, int> ip_count;
};

CniIndex IndexCniEndpoints(const CniState& cni) {
  CniIndex index;
  for (size_t i = 0; i < cni.endpoints.size(); ++i) {
    const auto& c = cni.endpoints[i];
    if (!c.hns_id.empty()) index.by_hns_id.emplace(c.hns_id, i);
    if (!c.id.empty()) index.by_id.emplace(c.id, i);
    for (const auto& ip : c.ips) {
      const std::string canonical = CanonicalIp(ip);
      ++index.ip_count[canonical];
      index.by_ip.emplace(canonical, i);
    }
  }
  return index;
}

// Attaches HNS endpoints of `out` to CNI endpoints; a CNI endpoint is claimed
// by at most one HNS endpoint. `cni_of[i]` receives the CNI endpoint attached
// to endpoint i.
struct CniClaims {
  const CniState& cni;
  NodeSnapshot* out;
  std::vector<const CniEndpoint*>* cni_of;
  std::vector<bool> claimed;

  // Attaches endpoint `e` of `out` to the CNI endpoint `index` has under
  // `key`, unless that one is already claimed.
  void TryAttach(size_t e, const std::unordered_map<std::string, size_t>& index,
                 const std::string& key, const char* how) {
    if (auto it = index.find(key); it != index.end() && !claimed[it->second]) {
      Attach(e, it->second, how);
    }
  }

  void Attach(size_t e, size_t i, const char* how) {
    EndpointView& v = out->endpoints[e];
    claimed[i] = true;
    v.cni_endpoint_id = cni.endpoints[i].id;
    v.matched_by = how;
    v.pod = PodOf(cni.endpoints[i]);
    if (v.pod.known()) v.pod_source = "network_state";
    (*cni_of)[e] = &cni.endpoints[i];
  }
};

// Matches the local HNS endpoints to CNI endpoints, strongest join first: by
// HNS id, then by endpoint name, then by IP.
void MatchCniEndpoints(const CniState& cni, std::unordered_map<std::string, int>& local_ip_count,
                       NodeSnapshot* out, std::vector<const CniEndpoint*>* cni_of) {
  CniIndex index = IndexCniEndpoints(cni);
  CniClaims claims{cni, out, cni_of, std::vector<bool>(cni.endpoints.size(), false)};
  const auto& views = std::as_const(out->endpoints);
  for (size_t e = 0; e < views.size(); ++e) {
    if (!views[e].local) continue;
    claims.TryAttach(e, index.by_hns_id, views[e].id, "hns_id");
  }
  for (size_t e = 0; e < views.size(); ++e) {
    if (!views[e].local || !views[e].matched_by.empty()) continue;
    claims.TryAttach(e, index.by_id, views[e].name, "name");
  }
  // By IP only where the IP is unambiguous on both sides.
  for (size_t e = 0; e < views.size(); ++e) {
    const EndpointView& v = views[e];
    if (!v.local || !v.matched_by.empty() || v.ip.empty()) continue;
    if (local_ip_count[CanonicalIp(v.ip)] != 1 || index.ip_count[v.ip] != 1) continue;
    claims.TryAttach(e, index.by_ip, v.ip, "ip");
  }
}

// Marks the local endpoints no CNI endpoint matched as orphaned, and counts them.
void MarkOrphanedEndpoints(NodeSnapshot* out) {
  uint64_t orphaned = 0;
  for (auto& v : out->endpoints) {
    if (v.local && v.matched_by.empty()) {
      v.orphaned = true;
      ++orphaned;
    }
  }
  out->orphaned_endpoints = orphaned;
}

void CountUnmappedEndpoints(NodeSnapshot* out) {
  for (const auto& v : out->endpoints) {
    if (v.local && !v.pod.known()) ++out->unmapped_endpoints;
  }
}

void CountLoadBalancers(const HnsData& hns, NodeSnapshot* out) {
  if (hns.policy_lists) {
    uint64_t lbs = 0;
    for (const auto& p : *hns.policy_lists) lbs += p.load_balancer ? 1 : 0;
    out->load_balancers = lbs;
  }
}

// Matches the local HNS endpoints no CNI endpoint matched to the endpoint
// records of azure-endpoints.json (stateless CNI): by HnsEndpointID, then by
// an IP that is unambiguous on both sides.
void MatchCnsEndpoints(const CnsEndpoints& cns,
                       std::unordered_map<std::string, int>& local_ip_count, NodeSnapshot* out) {
  std::unordered_map<std::string, const CnsEndpointRecord*> by_hns_id, by_ip;
  std::unordered_map<std::string, int> ip_count;
  for (const auto& r : cns.endpoints) {
    for (const auto& i : r.interfaces) {
      if (!i.hns_endpoint_id.empty()) by_hns_id.emplace(i.hns_endpoint_id, &r);
      for (const auto& ip : i.ips) {
        ++ip_count[ip];
        by_ip.emplace(ip, &r);
      }
    }
  }
  std::unordered_set<const CnsEndpointRecord*> claimed;
  auto attach = [&](EndpointView& v, const CnsEndpointRecord* r, const char* how) {
    if (!claimed.insert(r).second) return;
    v.matched_by = how;
    v.cni_endpoint_id = r->container_id;
    if (!v.pod.known() && r->HasPod()) {
      v.pod = PodRef{r->pod_namespace, r->pod_name};
      v.pod_source = "cns_endpoints";
    }
  };
  for (auto& v : out->endpoints) {
    if (!v.local || !v.matched_by.empty()) continue;
    if (auto it = by_hns_id.find(v.id); it != by_hns_id.end()) attach(v, it->second, "cns_hns_id");
  }
  for (auto& v : out->endpoints) {
    if (!v.local || !v.matched_by.empty() || v.ip.empty()) continue;
    if (local_ip_count[v.ip] != 1 || ip_count[v.ip] != 1) continue;
    if (auto it = by_ip.find(v.ip); it != by_ip.end()) attach(v, it->second, "cns_ip");
  }
}

// Pods of the local endpoints nothing else named, from CNS's PodInfo of the
// IPs it assigned: by PodInterfaceID (the HNS endpoint's name), then by IP.
void JoinCnsPodInfo(const CnsIpAddresses& api, NodeSnapshot* out) {
  std::unordered_map<std::string, const CnsIpConfig*> by_interface, by_ip;
  for (const auto& c : api.ips) {
    if (c.state != "Assigned" || c.pod_name.empty() || c.pod_namespace.empty()) continue;
    if (!c.pod_interface_id.empty()) by_interface.emplace(c.pod_interface_id, &c);
    by_ip.emplace(CanonicalIp(c.ip), &c);
  }
  for (auto& v : out->endpoints) {
    if (!v.local || v.pod.known()) continue;
    const CnsIpConfig* c = nullptr;
    if (auto it = by_interface.find(v.name); !v.name.empty() && it != by_interface.end()) {
      c = it->second;
    }
    for (size_t i = 0; c == nullptr && i < v.ips.size(); ++i) {
      if (auto it = by_ip.find(v.ips[i]); it != by_ip.end()) c = it->second;
    }
    if (c == nullptr) continue;
    v.pod = PodRef{c->pod_namespace, c->pod_name};
    v.pod_source = "cns_api";
  }
}

void JoinHns(const NodeInputs& in, NodeSnapshot* out) {
  const HnsData& hns = *in.hns;
  out->hns_known = true;
  const auto network_names = AddNetworks(hns, out);
  HnsIpIndex made;
  HnsIpIndex& ips = in.hns_ips != nullptr ? *in.hns_ips : made;
  if (ips.hns != &hns) IndexHnsIps(hns, &ips);
  AddHnsEndpoints(hns, in.hns_stats != nullptr ? *in.hns_stats : hns.stats, network_names, ips,
                  out);
  std::unordered_map<std::string, int> local_ip_count = ips.local;  // the matchers insert

  // The CNI endpoint matched to each HNS endpoint (same index), or null.
  std::vector<const CniEndpoint*> cni_of(out->endpoints.size(), nullptr);
  const bool cni_present = in.cni != nullptr && in.cni->present;
  const bool cns_endpoints = in.cns_endpoints != nullptr && in.cns_endpoints->present;
  if (cni_present) MatchCniEndpoints(*in.cni, local_ip_count, out, &cni_of);
  if (cns_endpoints) MatchCnsEndpoints(*in.cns_endpoints, local_ip_count, out);
  if (cni_present || cns_endpoints) MarkOrphanedEndpoints(out);
  if (in.containerd != nullptr) JoinContainerd(*in.containerd, hns, cni_of, out);
  if (in.cns_ips != nullptr && in.cns_ips->present) JoinCnsPodInfo(*in.cns_ips, out);
  CountUnmappedEndpoints(out);
  CountLoadBalancers(hns, out);
}

// The held addresses of `pool`'s prefix that IPAM has not marked InUse.
void FindUnaccounted(const IpamPool& pool, const HeldAddresses& held, PoolView* p) {
  auto prefix = ParseIpPrefix(pool.cidr);
  if (!held.known || !prefix) return;
  std::unordered_set<std::string> in_use;
  for (const auto& a : pool.in_use) in_use.insert(CanonicalIp(a.ip));
  for (const auto& ip : held.ips) {
    auto parsed = ParseIpAddress(ip);
    if (parsed && prefix->Contains(*parsed) && in_use.count(ip) == 0) {
      p->unaccounted_ips.push_back(ip);
    }
  }
  std::sort(p->unaccounted_ips.begin(), p->unaccounted_ips.end());
  p->unaccounted = p->unaccounted_ips.size();
}

void Reconcile(const IpamState& ipam, const HeldAddresses& held, NodeSnapshot* out) {
  out->ipam_present = true;
  out->ipam_version = ipam.version;
  out->ipam_timestamp = ipam.timestamp;
  const bool can_find_leaks = held.known;
  for (const auto& pool : ipam.pools) {
    PoolView p;
    p.address_space = pool.address_space;
    p.subnet = pool.cidr;
    p.capacity = pool.Capacity();
    p.allocated = pool.Allocated();
    p.available = p.capacity - p.allocated;
    if (can_find_leaks) {
      for (const auto& a : pool.in_use) {
        if (!held.Holds(CanonicalIp(a.ip))) {
          p.leaked_ips.push_back(a.ip);
          p.leaked_ids.push_back(a.id);
        }
      }
      p.leaked = p.leaked_ips.size();
    }
    FindUnaccounted(pool, held, &p);
    out->pools.push_back(std::move(p));
  }
}

void JoinAdapters(const std::vector<AdapterRow>& rows, const CniState* cni, NodeSnapshot* out) {
  out->adapters_known = true;
  // Windows: the pod vNIC is "vEthernet (<HNS endpoint Name>)".
  std::unordered_map<std::string, const EndpointView*> by_alias;
  for (const auto& e : out->endpoints) {
    if (e.local && !e.name.empty()) by_alias.emplace("vEthernet (" + e.name + ")", &e);
  }
  // Linux: the host veth is the CNI endpoint's HostIfName.
  std::unordered_map<std::string, const CniEndpoint*> by_host_if;
  if (cni != nullptr && cni->present) {
    for (const auto& c : cni->endpoints) {
      if (!c.host_if_name.empty()) by_host_if.emplace(c.host_if_name, &c);
    }
  }
  out->adapters.reserve(rows.size());
  for (const auto& r : rows) {
    AdapterView v;
    v.row = r;
    if (auto it = by_alias.find(r.alias); it != by_alias.end()) {
      v.endpoint_id = it->second->id;
      v.pod = it->second->pod;
    } else if (auto ct = by_host_if.find(r.alias); ct != by_host_if.end()) {
      v.endpoint_id = ct->second->hns_id;
      v.pod = PodOf(*ct->second);
    }
    out->adapters.push_back(std::move(v));
  }
}

}  // namespace

namespace {

// The counters before of each endpoint of `cur` that has counters, looked up
// at the same index first (a counter-only cycle keeps the order), else by id.
class PreviousStats {
 public:
  explicit PreviousStats(const NodeSnapshot& prev) : prev_(prev) {}
  const HnsEndpointStats* Of(size_t i, const EndpointView& e) {
    if (i < prev_.endpoints.size()) {
      const EndpointView& same_place = std::as_const(prev_.endpoints)[i];
      if (same_place.id == e.id) return same_place.stats ? &*same_place.stats : nullptr;
    }
    if (!indexed_) {
      for (const auto& p : prev_.endpoints) {
        if (p.stats) by_id_[p.id] = &*p.stats;
      }
      indexed_ = true;  // once, even when no endpoint had counters
    }
    auto it = by_id_.find(e.id);
    return it == by_id_.end() ? nullptr : it->second;
  }

 private:
  const NodeSnapshot& prev_;
  std::unordered_map<std::string_view, const HnsEndpointStats*> by_id_;
  bool indexed_ = false;
};

// The same for adapters, by alias.
const AdapterRow* PreviousRow(const NodeSnapshot& prev, size_t i, const AdapterRow& row,
                              std::unordered_map<std::string_view, const AdapterRow*>& by_alias) {
  if (i < prev.adapters.size() && prev.adapters[i].row.alias == row.alias) {
    return &prev.adapters[i].row;
  }
  if (by_alias.empty()) {
    for (const auto& a : prev.adapters) by_alias[a.row.alias] = &a.row;
  }
  auto it = by_alias.find(row.alias);
  return it == by_alias.end() ? nullptr : it->second;
}

}  // namespace

void ComputeRates(const NodeSnapshot& prev, NodeSnapshot* cur) {
  const double dt = cur->generated_unix - prev.generated_unix;
  if (dt <= 0) return;
  auto rate = [dt](uint64_t now, uint64_t before) -> std::optional<double> {
    if (now < before) return std::nullopt;  // counter reset: no rate this time
    return static_cast<double>(now - before) / dt;
  };
  PreviousStats previous(prev);
  // Through Mutable only where a rate is set: the other views stay shared
  // with the previous snapshot.
  ForEachLocalEndpoint(*cur, [&](size_t i) {
    const EndpointView& e = std::as_const(cur->endpoints)[i];
    if (!e.stats) return;
    const HnsEndpointStats* before = previous.Of(i, e);
    if (before == nullptr) return;
    EndpointView& w = cur->endpoints.Mutable(i);
    w.receive_rate = rate(w.stats->bytes_received, before->bytes_received);
    w.transmit_rate = rate(w.stats->bytes_sent, before->bytes_sent);
  });
  std::unordered_map<std::string_view, const AdapterRow*> rows;
  for (size_t i = 0; i < cur->adapters.size(); ++i) {
    AdapterView& a = cur->adapters[i];
    const AdapterRow* before = PreviousRow(prev, i, a.row, rows);
    if (before == nullptr) continue;
    a.receive_rate = rate(a.row.in_octets, before->in_octets);
    a.transmit_rate = rate(a.row.out_octets, before->out_octets);
  }
}

bool UpdateCounters(const NodeInputs& in, NodeSnapshot* out) {
  if (in.hns != nullptr) {
    const auto& list = in.hns_stats != nullptr ? *in.hns_stats : in.hns->stats;
    std::unordered_map<std::string_view, const HnsEndpointStats*> stats;
    for (const auto& [id, s] : list) stats.emplace(id, &s);
    // Only local endpoints have stats, and so rates (AddHnsEndpoints); a
    // snapshot put together by hand may hold remote views, left untouched.
    ForEachLocalEndpoint(*out, [&](size_t i) {
      EndpointView& e = out->endpoints.Mutable(i);
      e.receive_rate.reset();
      e.transmit_rate.reset();
      auto it = stats.find(e.id);
      if (it == stats.end()) {
        e.stats.reset();
      } else {
        e.stats = *it->second;
      }
    });
  }
  if (in.adapters != nullptr) {
    if (in.adapters->size() != out->adapters.size()) return false;
    for (size_t i = 0; i < out->adapters.size(); ++i) {
      AdapterView& a = out->adapters[i];
      if (a.row.alias != (*in.adapters)[i].alias) return false;
      a.row = (*in.adapters)[i];
      a.receive_rate.reset();
      a.transmit_rate.reset();
    }
  }
  return true;
}

void SetMode(const NodeInputs& in, NodeSnapshot* out) {
  if (in.conflist != nullptr && in.conflist->present) {
    out->conflist_present = true;
    out->cni_plugin = in.conflist->plugin;
    out->cni_ipam = in.conflist->ipam;
    out->cni_ipam_mode = in.conflist->ipam_mode;
  }
  out->network_mode = DetectNetworkMode(in);
  out->unused_sources = UnusedSources(out->network_mode, in);
}

void BuildSnapshot(const NodeInputs& in, NodeSnapshot* out) {
  SetMode(in, out);
  if (in.cni != nullptr && in.cni->present) {
    out->cni_present = true;
    out->cni_version = in.cni->version;
    out->cni_endpoints = in.cni->endpoints;
  }
  if (in.hns == nullptr && in.hns_ips != nullptr) *in.hns_ips = HnsIpIndex{};
  if (in.hns != nullptr) {
    JoinHns(in, out);
    out->hns_checks = in.hns_checks != nullptr
                          ? *in.hns_checks
                          : CheckHnsConsistency(*in.hns, in.cluster_dns_servers);
  }
  const HeldAddresses held = HeldByEndpoints(in);
  if (in.ipam != nullptr && in.ipam->present) Reconcile(*in.ipam, held, out);
  BuildCnsPools(in, held, out);
  if (in.adapters != nullptr) JoinAdapters(*in.adapters, in.cni, out);
  if (in.hns_service != nullptr) out->hns_service = *in.hns_service;
}

EndpointView RemoteEndpointView(const NodeSnapshot& snap, size_t i) {
  const HnsRemoteEndpoints::Ref e = (*snap.remote_endpoints)[i];
  EndpointView v = BaseView(e.id(), e.name(), RemoteNetworkShown(snap, e.network_index()),
                            CanonicalIpsOf(e.ip(), e.ipv6()), e.mac(), e.state());
  v.duplicate_ip = std::binary_search(snap.remote_duplicate_ip.begin(),
                                      snap.remote_duplicate_ip.end(), static_cast<uint32_t>(i));
  return v;
}

}  // namespace winnet
