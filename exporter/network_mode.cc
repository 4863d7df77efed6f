#include <algorithm>

#include "collectors/common/ip_address.h"
#include "collectors/common/netaddr.h"
#include "exporter/join_parts.h"

namespace winnet {

HeldAddresses HeldByEndpoints(const NodeInputs& in) {
  HeldAddresses held;
  if (in.cni != nullptr && in.cni->present) {
    held.known = true;
    for (const auto& c : in.cni->endpoints) {
      for (const auto& ip : c.ips) held.ips.insert(CanonicalIp(ip));
    }
  }
  if (in.cns_endpoints != nullptr && in.cns_endpoints->present) {
    held.known = true;
    for (const auto& r : in.cns_endpoints->endpoints) {
      for (const auto& i : r.interfaces) held.ips.insert(i.ips.begin(), i.ips.end());
    }
  }
  if (in.hns != nullptr) {
    held.known = true;
    for (const auto& e : in.hns->endpoints) {
      if (e.remote) continue;
      if (!e.ip.empty()) held.ips.insert(CanonicalIp(e.ip));
      if (!e.ipv6.empty()) held.ips.insert(CanonicalIp(e.ipv6));
    }
  }
  return held;
}

std::string DetectNetworkMode(const NodeInputs& in) {
  if (in.conflist == nullptr || !in.conflist->present) return "";
  const std::string ipam = LowerAscii(in.conflist->ipam);
  if (ipam == "azure-vnet-ipam") return "node_subnet";
  if (ipam != "azure-cns") return "";
  // CNS keeps the endpoints (ManageEndpointState) and the CNI keeps none.
  const bool cns_endpoints = in.cns_endpoints != nullptr && in.cns_endpoints->present;
  const bool cni_endpoints = in.cni != nullptr && in.cni->present;
  if (cns_endpoints && !cni_endpoints) return "stateless";
  if (LowerAscii(in.conflist->ipam_mode).find("overlay") != std::string::npos) return "overlay";
  return "dynamic_pod_subnet";
}

namespace {

bool HasData(const std::string& source, const NodeInputs& in) {
  if (source == "ipam_state") return in.ipam != nullptr && in.ipam->present;
  if (source == "network_state") return in.cni != nullptr && in.cni->present;
  if (source == "cns_state") return in.cns_state != nullptr && in.cns_state->present;
  if (source == "cns_api") return in.cns_ips != nullptr && in.cns_ips->present;
  if (source == "cns_endpoints") return in.cns_endpoints != nullptr && in.cns_endpoints->present;
  return true;
}

std::vector<std::string> NotUsedBy(const std::string& mode) {
  if (mode == "node_subnet") return {"cns_state", "cns_api", "cns_endpoints"};
  if (mode == "overlay" || mode == "dynamic_pod_subnet") return {"ipam_state", "cns_endpoints"};
  if (mode == "stateless") return {"ipam_state", "network_state"};
  return {};
}

}  // namespace

std::vector<std::string> UnusedSources(const std::string& mode, const NodeInputs& in) {
  std::vector<std::string> unused = NotUsedBy(mode);
  std::erase_if(unused, [&](const std::string& s) { return HasData(s, in); });
  return unused;
}

}  // namespace winnet
