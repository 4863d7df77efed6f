#include "collectors/file_io.h"
#include "collectors/live_adapters.h"
#include "collectors/platform.h"

namespace winnet {

namespace {

class LiveFile : public FileSource {
 public:
  explicit LiveFile(std::string path) : path_(std::move(path)) {}
  Result<std::optional<std::string>> Read() override { return ReadWholeFile(path_); }
  std::string Where() const override { return path_; }

 private:
  std::string path_;
};

}  // namespace

const char* PlatformName() { return "linux"; }
std::string DefaultIpamStatePath() { return "/var/run/azure-vnet-ipam.json"; }
std::string DefaultNetworkStatePath() { return "/var/run/azure-vnet.json"; }

SourceSet MakeLiveSources(const LiveOptions& options) {
  SourceSet s;
  s.ipam = std::make_unique<LiveFile>(options.ipam_state_path.empty() ? DefaultIpamStatePath()
                                                                      : options.ipam_state_path);
  s.cni = std::make_unique<LiveFile>(options.network_state_path.empty()
                                         ? DefaultNetworkStatePath()
                                         : options.network_state_path);
  s.hns_unavailable = "HNS exists only on Windows";
  if (options.adapters) {
    s.adapters = MakeKernelAdapterSource();
  } else {
    s.adapters_unavailable = "disabled by --source.adapters=none";
  }
  return s;
}

}  // namespace winnet
