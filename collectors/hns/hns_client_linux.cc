#include "collectors/hns/hns_source.h"

namespace winnet {

std::unique_ptr<HnsClient> MakeLiveHnsClient(std::string* why_not) {
  *why_not = "HNS exists only on Windows";
  return nullptr;
}

}  // namespace winnet
