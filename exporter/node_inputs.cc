// Each source's piece of the join's input: a new source adds its field to
// NodeInputs and its line here.
#include "collectors/adapters/adapter_source.h"
#include "collectors/cni/cni_source.h"
#include "collectors/cni_conflist/conflist_source.h"
#include "collectors/cns/cns_api_source.h"
#include "collectors/cns/cns_endpoints_source.h"
#include "collectors/cns/cns_state_source.h"
#include "collectors/containerd/containerd_source.h"
#include "collectors/hns/hns_source.h"
#include "collectors/hns_service/hns_service_source.h"
#include "collectors/ipam/ipam_source.h"
#include "exporter/join.h"

namespace winnet {

NodeInputs NodeInputsOf(const SourceDataSet& data) {
  NodeInputs in;
  in.ipam = data.Get(kIpamStateSource);
  in.cni = data.Get(kNetworkStateSource);
  if (const HnsCollected* h = data.Get(kHnsSource)) {
    in.hns = h->inventory.get();
    in.hns_stats = &h->stats;
  }
  in.adapters = data.Get(kAdaptersSource);
  in.containerd = data.Get(kContainerdSource);
  in.conflist = data.Get(kCniConflistSource);
  // The cluster DNS servers: the conflist's dns.Nameservers, else those of the
  // endpoints in azure-vnet.json (docs/metrics.md, "HNS consistency").
  if (in.conflist != nullptr && !in.conflist->nameservers.empty()) {
    in.cluster_dns_servers = in.conflist->nameservers;
  } else if (in.cni != nullptr) {
    in.cluster_dns_servers = DnsServersOf(*in.cni);
  }
  in.cns_state = data.Get(kCnsStateSource);
  in.cns_ips = data.Get(kCnsApiSource);
  in.cns_endpoints = data.Get(kCnsEndpointsSource);
  in.hns_service = data.Get(kHnsServiceSource);
  return in;
}

}  // namespace winnet
