#include "exporter/hns_consistency.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

#include "collectors/common/ip_address.h"
#include "collectors/common/netaddr.h"

namespace winnet {

namespace {

constexpr std::string_view kEndpointPrefix = "/endpoints/";
constexpr int64_t kDnsPort = 53;

// The endpoint id a reference names, or "" when it names no endpoint.
std::string EndpointOfReference(const std::string& reference) {
  if (reference.rfind(kEndpointPrefix, 0) != 0) return "";
  return reference.substr(kEndpointPrefix.size());
}

// Dangling references, load balancers without endpoints, and the ids every
// load balancer references (into `referenced`).
void CheckReferences(const HnsData& hns, HnsConsistency& out,
                     std::unordered_set<std::string>& referenced) {
  std::unordered_set<std::string_view> listed;
  for (const auto& e : hns.endpoints) listed.insert(e.id);
  for (size_t i = 0; i < hns.remote->size(); ++i) listed.insert((*hns.remote)[i].id());
  for (const auto& lb : *hns.policy_lists) {
    if (!lb.load_balancer) continue;
    size_t existing = 0;
    for (const auto& reference : lb.references) {
      std::string id = EndpointOfReference(reference);
      if (id.empty()) continue;
      referenced.insert(id);
      if (listed.count(id) != 0) {
        ++existing;
      } else {
        out.missing_endpoint_refs.push_back({lb.id, id});
      }
    }
    if (existing == 0) out.load_balancers_without_endpoints.push_back(lb.id);
  }
}

void FindUnreferencedRemotes(const HnsData& hns, const std::unordered_set<std::string>& referenced,
                             HnsConsistency& out) {
  std::vector<std::string>& unreferenced = out.unreferenced_remote_endpoints.Mutable();
  for (size_t i = 0; i < hns.remote->size(); ++i) {
    const std::string_view id = (*hns.remote)[i].id();
    if (referenced.count(std::string(id)) == 0) unreferenced.emplace_back(id);
  }
  std::sort(unreferenced.begin(), unreferenced.end());
}

const char* ProtocolName(int64_t protocol) {
  switch (protocol) {
    case 6: return "tcp";
    case 17: return "udp";
    default: return "";
  }
}

// For each cluster DNS server and protocol, the load balancers for its VIP
// on port 53.
void CountDnsLoadBalancers(const HnsData& hns, const std::vector<std::string>& dns_servers,
                           HnsConsistency& out) {
  std::set<std::string> vips;
  for (const auto& s : dns_servers) {
    std::string ip = CanonicalIp(s);
    if (!ip.empty() && ip != kAzurePlatformDns) vips.insert(ip);
  }
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> found;
  for (const auto& vip : vips) {
    for (const char* protocol : {"tcp", "udp"}) found[{vip, protocol}];
  }
  for (const auto& lb : *hns.policy_lists) {
    if (!lb.load_balancer || lb.external_port != kDnsPort) continue;
    const std::string protocol = ProtocolName(lb.protocol);
    for (const auto& vip : lb.vips) {
      auto it = found.find({CanonicalIp(vip), protocol});
      if (it != found.end()) it->second.push_back(lb.id);
    }
  }
  for (auto& [key, ids] : found) out.dns_load_balancers.push_back({key.first, key.second, ids});
}

// IPs (canonical) held by more than one endpoint, with the kind of holders.
void FindIpConflicts(const HnsData& hns, HnsConsistency& out) {
  struct Holders {
    std::vector<std::string> ids;
    size_t local = 0, remote = 0;
  };
  std::map<std::string, Holders> by_ip;
  auto hold = [&by_ip](std::string_view id, std::string_view ip, bool remote) {
    if (ip.empty()) return;
    Holders& h = by_ip[CanonicalIp(ip)];
    h.ids.emplace_back(id);
    ++(remote ? h.remote : h.local);
  };
  for (const auto& e : hns.endpoints) {
    hold(e.id, e.ip, e.remote);
    hold(e.id, e.ipv6, e.remote);
  }
  for (size_t i = 0; i < hns.remote->size(); ++i) {
    const HnsRemoteEndpoints::Ref e = (*hns.remote)[i];
    hold(e.id(), e.ip(), true);
    hold(e.id(), e.ipv6(), true);
  }
  for (auto& [ip, h] : by_ip) {
    if (h.ids.size() < 2) continue;
    const char* kind = h.local > 0 && h.remote > 0 ? "local_remote"
                       : h.local > 1               ? "local_local"
                                                   : "remote_remote";
    out.ip_conflicts.push_back({ip, kind, std::move(h.ids)});
  }
}

}  // namespace

HnsConsistency CheckHnsConsistency(const HnsData& hns,
                                   const std::vector<std::string>& cluster_dns_servers) {
  HnsConsistency out;
  FindIpConflicts(hns, out);
  if (!hns.policy_lists) return out;
  out.load_balancers_known = true;
  std::unordered_set<std::string> referenced;
  CheckReferences(hns, out, referenced);
  FindUnreferencedRemotes(hns, referenced, out);
  CountDnsLoadBalancers(hns, cluster_dns_servers, out);
  return out;
}

}  // namespace winnet
