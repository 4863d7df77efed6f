#include <winsock2.h>
#include <ws2tcpip.h>

#include <mutex>

#include "tests/http_client.h"

namespace winnet::testing {

namespace {

class Socket {
 public:
  Socket() : s_(::socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)) {}
  ~Socket() {
    if (s_ != INVALID_SOCKET) ::closesocket(s_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  SOCKET get() const { return s_; }

 private:
  SOCKET s_;
};

void StartWinsock() {
  static std::once_flag once;
  std::call_once(once, [] {
    WSADATA data;
    WSAStartup(MAKEWORD(2, 2), &data);
  });
}

}  // namespace

HttpResponse HttpRequest(int port, const std::string& method, const std::string& path,
                         const std::string& extra_headers) {
  StartWinsock();
  HttpResponse r;
  Socket s;
  if (s.get() == INVALID_SOCKET) {
    r.error = "socket: WSA error " + std::to_string(WSAGetLastError());
    return r;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<u_short>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  DWORD timeout_ms = 5000;
  setsockopt(s.get(), SOL_SOCKET, SO_RCVTIMEO, reinterpret_cast<const char*>(&timeout_ms),
             sizeof timeout_ms);
  if (::connect(s.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    r.error = "connect: WSA error " + std::to_string(WSAGetLastError());
    return r;
  }
  const std::string req = HttpRequestText(method, path, extra_headers);
  if (::send(s.get(), req.data(), static_cast<int>(req.size()), 0) !=
      static_cast<int>(req.size())) {
    r.error = "send failed";
  }
  std::string raw;
  char buf[16384];
  for (int n; (n = ::recv(s.get(), buf, sizeof buf, 0)) > 0;) {
    raw.append(buf, static_cast<size_t>(n));
  }
  HttpResponse parsed = ParseHttpResponse(raw);
  if (!r.error.empty() && parsed.error.empty()) parsed.error = r.error;
  return parsed;
}

}  // namespace winnet::testing
