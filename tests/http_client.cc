#include "tests/http_client.h"

#include <cctype>
#include <cstdlib>

namespace winnet::testing {

std::string HttpRequestText(const std::string& method, const std::string& path,
                            const std::string& extra_headers) {
  return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" +
         extra_headers + "\r\n";
}

HttpResponse ParseHttpResponse(const std::string& raw) {
  HttpResponse r;
  auto end = raw.find("\r\n\r\n");
  if (end == std::string::npos) {
    r.error = "no complete response: " + raw;
    return r;
  }
  std::string head = raw.substr(0, end);
  r.body = raw.substr(end + 4);
  auto line_end = head.find("\r\n");
  std::string status_line = head.substr(0, line_end);
  if (status_line.size() > 12) r.status = std::atoi(status_line.c_str() + 9);
  size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    auto next = head.find("\r\n", pos);
    if (next == std::string::npos) next = head.size();
    std::string line = head.substr(pos, next - pos);
    auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      r.headers[name] = value;
    }
    pos = next + 2;
  }
  return r;
}

}  // namespace winnet::testing
