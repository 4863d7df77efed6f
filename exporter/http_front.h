// The HTTP front: one thread that accepts the exporter's connections and holds
// each until a whole request has arrived, then hands that request to civetweb
// on a loopback port and relays the answer. A client that connects and sends
// nothing, or half a request, costs the front a few hundred bytes and never a
// civetweb worker, so a small pool of workers serves every scrape while any
// number of clients stall (docs/architecture.md, "The HTTP front").
//
// Each request goes to civetweb on a connection of its own, with
// "Connection: close"; the front keeps the client's connection alive itself
// when the answer has a length, so an idle keep-alive client holds no worker
// either.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "collectors/common/result.h"
#include "exporter/front_socket.h"

namespace winnet {

class Rendered;

// --- Where the requests and answers end (pure; tested on their own) ---

enum class FrameKind { kNeedMore, kComplete, kHeadTooLarge, kBodyTooLarge, kBadRequest };
struct RequestFrame {
  FrameKind kind = FrameKind::kNeedMore;
  size_t head_length = 0;  // with kComplete: the request line and headers, blank line included
  size_t length = 0;       // with kComplete: the head and the body
  std::string why;         // why it is refused
};
// The first request in `bytes`: its head may take at most max_bytes, and so
// may its body (Content-Length; bodies in chunks are refused).
RequestFrame FrameRequest(std::string_view bytes, size_t max_bytes);
// The complete request as civetweb gets it: "Connection: close" instead of
// the client's Connection header.
std::string RequestForWorker(std::string_view request, size_t head_length);
// Whether the client asked to keep the connection (HTTP/1.1 without
// "Connection: close").
bool ClientKeepsAlive(std::string_view request, size_t head_length);

struct AnswerHead {
  bool complete = false;    // the head has arrived (or is too long to wait for)
  size_t length = 0;        // of the head, blank line included
  bool has_length = false;  // Content-Length (or 204, 304): a kept connection knows the end
  size_t body_length = 0;   // what must follow the head (0 for a HEAD answer)
};
AnswerHead FrameAnswer(std::string_view bytes, bool head_request);
// The answer's head with "Connection: keep-alive" instead of civetweb's close.
std::string KeepAliveHead(std::string_view head);

// The head of a 200 answer with the metrics, as the civetweb handler sends it
// (exporter/http_server.cc, SendMetrics), and the connection kept or closed.
std::string MetricsAnswerHead(bool gzip, size_t length, bool keep_alive, int64_t unix_seconds);

// "HTTP/1.1 400 Bad Request" with a text body, closing the connection.
std::string FrontErrorAnswer(int status, std::string_view reason, std::string_view body);

// --- The front ---

struct FrontOptions {
  std::string host;  // numeric IPv4, "" for every address
  int port = 0;
  int worker_port = 0;               // civetweb on 127.0.0.1
  int request_timeout_ms = 3000;     // a request that makes no progress
  int answer_timeout_ms = 30000;     // an answer that makes no progress (worker or client)
  int keep_alive_timeout_ms = 5000;  // an idle kept-alive connection
  size_t max_request_bytes = 16384;  // head; the same again for a body
  size_t max_connections = 1000;     // beyond: new connections wait in the kernel's backlog
  // Bytes of answers held for clients that read slowly, over all connections;
  // beyond it (and 16 KiB per connection) the worker waits for the client.
  size_t max_buffered_bytes = 16u << 20;
  // A GET or HEAD of telemetry_path is answered by the front itself when the
  // text it asks for is made already (the first scrape of a cycle makes it,
  // on a worker): sent from the published text, no worker and no copy.
  // Empty: every request goes to a worker (basic auth, tests).
  std::string telemetry_path;
  std::function<std::shared_ptr<const Rendered>()> content;
};

class HttpFront {
 public:
  // Binds and starts the thread; the error is the socket's reason.
  static Result<std::unique_ptr<HttpFront>> Start(const FrontOptions& options);
  ~HttpFront();  // stops the thread and closes every connection
  HttpFront(const HttpFront&) = delete;
  HttpFront& operator=(const HttpFront&) = delete;

  int port() const { return port_; }

  struct Relay;

 private:
  explicit HttpFront(FrontOptions options);
  void Run();
  void RunOnce();
  void AcceptWaiting();
  void Step(Relay& relay, bool readable_client, bool writable_client, bool ready_worker);
  void ReadRequest(Relay& relay);
  void TakeRequest(Relay& relay);
  bool AnswerFromMadeText(Relay& relay, std::string_view request, size_t head_length);
  void ExchangeWithWorker(Relay& relay);
  void EndOfAnswer(Relay& relay);
  void KeepAliveIfItCan(Relay& relay);
  void WriteToClient(Relay& relay);
  void FinishAnswer(Relay& relay);
  int PollTimeoutMs() const;
  bool MayBuffer(const Relay& relay) const;

  FrontOptions options_;
  SocketHandle listener_ = kNoSocket;
  int port_ = 0;
  std::vector<std::unique_ptr<Relay>> relays_;
  size_t buffered_ = 0;                                  // answer bytes held over all relays
  std::vector<char> buffer_ = std::vector<char>(16384);  // each read goes through it
  std::chrono::steady_clock::time_point accept_paused_until_{};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace winnet
