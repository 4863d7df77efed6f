#include "collectors/cns/cns_state_source.h"

#include "collectors/common/file_backed_source.h"

namespace winnet {

const SourceType& CnsStateRegistration() {
  static const FileBackedSource<CnsState> type(
      {.key = kCnsStateSource,
       .file = "azure-cns.json",
       .path_flag = &LiveOptions::cns_state_path,
       .parse = ParseCnsState,
       .default_path = {.windows = "C:\\k\\azurecns\\azure-cns.json",
                        .linux_path = "/var/lib/azure-network/azure-cns.json"}});
  return type;
}

}  // namespace winnet
