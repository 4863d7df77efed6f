#include "collectors/hns_service/hns_service_source.h"

namespace winnet {

std::unique_ptr<HnsServiceProbe> MakeLiveHnsServiceProbe(const std::string& service_name,
                                                         std::string* why_not) {
  (void)service_name;
  *why_not = "HNS exists only on Windows";
  return nullptr;
}

}  // namespace winnet
