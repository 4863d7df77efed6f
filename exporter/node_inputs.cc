// Each source's piece of the join's input: a new source adds its field to
// NodeInputs and its line here.
#include "collectors/adapters/adapter_source.h"
#include "collectors/cni/cni_source.h"
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
  in.hns_service = data.Get(kHnsServiceSource);
  return in;
}

}  // namespace winnet
