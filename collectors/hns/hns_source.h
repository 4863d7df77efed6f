// The HNS source (docs/hns.md): its key, its registration, and the live and
// replay clients behind it.
#pragma once

#include <memory>
#include <string>

#include "collectors/common/source.h"
#include "collectors/hns/hns_client.h"
#include "collectors/hns/hns_data.h"

namespace winnet {

inline constexpr SourceKey<HnsClient, HnsCollected> kHnsSource{"hns"};
const SourceType& HnsRegistration();

// The node's HNS (Windows: vmcompute.dll, with computenetwork.dll for HCN
// v2); null with the reason in `why_not` where there is none.
std::unique_ptr<HnsClient> MakeLiveHnsClient(std::string* why_not);
// Answers from a capture's hns/ and hcn/ (docs/capture-format.md).
std::unique_ptr<HnsClient> MakeReplayHnsClient(std::string capture_root);

}  // namespace winnet
