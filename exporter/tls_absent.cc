#include "exporter/http_auth.h"

namespace winnet {

bool TlsAvailable(std::string* why) {
  *why = "this build of winnet_exporter has no TLS support (built without OpenSSL)";
  return false;
}

Status ConfigureTls(void*, const HttpTls&) {
  return MakeError("TLS is not available in this build");
}

}  // namespace winnet
