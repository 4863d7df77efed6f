// Non-blocking TCP sockets for the HTTP front (exporter/http_front.h): the
// few calls it makes, so that the front itself is platform-neutral. Linux in
// front_socket_linux.cc, Winsock in front_socket_windows.cc.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "collectors/common/result.h"

namespace winnet {

using SocketHandle = std::uintptr_t;  // an fd on Linux, a SOCKET on Windows
constexpr SocketHandle kNoSocket = ~SocketHandle{0};

enum class IoState { kMoved, kWouldBlock, kClosed, kFailed };
struct IoResult {
  IoState state;
  size_t bytes = 0;  // with kMoved
};

// Binds host (numeric IPv4; "" is every address) and port (0: a free one)
// and listens, non-blocking. The error names the reason, not the flag.
Result<SocketHandle> ListenTcp4(const std::string& host, int port, int backlog);
int LocalPort(SocketHandle listener);
// An accepted connection, non-blocking; kNoSocket when none is waiting.
// *out_of_descriptors is set when the process has no descriptor left.
SocketHandle AcceptConnection(SocketHandle listener, bool* out_of_descriptors);
// Starts a non-blocking connection to host (numeric IPv4):port; it may still
// be in progress (the socket turns writable, then ConnectionError tells).
Result<SocketHandle> ConnectTcp4(const std::string& host, int port);
inline Result<SocketHandle> ConnectLoopback(int port) { return ConnectTcp4("127.0.0.1", port); }
// Raises the soft limit of open descriptors to the hard one (Linux; a
// connection through the front takes two). Windows has no such limit.
void RaiseDescriptorLimit();
// The error of a finished non-blocking connect: empty when it connected.
std::string ConnectionError(SocketHandle socket);
IoResult ReceiveSome(SocketHandle socket, char* buffer, size_t size);
IoResult SendSome(SocketHandle socket, const char* data, size_t size);
// No more sending; the peer reads the end of the data.
void ShutdownSending(SocketHandle socket);
void CloseSocket(SocketHandle socket);

struct PollEntry {
  SocketHandle socket;
  bool want_read = false;
  bool want_write = false;
  bool readable = false;  // also set on hang-up and errors: the read tells
  bool writable = false;
};
// Waits up to timeout_ms for any entry to be ready and fills in the results.
void PollSockets(std::vector<PollEntry>* entries, int timeout_ms);

}  // namespace winnet
