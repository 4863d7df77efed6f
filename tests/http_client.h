// A minimal blocking HTTP/1.1 client for tests (loopback only). The request
// and response text are handled here (tests/http_client.cc); the socket I/O
// is in tests/http_client_{linux,windows}.cc.
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

// The request text: one request, then the server closes the connection.
std::string HttpRequestText(const std::string& method, const std::string& path,
                            const std::string& extra_headers);

// Splits everything read until the server closed into status, headers and
// body; sets `error` when the head is incomplete.
HttpResponse ParseHttpResponse(const std::string& raw);

}  // namespace winnet::testing
