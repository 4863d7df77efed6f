#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

#include "tests/http_client.h"

namespace winnet::testing {

HttpResponse HttpRequest(int port, const std::string& method, const std::string& path,
                         const std::string& extra_headers) {
  HttpResponse r;
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    r.error = std::string("connect: ") + std::strerror(errno);
    ::close(fd);
    return r;
  }
  const std::string req = HttpRequestText(method, path, extra_headers);
  if (::send(fd, req.data(), req.size(), 0) != static_cast<ssize_t>(req.size())) {
    r.error = "send failed";
  }
  std::string raw;
  char buf[16384];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) {
    raw.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  HttpResponse parsed = ParseHttpResponse(raw);
  if (!r.error.empty() && parsed.error.empty()) parsed.error = r.error;
  return parsed;
}

}  // namespace winnet::testing
