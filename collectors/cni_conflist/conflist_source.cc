#include "collectors/cni_conflist/conflist_source.h"

#include "collectors/common/file_backed_source.h"

namespace winnet {

const SourceType& CniConflistRegistration() {
  static const FileBackedSource<CniConflist> type(
      {.key = kCniConflistSource,
       .file = "10-azure.conflist",
       .path_flag = &LiveOptions::cni_conflist_path,
       .parse = ParseCniConflist,
       .default_path = {.windows = "C:\\k\\azurecni\\netconf\\10-azure.conflist",
                        .linux_path = "/etc/cni/net.d/10-azure.conflist"}});
  return type;
}

}  // namespace winnet
