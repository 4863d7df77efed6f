#include <winsock2.h>
#include <ws2tcpip.h>

#include <mutex>

#include "collectors/common/win32_text_windows.h"
#include "exporter/front_socket.h"

namespace winnet {
namespace {

SOCKET Sock(SocketHandle s) { return static_cast<SOCKET>(s); }

void StartWinsock() {
  static std::once_flag once;
  std::call_once(once, [] {
    WSADATA data;
    WSAStartup(MAKEWORD(2, 2), &data);
  });
}

std::string LastSocketError() { return win32::ErrorText(static_cast<DWORD>(WSAGetLastError())); }

// A TCP socket that does not block, without inheritance; INVALID_SOCKET on failure.
SOCKET NonBlockingSocket() {
  StartWinsock();
  SOCKET s =
      ::WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, nullptr, 0, WSA_FLAG_NO_HANDLE_INHERIT);
  if (s == INVALID_SOCKET) return s;
  u_long on = 1;
  ::ioctlsocket(s, FIONBIO, &on);
  return s;
}

void NoDelay(SOCKET s) {
  BOOL on = TRUE;
  ::setsockopt(s, IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<const char*>(&on), sizeof on);
}

sockaddr_in Ipv4(ULONG address, int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<u_short>(port));
  a.sin_addr.s_addr = address;
  return a;
}

IoResult IoOf(int n) {
  if (n > 0) return {IoState::kMoved, static_cast<size_t>(n)};
  if (n == 0) return {IoState::kClosed};
  const int error = WSAGetLastError();
  if (error == WSAEWOULDBLOCK || error == WSAEINTR) return {IoState::kWouldBlock};
  return {IoState::kFailed};
}

// host:port as an address; an empty host is every address.
Result<sockaddr_in> AddressOf(const std::string& host, int port) {
  StartWinsock();
  IN_ADDR address{};
  address.s_addr = htonl(INADDR_ANY);
  if (!host.empty() && ::inet_pton(AF_INET, host.c_str(), &address) != 1) {
    return MakeError("\"" + host + "\" is not a numeric IPv4 address");
  }
  return Ipv4(address.s_addr, port);
}

int Clamp(size_t size) { return size > 1u << 30 ? 1 << 30 : static_cast<int>(size); }

}  // namespace

Result<SocketHandle> ListenTcp4(const std::string& host, int port, int backlog) {
  auto address = AddressOf(host, port);
  if (!address.ok()) return MakeError(address.error());
  SOCKET s = NonBlockingSocket();
  if (s == INVALID_SOCKET) return MakeError("socket: " + LastSocketError());
  // Windows' SO_REUSEADDR would let a second process take the port: exclusive instead.
  BOOL on = TRUE;
  ::setsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, reinterpret_cast<const char*>(&on), sizeof on);
  sockaddr_in a = *address;
  if (::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(s, backlog) != 0) {
    std::string why = LastSocketError();
    ::closesocket(s);
    return MakeError(why);
  }
  return static_cast<SocketHandle>(s);
}

int LocalPort(SocketHandle listener) {
  sockaddr_in a{};
  int n = sizeof a;
  if (::getsockname(Sock(listener), reinterpret_cast<sockaddr*>(&a), &n) != 0) return 0;
  return ntohs(a.sin_port);
}

SocketHandle AcceptConnection(SocketHandle listener, bool* out_of_descriptors) {
  SOCKET s = ::accept(Sock(listener), nullptr, nullptr);
  if (s == INVALID_SOCKET) {
    const int error = WSAGetLastError();
    *out_of_descriptors = error == WSAEMFILE || error == WSAENOBUFS;
    return kNoSocket;
  }
  *out_of_descriptors = false;
  u_long on = 1;
  ::ioctlsocket(s, FIONBIO, &on);
  NoDelay(s);
  return static_cast<SocketHandle>(s);
}

Result<SocketHandle> ConnectTcp4(const std::string& host, int port) {
  if (host.empty()) return MakeError("no host to connect to");
  auto address = AddressOf(host, port);
  if (!address.ok()) return MakeError(address.error());
  SOCKET s = NonBlockingSocket();
  if (s == INVALID_SOCKET) return MakeError("socket: " + LastSocketError());
  NoDelay(s);
  sockaddr_in a = *address;
  if (::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 &&
      WSAGetLastError() != WSAEWOULDBLOCK) {
    std::string why = LastSocketError();
    ::closesocket(s);
    return MakeError(why);
  }
  return static_cast<SocketHandle>(s);
}

std::string ConnectionError(SocketHandle socket) {
  int error = 0;
  int n = sizeof error;
  if (::getsockopt(Sock(socket), SOL_SOCKET, SO_ERROR, reinterpret_cast<char*>(&error), &n) != 0) {
    error = WSAGetLastError();
  }
  return error == 0 ? std::string() : win32::ErrorText(static_cast<DWORD>(error));
}

IoResult ReceiveSome(SocketHandle socket, char* buffer, size_t size) {
  return IoOf(::recv(Sock(socket), buffer, Clamp(size), 0));
}

IoResult SendSome(SocketHandle socket, const char* data, size_t size) {
  return IoOf(::send(Sock(socket), data, Clamp(size), 0));
}

void RaiseDescriptorLimit() {}

void ShutdownSending(SocketHandle socket) { ::shutdown(Sock(socket), SD_SEND); }

void CloseSocket(SocketHandle socket) {
  if (socket != kNoSocket) ::closesocket(Sock(socket));
}

void PollSockets(std::vector<PollEntry>* entries, int timeout_ms) {
  if (entries->empty()) {  // WSAPoll fails at once without a socket
    ::Sleep(static_cast<DWORD>(timeout_ms));
    return;
  }
  std::vector<WSAPOLLFD> fds(entries->size());
  for (size_t i = 0; i < fds.size(); ++i) {
    const PollEntry& e = (*entries)[i];
    fds[i].fd = Sock(e.socket);
    fds[i].events =
        static_cast<SHORT>((e.want_read ? POLLRDNORM : 0) | (e.want_write ? POLLWRNORM : 0));
  }
  const int ready = ::WSAPoll(fds.data(), static_cast<ULONG>(fds.size()), timeout_ms);
  if (ready < 0) ::Sleep(10);  // not a busy loop on an error
  if (ready <= 0) return;
  for (size_t i = 0; i < fds.size(); ++i) {
    PollEntry& e = (*entries)[i];
    const SHORT r = fds[i].revents;
    const bool trouble = (r & (POLLHUP | POLLERR | POLLNVAL)) != 0;
    e.readable = e.want_read && ((r & POLLRDNORM) != 0 || trouble);
    e.writable = e.want_write && ((r & POLLWRNORM) != 0 || trouble);
  }
}

}  // namespace winnet
