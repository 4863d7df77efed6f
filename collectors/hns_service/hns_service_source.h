// The hns_service source: the HNS service and its process, through the
// Service Control Manager on Windows (hns_service_windows.cc), from a
// capture's hns/service.json in a replay. There is no HNS on Linux: there
// the source is unavailable, like the HNS source (docs/hns.md, "HNS service
// health").
#pragma once

#include <memory>
#include <string>

#include "collectors/common/source.h"
#include "collectors/hns_service/hns_service.h"

namespace winnet {

// One look at the service: live, a capture's file, or a test's fake. A
// service that is stopped is a status; an error is a failure to ask.
class HnsServiceProbe {
 public:
  virtual ~HnsServiceProbe() = default;
  virtual Result<HnsServiceStatus> Query() = 0;
  virtual std::string Where() const = 0;
};

inline constexpr SourceKey<HnsServiceProbe, HnsServiceData> kHnsServiceSource{"hns_service"};
const SourceType& HnsServiceRegistration();

// Its file in a capture.
inline constexpr const char* kHnsServiceCaptureFile = "hns/service.json";
// The service watched unless --hns.service-name says otherwise.
inline constexpr const char* kDefaultHnsServiceName = "hns";

// The SCM's view of `service_name` (Windows); null with the reason in
// `why_not` elsewhere.
std::unique_ptr<HnsServiceProbe> MakeLiveHnsServiceProbe(const std::string& service_name,
                                                         std::string* why_not);
// Reads a capture's hns/service.json on every Query.
std::unique_ptr<HnsServiceProbe> MakeHnsServiceFileProbe(std::string path);

}  // namespace winnet
