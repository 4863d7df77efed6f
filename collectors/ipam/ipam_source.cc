#include "collectors/ipam/ipam_source.h"

#include "collectors/common/file_backed_source.h"

namespace winnet {

const SourceType& IpamStateRegistration() {
  static const FileBackedSource<IpamState> type({.key = kIpamStateSource,
                                                 .file = "azure-vnet-ipam.json",
                                                 .path_flag = &LiveOptions::ipam_state_path,
                                                 .parse = ParseIpamState});
  return type;
}

}  // namespace winnet
