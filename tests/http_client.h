// A minimal blocking HTTP/1.1 client for tests (loopback only).
#pragma once

#include <map>
#include <string>

namespace winnet::testing {

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string error;  // non-empty when the request failed
};

HttpResponse HttpRequest(int port, const std::string& method, const std::string& path,
                         const std::string& extra_headers = "");

}  // namespace winnet::testing
