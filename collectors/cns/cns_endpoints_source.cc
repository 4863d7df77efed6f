#include "collectors/cns/cns_endpoints_source.h"

#include "collectors/common/file_backed_source.h"

namespace winnet {

const SourceType& CnsEndpointsRegistration() {
  static const FileBackedSource<CnsEndpoints> type(
      {.key = kCnsEndpointsSource,
       .file = "azure-endpoints.json",
       .path_flag = &LiveOptions::cns_endpoint_state_path,
       .parse = ParseCnsEndpoints,
       .default_path = {.windows = "C:\\k\\azurecns\\azure-endpoints.json",
                        .linux_path = "/var/run/azure-cns/azure-endpoints.json"}});
  return type;
}

}  // namespace winnet
