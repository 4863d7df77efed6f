#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "exporter/front_socket.h"

namespace winnet {
namespace {

int Fd(SocketHandle s) { return static_cast<int>(s); }
SocketHandle Handle(int fd) { return fd < 0 ? kNoSocket : static_cast<SocketHandle>(fd); }

sockaddr_in Ipv4(uint32_t address, int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = address;
  return a;
}

IoResult IoOf(ssize_t n) {
  if (n > 0) return {IoState::kMoved, static_cast<size_t>(n)};
  if (n == 0) return {IoState::kClosed};
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return {IoState::kWouldBlock};
  return {IoState::kFailed};
}

// host:port as an address; an empty host is every address.
Result<sockaddr_in> AddressOf(const std::string& host, int port) {
  in_addr address{};
  address.s_addr = htonl(INADDR_ANY);
  if (!host.empty() && inet_pton(AF_INET, host.c_str(), &address) != 1) {
    return MakeError("\"" + host + "\" is not a numeric IPv4 address");
  }
  return Ipv4(address.s_addr, port);
}

}  // namespace

Result<SocketHandle> ListenTcp4(const std::string& host, int port, int backlog) {
  auto address = AddressOf(host, port);
  if (!address.ok()) return MakeError(address.error());
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return MakeError(std::string("socket: ") + std::strerror(errno));
  int on = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  sockaddr_in a = *address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd, backlog) != 0) {
    std::string why = std::strerror(errno);
    ::close(fd);
    return MakeError(why);
  }
  return Handle(fd);
}

int LocalPort(SocketHandle listener) {
  sockaddr_in a{};
  socklen_t n = sizeof a;
  if (::getsockname(Fd(listener), reinterpret_cast<sockaddr*>(&a), &n) != 0) return 0;
  return ntohs(a.sin_port);
}

SocketHandle AcceptConnection(SocketHandle listener, bool* out_of_descriptors) {
  int fd = ::accept4(Fd(listener), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
  *out_of_descriptors = fd < 0 && (errno == EMFILE || errno == ENFILE);
  if (fd >= 0) {
    int on = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  }
  return Handle(fd);
}

Result<SocketHandle> ConnectTcp4(const std::string& host, int port) {
  if (host.empty()) return MakeError("no host to connect to");
  auto address = AddressOf(host, port);
  if (!address.ok()) return MakeError(address.error());
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return MakeError(std::string("socket: ") + std::strerror(errno));
  int on = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  sockaddr_in a = *address;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 && errno != EINPROGRESS) {
    std::string why = std::strerror(errno);
    ::close(fd);
    return MakeError(why);
  }
  return Handle(fd);
}

std::string ConnectionError(SocketHandle socket) {
  int error = 0;
  socklen_t n = sizeof error;
  if (::getsockopt(Fd(socket), SOL_SOCKET, SO_ERROR, &error, &n) != 0) error = errno;
  return error == 0 ? std::string() : std::strerror(error);
}

IoResult ReceiveSome(SocketHandle socket, char* buffer, size_t size) {
  return IoOf(::recv(Fd(socket), buffer, size, 0));
}

IoResult SendSome(SocketHandle socket, const char* data, size_t size) {
  return IoOf(::send(Fd(socket), data, size, MSG_NOSIGNAL));
}

void RaiseDescriptorLimit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

void ShutdownSending(SocketHandle socket) { ::shutdown(Fd(socket), SHUT_WR); }

void CloseSocket(SocketHandle socket) {
  if (socket != kNoSocket) ::close(Fd(socket));
}

void PollSockets(std::vector<PollEntry>* entries, int timeout_ms) {
  std::vector<pollfd> fds(entries->size());
  for (size_t i = 0; i < fds.size(); ++i) {
    const PollEntry& e = (*entries)[i];
    fds[i] = {Fd(e.socket),
              static_cast<short>((e.want_read ? POLLIN : 0) | (e.want_write ? POLLOUT : 0)), 0};
  }
  if (::poll(fds.data(), fds.size(), timeout_ms) <= 0) return;
  for (size_t i = 0; i < fds.size(); ++i) {
    PollEntry& e = (*entries)[i];
    const short r = fds[i].revents;
    const bool trouble = (r & (POLLHUP | POLLERR | POLLNVAL)) != 0;
    e.readable = e.want_read && ((r & POLLIN) != 0 || trouble);
    e.writable = e.want_write && ((r & POLLOUT) != 0 || trouble);
  }
}

}  // namespace winnet
