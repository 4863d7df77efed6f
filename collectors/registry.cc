#include "collectors/registry.h"

#include <filesystem>
#include <system_error>

#include "collectors/adapters/adapter_source.h"
#include "collectors/cni/cni_source.h"
#include "collectors/cni_conflist/conflist_source.h"
#include "collectors/cns/cns_api_source.h"
#include "collectors/cns/cns_endpoints_source.h"
#include "collectors/cns/cns_state_source.h"
#include "collectors/common/file_io.h"
#include "collectors/containerd/containerd_source.h"
#include "collectors/hns/hns_source.h"
#include "collectors/hns_service/hns_service_source.h"
#include "collectors/ipam/ipam_source.h"

namespace winnet {

const std::vector<const SourceType*>& RegisteredSources() {
  static const std::vector<const SourceType*> all = {
      &IpamStateRegistration(),  &NetworkStateRegistration(), &HnsRegistration(),
      &AdaptersRegistration(),   &ContainerdRegistration(),   &CniConflistRegistration(),
      &CnsStateRegistration(),   &CnsEndpointsRegistration(), &CnsApiRegistration(),
      &HnsServiceRegistration(),
  };
  return all;
}

SourceSet MakeLiveSources(const LiveOptions& options) {
  LiveContext live(options);
  SourceSet set;
  for (const SourceType* type : RegisteredSources()) {
    set.entries.push_back({type, type->OpenLive(live)});
  }
  return set;
}

SourceSet UnopenedSources() {
  SourceSet set;
  for (const SourceType* type : RegisteredSources()) {
    set.entries.push_back({type, OpenedRaw::Unavailable("not opened")});
  }
  return set;
}

Result<SourceSet> MakeReplaySources(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(PathFromUtf8(dir), ec)) {
    return MakeError("--source.replay: \"" + dir + "\" is not a directory" +
                     (ec ? " (" + ec.message() + ")" : ""));
  }
  SourceSet set;
  for (const SourceType* type : RegisteredSources()) {
    set.entries.push_back({type, type->OpenReplay(dir)});
  }
  return set;
}

}  // namespace winnet
