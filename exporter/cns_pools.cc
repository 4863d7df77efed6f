#include <algorithm>
#include <map>
#include <optional>
#include <unordered_map>

#include "collectors/common/ip_address.h"
#include "exporter/join_parts.h"

namespace winnet {

namespace {

// The prefixes of the node's network containers, to put each IP in its pool.
class NcSubnets {
 public:
  explicit NcSubnets(const CnsState* state) {
    if (state == nullptr) return;
    for (const auto& nc : state->containers) {
      for (const std::string* s : {&nc.subnet, &nc.subnet_v6}) {
        auto p = ParseIpPrefix(*s);
        if (p) by_nc_[nc.id].push_back(*p), all_.push_back(*p);
      }
    }
  }

  // The canonical CIDR of the pool `ip` belongs to: its NC's prefix of its
  // family, else any NC prefix that holds it, else "".
  std::string SubnetOf(const std::string& nc_id, const std::string& ip_text) const {
    auto ip = ParseIpAddress(ip_text);
    if (!ip) return "";
    if (auto it = by_nc_.find(nc_id); it != by_nc_.end()) {
      for (const auto& p : it->second) {
        if (p.base.v6 == ip->v6) return FormatIpPrefix(p);
      }
    }
    for (const auto& p : all_) {
      if (p.Contains(*ip)) return FormatIpPrefix(p);
    }
    return "";
  }

 private:
  std::unordered_map<std::string, std::vector<IpPrefix>> by_nc_;
  std::vector<IpPrefix> all_;
};

void AddNcId(PoolView& p, const std::string& nc_id) {
  if (nc_id.empty()) return;
  if (("," + p.address_space + ",").find("," + nc_id + ",") != std::string::npos) return;
  p.address_space += (p.address_space.empty() ? "" : ",") + nc_id;
}

// One IP with its state as CNS's API tells it.
void CountApiIp(const CnsIpConfig& c, const HeldAddresses& held, PoolView& p) {
  const std::string ip = CanonicalIp(c.ip);
  if (c.state == "Assigned") {
    ++p.allocated;
    if (held.known && !held.Holds(ip)) {
      p.leaked_ips.push_back(ip);
      p.leaked_ids.push_back(c.id);
    }
  } else if (c.state == "Available") {
    ++p.available;
    if (held.known && held.Holds(ip)) p.unaccounted_ips.push_back(ip);
  } else if (c.state == "PendingRelease") {
    ++*p.pending_release;
  } else if (c.state == "PendingProgramming") {
    ++*p.pending_programming;
  }
}

void CountFromApi(const CnsIpAddresses& api, const NcSubnets& subnets, bool capacity_from_api,
                  const HeldAddresses& held, std::map<std::string, PoolView>& pools) {
  for (auto& [subnet, p] : pools) {
    p.origin = "cns_api";
    p.pending_release = p.pending_programming = 0;
  }
  for (const auto& c : api.ips) {
    auto [it, added] = pools.try_emplace(subnets.SubnetOf(c.nc_id, c.ip));
    PoolView& p = it->second;
    if (added) {
      p.subnet = it->first;
      p.origin = "cns_api";
      p.pending_release = p.pending_programming = 0;
    }
    AddNcId(p, c.nc_id);
    if (capacity_from_api) ++p.capacity;
    CountApiIp(c, held, p);
  }
  for (auto& [subnet, p] : pools) {
    if (!held.known) continue;
    p.leaked = p.leaked_ips.size();
    p.unaccounted = p.unaccounted_ips.size();
  }
}

// Without per-IP states: the pool's IPs held by an endpoint are allocated.
void CountFromFile(const CnsState& state, const NcSubnets& subnets, const HeldAddresses& held,
                   std::map<std::string, PoolView>& pools) {
  for (const auto& nc : state.containers) {
    for (const auto& ip : nc.secondary_ips) {
      PoolView& p = pools[subnets.SubnetOf(nc.id, ip)];
      if (held.Holds(ip)) ++p.allocated;
    }
  }
  for (auto& [subnet, p] : pools) {
    p.origin = "cns_state";
    p.available = p.capacity >= p.allocated ? p.capacity - p.allocated : 0;
  }
}

}  // namespace

void BuildCnsPools(const NodeInputs& in, const HeldAddresses& held, NodeSnapshot* out) {
  const bool file = in.cns_state != nullptr && in.cns_state->present;
  const bool api = in.cns_ips != nullptr && in.cns_ips->present;
  out->cns_present = file;
  out->cns_api_present = api;
  if (!file && !api) return;
  NcSubnets subnets(file ? in.cns_state : nullptr);
  std::map<std::string, PoolView> pools;  // by subnet
  if (file) {
    for (const auto& nc : in.cns_state->containers) {
      for (const auto& ip : nc.secondary_ips) {
        auto [it, added] = pools.try_emplace(subnets.SubnetOf(nc.id, ip));
        it->second.subnet = it->first;
        AddNcId(it->second, nc.id);
        ++it->second.capacity;
      }
    }
  }
  if (api) {
    CountFromApi(*in.cns_ips, subnets, !file, held, pools);
  } else {
    CountFromFile(*in.cns_state, subnets, held, pools);
  }
  for (auto& [subnet, p] : pools) {
    std::sort(p.unaccounted_ips.begin(), p.unaccounted_ips.end());
    out->pools.push_back(std::move(p));
  }
}

}  // namespace winnet
