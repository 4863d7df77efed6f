#include <winsock2.h>
#include <ws2tcpip.h>

#include <cctype>
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
  setsockopt(s.get(), SOL_SOCKET, SO_RCVTIMEO, reinterpret_cast<const char*>(&timeout_ms), sizeof timeout_ms);
  if (::connect(s.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    r.error = "connect: WSA error " + std::to_string(WSAGetLastError());
    return r;
  }
  std::string req = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" +
                    extra_headers + "\r\n";
  if (::send(s.get(), req.data(), static_cast<int>(req.size()), 0) != static_cast<int>(req.size())) {
    r.error = "send failed";
  }
  std::string raw;
  char buf[16384];
  for (int n; (n = ::recv(s.get(), buf, sizeof buf, 0)) > 0;) raw.append(buf, static_cast<size_t>(n));
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
