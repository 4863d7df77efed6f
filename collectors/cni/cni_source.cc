#include "collectors/cni/cni_source.h"

#include "collectors/common/file_backed_source.h"

namespace winnet {

const SourceType& NetworkStateRegistration() {
  static const FileBackedSource<CniState> type({.key = kNetworkStateSource,
                                                .file = "azure-vnet.json",
                                                .path_flag = &LiveOptions::network_state_path,
                                                .parse = ParseCniState});
  return type;
}

}  // namespace winnet
