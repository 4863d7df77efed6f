// The CNI conflist source: 10-azure.conflist (docs/state-files.md).
#pragma once

#include "collectors/cni_conflist/conflist.h"
#include "collectors/common/file_io.h"
#include "collectors/common/source.h"

namespace winnet {

inline constexpr SourceKey<FileSource, CniConflist> kCniConflistSource{"cni_conflist"};
const SourceType& CniConflistRegistration();

}  // namespace winnet
