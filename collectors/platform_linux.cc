#include "collectors/file_io.h"
#include "collectors/live_adapters.h"
#include "collectors/platform.h"

namespace winnet {

const char* PlatformName() { return "linux"; }
std::string DefaultIpamStatePath() { return "/var/run/azure-vnet-ipam.json"; }
std::string DefaultNetworkStatePath() { return "/var/run/azure-vnet.json"; }
std::string DefaultContainerdStateDir() {
  return "/run/containerd/io.containerd.runtime.v2.task/k8s.io";
}

SourceSet MakeLiveSources(const LiveOptions& options) {
  SourceSet s;
  s.ipam = MakePathFileSource(options.ipam_state_path.empty() ? DefaultIpamStatePath()
                                                              : options.ipam_state_path);
  s.cni = MakePathFileSource(options.network_state_path.empty() ? DefaultNetworkStatePath()
                                                                : options.network_state_path);
  s.hns_unavailable = "HNS exists only on Windows";
  if (options.adapters) {
    s.adapters = MakeKernelAdapterSource();
  } else {
    s.adapters_unavailable = "disabled by --source.adapters=none";
  }
  AddLiveContainerdSource(options, s);
  return s;
}

}  // namespace winnet
