// The HTTP front (exporter/http_front.h; docs/architecture.md, "The HTTP front").
#include "exporter/http_front.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <ctime>
#include <optional>

#include "collectors/common/netaddr.h"
#include "exporter/http_text.h"
#include "exporter/poller.h"
#include "exporter/thread_name.h"

namespace winnet {
namespace {

using Clock = std::chrono::steady_clock;
constexpr size_t npos = std::string_view::npos;

bool ContainsIgnoringCase(std::string_view text, std::string_view word) {
  for (size_t i = 0; i + word.size() <= text.size(); ++i) {
    if (EqualsIgnoringCase(text.substr(i, word.size()), word)) return true;
  }
  return false;
}

// A head line without its line ending and the blanks around it.
std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return TrimSpace(s);
}

// Just past the blank line that ends a head ("\n\n" or "\n\r\n"), or npos.
size_t HeadEnd(std::string_view bytes) {
  for (size_t i = bytes.find('\n'); i != npos; i = bytes.find('\n', i + 1)) {
    if (i + 1 < bytes.size() && bytes[i + 1] == '\n') return i + 2;
    if (i + 2 < bytes.size() && bytes[i + 1] == '\r' && bytes[i + 2] == '\n') return i + 3;
  }
  return npos;
}

// A head's lines: the first, then each header line with its line ending.
struct HeadLines {
  std::string_view first;
  std::vector<std::string_view> headers;
};

HeadLines SplitHead(std::string_view head) {
  HeadLines lines;
  size_t start = 0;
  for (size_t end = head.find('\n'); end != npos; end = head.find('\n', start)) {
    std::string_view line = head.substr(start, end + 1 - start);
    start = end + 1;
    if (Trim(line).empty()) break;
    if (lines.first.empty()) {
      lines.first = line;
    } else {
      lines.headers.push_back(line);
    }
  }
  return lines;
}

std::string_view NameOf(std::string_view line) {
  const size_t colon = line.find(':');
  return colon == npos ? std::string_view() : Trim(line.substr(0, colon));
}

std::string_view ValueOf(std::string_view line) {
  const size_t colon = line.find(':');
  return colon == npos ? std::string_view() : Trim(line.substr(colon + 1));
}

bool IsHopHeader(std::string_view line) {
  return EqualsIgnoringCase(NameOf(line), "connection") ||
         EqualsIgnoringCase(NameOf(line), "keep-alive");
}

// civetweb reads at most 64 headers and ends the head at a folded line: a
// head it would read differently from the front is refused.
constexpr size_t kMaxHeaders = 63;  // and the front's Connection: close

// The body's length from Content-Length; an error text when it is unusable.
Result<size_t> BodyLength(const HeadLines& lines) {
  if (lines.headers.size() > kMaxHeaders) {
    return MakeError("more than " + std::to_string(kMaxHeaders) + " header lines");
  }
  std::optional<size_t> length;
  for (std::string_view line : lines.headers) {
    if (line.front() == ' ' || line.front() == '\t') {
      return MakeError("a header line folded onto the next (obsolete line folding)");
    }
    if (EqualsIgnoringCase(NameOf(line), "transfer-encoding")) {
      return MakeError("a request body in chunks (Transfer-Encoding) is not accepted");
    }
    if (!EqualsIgnoringCase(NameOf(line), "content-length")) continue;
    std::string_view value = ValueOf(line);
    if (value.empty() || value.size() > 12 || value.find_first_not_of("0123456789") != npos) {
      return MakeError("Content-Length is not a number");
    }
    const size_t n = std::stoull(std::string(value));
    if (length && *length != n) return MakeError("two different Content-Length headers");
    length = n;
  }
  return length.value_or(0);
}

// "Sun, 29 Nov 2026 20:57:01 GMT" (RFC 9110, 5.6.7).
std::string HttpDate(int64_t unix_seconds) {
  static const char* const kDays[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::string t = FormatRfc3339Utc(unix_seconds);  // 2026-11-29T20:57:01Z
  const int64_t days = unix_seconds >= 0 ? unix_seconds / 86400 : (unix_seconds - 86399) / 86400;
  const int month = std::stoi(t.substr(t.size() - 15, 2));
  return std::string(kDays[((days % 7) + 7) % 7]) + ", " + t.substr(t.size() - 12, 2) + " " +
         kMonths[month - 1] + " " + t.substr(0, t.size() - 16) + " " + t.substr(t.size() - 9, 8) +
         " GMT";
}

}  // namespace

std::string MetricsAnswerHead(bool gzip, size_t length, bool keep_alive, int64_t unix_seconds) {
  std::string head = "HTTP/1.1 200 OK\r\nContent-Type: ";
  head += kMetricsContentType;
  head += "\r\nContent-Length: " + std::to_string(length) + "\r\nCache-Control: no-store\r\n";
  if (gzip) head += "Content-Encoding: gzip\r\n";
  head += "Vary: Accept-Encoding\r\nDate: " + HttpDate(unix_seconds) + "\r\n";
  head += keep_alive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
  return head;
}

RequestFrame FrameRequest(std::string_view bytes, size_t max_bytes) {
  RequestFrame frame;
  const size_t head_end = HeadEnd(bytes.substr(0, std::min(bytes.size(), max_bytes + 3)));
  if (head_end == npos || head_end > max_bytes) {
    if (bytes.size() < max_bytes && head_end == npos) return frame;
    frame.kind = FrameKind::kHeadTooLarge;
    frame.why = "the request head is larger than " + std::to_string(max_bytes) + " bytes";
    return frame;
  }
  auto body = BodyLength(SplitHead(bytes.substr(0, head_end)));
  if (!body.ok()) {
    frame.kind = FrameKind::kBadRequest;
    frame.why = body.error();
  } else if (*body > max_bytes) {
    frame.kind = FrameKind::kBodyTooLarge;
    frame.why = "the request body is larger than " + std::to_string(max_bytes) + " bytes";
  } else if (bytes.size() >= head_end + *body) {
    frame.kind = FrameKind::kComplete;
    frame.head_length = head_end;
    frame.length = head_end + *body;
  }
  return frame;
}

std::string RequestForWorker(std::string_view request, size_t head_length) {
  const HeadLines lines = SplitHead(request.substr(0, head_length));
  std::string out(lines.first);
  out += "Connection: close\r\n";  // first: civetweb reads only the first 64 headers
  for (std::string_view line : lines.headers) {
    if (!IsHopHeader(line)) out += line;
  }
  out += "\r\n";
  out += request.substr(head_length);
  return out;
}

bool ClientKeepsAlive(std::string_view request, size_t head_length) {
  const HeadLines lines = SplitHead(request.substr(0, head_length));
  std::string_view connection;
  for (std::string_view line : lines.headers) {
    if (EqualsIgnoringCase(NameOf(line), "connection")) connection = ValueOf(line);
  }
  const std::string_view first = Trim(lines.first);
  if (first.size() >= 8 && EqualsIgnoringCase(first.substr(first.size() - 8), "HTTP/1.1")) {
    return !ContainsIgnoringCase(connection, "close");
  }
  return ContainsIgnoringCase(connection, "keep-alive");
}

AnswerHead FrameAnswer(std::string_view bytes, bool head_request) {
  AnswerHead answer;
  const size_t head_end = HeadEnd(bytes);
  if (head_end == npos) {
    answer.complete = bytes.size() > 16384;  // not worth waiting for: passed on as it is
    return answer;
  }
  answer.complete = true;
  answer.length = head_end;
  const HeadLines lines = SplitHead(bytes.substr(0, head_end));
  const std::string_view status = lines.first.size() > 12 ? lines.first.substr(9, 3) : "";
  std::optional<size_t> length;
  bool chunks = false;
  for (std::string_view line : lines.headers) {
    const std::string_view value = ValueOf(line);
    if (EqualsIgnoringCase(NameOf(line), "content-length") && !value.empty() && value.size() < 13 &&
        value.find_first_not_of("0123456789") == npos) {
      length = std::stoull(std::string(value));
    }
    chunks = chunks || EqualsIgnoringCase(NameOf(line), "transfer-encoding");
  }
  if (status == "204" || status == "304") length = 0;
  answer.has_length = length.has_value() && !chunks;
  // A HEAD answer's Content-Length is the GET's; no body follows it.
  answer.body_length = head_request ? 0 : length.value_or(0);
  return answer;
}

std::string KeepAliveHead(std::string_view head) {
  const HeadLines lines = SplitHead(head);
  std::string out(lines.first);
  for (std::string_view line : lines.headers) {
    if (!IsHopHeader(line)) out += line;
  }
  out += "Connection: keep-alive\r\n\r\n";
  return out;
}

std::string FrontErrorAnswer(int status, std::string_view reason, std::string_view body) {
  std::string text(body);
  text += '\n';
  return "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) +
         "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " +
         std::to_string(text.size()) + "\r\nConnection: close\r\n\r\n" + text;
}

// --- The front's thread ---

struct HttpFront::Relay {
  enum class Phase { kRequest, kConnecting, kAnswer, kMadeText, kClosing };
  explicit Relay(SocketHandle accepted) : client(accepted) {}
  ~Relay() {
    CloseSocket(client);
    CloseSocket(worker);
  }
  Relay(const Relay&) = delete;
  Relay& operator=(const Relay&) = delete;

  size_t Pending() const { return to_client.size() - to_client_sent; }
  size_t TextPending() const { return text.size() - text_sent; }

  SocketHandle client;
  SocketHandle worker = kNoSocket;
  Phase phase = Phase::kRequest;
  std::string from_client;  // bytes of requests not yet handed on
  std::string to_worker;    // the request being handed on
  size_t to_worker_sent = 0;
  std::string to_client;  // the answer being relayed, or the front's own
  size_t to_client_sent = 0;
  std::shared_ptr<const Rendered> made;  // holds `text` while it is sent
  std::string_view text;                 // a made text, after to_client (its head)
  size_t text_sent = 0;
  bool client_keeps_alive = false;
  bool head_request = false;
  bool answer_head_done = false;
  bool answer_keeps_alive = false;
  bool worker_done = false;
  bool client_done = false;       // the client closed its side
  bool served = false;            // at least one answer went out
  bool worker_send_shut = false;  // the whole request went to the worker
  size_t answer_expected = 0;     // head and body of an answer with a length
  size_t answer_received = 0;     // from the worker, as it came
  bool lingering = false;         // sending is shut; waiting for the client to close
  bool finished = false;          // to be closed and dropped
  Clock::time_point deadline;
};

namespace {

// A worker connection not made by then is answered 503 (Windows before 10
// 2004 does not tell a failed connect through WSAPoll).
constexpr int kConnectTimeoutMs = 5000;

void Progress(HttpFront::Relay& relay, int timeout_ms) {
  relay.deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
}

// The front's own answer (a request it refuses, a worker it cannot reach);
// the connection closes once it is sent.
void Refuse(HttpFront::Relay& relay, int status, std::string_view reason, std::string_view why) {
  CloseSocket(relay.worker);
  relay.worker = kNoSocket;
  relay.to_client = FrontErrorAnswer(status, reason, why);
  relay.to_client_sent = 0;
  relay.answer_head_done = true;
  relay.phase = HttpFront::Relay::Phase::kClosing;
}

// The end of a connection: no more sending, then what the client still sends
// is read and dropped until it closes (at most a second). Closing at once
// with its bytes unread would reset the connection, and the client could
// lose the end of its answer.
void Linger(HttpFront::Relay& relay) {
  if (relay.client_done) {
    relay.finished = true;
  } else if (!relay.lingering) {
    ShutdownSending(relay.client);
    relay.lingering = true;
    relay.phase = HttpFront::Relay::Phase::kClosing;
    relay.from_client = std::string();
    Progress(relay, 1000);
  }
}

}  // namespace

Result<std::unique_ptr<HttpFront>> HttpFront::Start(const FrontOptions& options) {
  RaiseDescriptorLimit();
  auto listener = ListenTcp4(options.host, options.port, 128);
  if (!listener.ok()) return MakeError(listener.error());
  std::unique_ptr<HttpFront> front(new HttpFront(options));
  front->listener_ = *listener;
  front->port_ = LocalPort(*listener);
  front->thread_ = std::thread([f = front.get()] { f->Run(); });
  return front;
}

HttpFront::HttpFront(FrontOptions options) : options_(std::move(options)) {}

HttpFront::~HttpFront() {
  stop_ = true;
  // Wakes the thread's poll: a connection to its own listener.
  auto wake = ConnectTcp4(options_.host.empty() ? "127.0.0.1" : options_.host, port_);
  if (thread_.joinable()) thread_.join();
  if (wake.ok()) CloseSocket(*wake);
  relays_.clear();
  CloseSocket(listener_);
}

void HttpFront::Run() {
  NameThisThread("http-front");
  while (!stop_) RunOnce();
}

// Until the nearest deadline; with none, until a connection comes (or the
// destructor's wake-up), looking again at least every minute.
int HttpFront::PollTimeoutMs() const {
  const auto now = Clock::now();
  auto until = now + std::chrono::seconds(60);
  if (accept_paused_until_ > now) until = std::min(until, accept_paused_until_);
  for (const auto& relay : relays_) until = std::min(until, relay->deadline);
  const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(until - now);
  return static_cast<int>(std::max<int64_t>(0, wait.count() + 1));
}

bool HttpFront::MayBuffer(const Relay& relay) const {
  return relay.Pending() < (16u << 10) || buffered_ < options_.max_buffered_bytes;
}

void HttpFront::RunOnce() {
  buffered_ = 0;
  for (const auto& relay : relays_) buffered_ += relay->Pending();
  std::vector<PollEntry> entries;
  std::vector<std::pair<int, int>> slots;  // each relay's client and worker entry, or -1
  const bool accepting =
      relays_.size() < options_.max_connections && Clock::now() >= accept_paused_until_;
  if (accepting) entries.push_back({listener_, true, false});
  for (const auto& r : relays_) {
    const bool read_client =
        !r->client_done && r->from_client.size() <= options_.max_request_bytes * 2;
    const bool write_client = (r->Pending() > 0 || r->TextPending() > 0) && r->answer_head_done;
    int client_slot = -1, worker_slot = -1;
    if (read_client || write_client) {
      client_slot = static_cast<int>(entries.size());
      entries.push_back({r->client, read_client, write_client});
    }
    if (r->worker != kNoSocket) {
      const bool write_worker =
          r->phase == Relay::Phase::kConnecting ||
          (r->phase == Relay::Phase::kAnswer && r->to_worker_sent < r->to_worker.size());
      const bool read_worker =
          r->phase == Relay::Phase::kAnswer && !r->worker_done && MayBuffer(*r);
      if (read_worker || write_worker) {
        worker_slot = static_cast<int>(entries.size());
        entries.push_back({r->worker, read_worker, write_worker});
      }
    }
    slots.emplace_back(client_slot, worker_slot);
  }
  PollSockets(&entries, PollTimeoutMs());
  const size_t existing = relays_.size();
  for (size_t i = 0; i < existing; ++i) {
    const auto [c, w] = slots[i];
    Step(*relays_[i], c >= 0 && entries[c].readable, c >= 0 && entries[c].writable,
         w >= 0 && (entries[w].readable || entries[w].writable));
  }
  const auto now = Clock::now();
  for (const auto& relay : relays_) {
    if (now >= relay->deadline && relay->phase == Relay::Phase::kConnecting) {
      spdlog::warn("http front: no HTTP worker took the connection within {} ms",
                   kConnectTimeoutMs);
      Refuse(*relay, 503, "Service Unavailable", "no HTTP worker of the exporter is free");
      Progress(*relay, options_.request_timeout_ms);
    }
  }
  relays_.erase(std::remove_if(relays_.begin(), relays_.end(),
                               [now](const auto& r) { return r->finished || now >= r->deadline; }),
                relays_.end());
  if (accepting && entries[0].readable) AcceptWaiting();
}

void HttpFront::AcceptWaiting() {
  for (int i = 0; i < 64 && relays_.size() < options_.max_connections; ++i) {
    bool out_of_descriptors = false;
    SocketHandle s = AcceptConnection(listener_, &out_of_descriptors);
    if (out_of_descriptors) {
      spdlog::warn("http front: no file descriptor left for a new connection; waiting 100 ms");
      accept_paused_until_ = Clock::now() + std::chrono::milliseconds(100);
    }
    if (s == kNoSocket) return;
    relays_.push_back(std::make_unique<Relay>(s));
    Progress(*relays_.back(), options_.request_timeout_ms);
  }
}

void HttpFront::Step(Relay& relay, bool readable_client, bool writable_client, bool ready_worker) {
  if (readable_client) ReadRequest(relay);
  if (ready_worker && relay.phase == Relay::Phase::kConnecting) {
    const std::string error = ConnectionError(relay.worker);
    if (!error.empty()) {
      spdlog::warn("http front: cannot reach the HTTP workers: {}", error);
      Refuse(relay, 503, "Service Unavailable", "the exporter's HTTP workers cannot be reached");
    } else {
      relay.phase = Relay::Phase::kAnswer;
    }
  }
  if (ready_worker && relay.phase == Relay::Phase::kAnswer) ExchangeWithWorker(relay);
  if (writable_client || relay.Pending() > 0 || relay.TextPending() > 0) WriteToClient(relay);
  FinishAnswer(relay);
}

void HttpFront::ReadRequest(Relay& relay) {
  const IoResult io = ReceiveSome(relay.client, buffer_.data(), buffer_.size());
  if (io.state == IoState::kWouldBlock) return;
  if (io.state != IoState::kMoved) {
    relay.client_done = true;
    // Gone before a whole request, or broken: nothing more to answer.
    if (relay.phase == Relay::Phase::kRequest || io.state == IoState::kFailed) {
      relay.finished = true;
    }
    return;
  }
  if (relay.phase == Relay::Phase::kClosing) return;  // read only so that closing loses nothing
  // A request must be whole within the request timeout of its first byte
  // (of the connection, for the first): bytes that trickle in do not extend it.
  const bool starts_request = relay.from_client.empty() && relay.served;
  relay.from_client.append(buffer_.data(), io.bytes);
  if (relay.phase == Relay::Phase::kRequest) {
    if (starts_request) Progress(relay, options_.request_timeout_ms);
    TakeRequest(relay);
  }
}

// Hands a whole request, once one has arrived, to a worker on a new connection.
void HttpFront::TakeRequest(Relay& relay) {
  // Blank lines before a request line are ignored (RFC 9112, 2.2), as civetweb does.
  relay.from_client.erase(
      0, std::min(relay.from_client.find_first_not_of("\r\n"), relay.from_client.size()));
  const RequestFrame frame = FrameRequest(relay.from_client, options_.max_request_bytes);
  switch (frame.kind) {
    case FrameKind::kNeedMore: return;
    case FrameKind::kHeadTooLarge: return Refuse(relay, 400, "Bad Request", frame.why);
    case FrameKind::kBodyTooLarge: return Refuse(relay, 413, "Payload Too Large", frame.why);
    case FrameKind::kBadRequest: return Refuse(relay, 400, "Bad Request", frame.why);
    case FrameKind::kComplete: break;
  }
  const std::string_view request(relay.from_client.data(), frame.length);
  if (AnswerFromMadeText(relay, request, frame.head_length)) {
    relay.from_client.erase(0, frame.length);
    return;
  }
  relay.to_worker = RequestForWorker(request, frame.head_length);
  relay.to_worker_sent = 0;
  relay.client_keeps_alive = ClientKeepsAlive(request, frame.head_length);
  relay.head_request = request.substr(0, 5) == "HEAD ";
  relay.from_client.erase(0, frame.length);
  relay.answer_head_done = relay.answer_keeps_alive = relay.worker_done = false;
  relay.worker_send_shut = false;
  relay.answer_expected = relay.answer_received = 0;
  auto worker = ConnectLoopback(options_.worker_port);
  if (!worker.ok()) {
    spdlog::warn("http front: cannot reach the HTTP workers: {}", worker.error());
    return Refuse(relay, 503, "Service Unavailable",
                  "the exporter's HTTP workers cannot be reached");
  }
  relay.worker = *worker;
  relay.phase = Relay::Phase::kConnecting;
  Progress(relay, kConnectTimeoutMs);
}

// Sends the rest of the request and reads what the worker answered.
void HttpFront::ExchangeWithWorker(Relay& relay) {
  if (relay.to_worker_sent < relay.to_worker.size()) {
    const IoResult io = SendSome(relay.worker, relay.to_worker.data() + relay.to_worker_sent,
                                 relay.to_worker.size() - relay.to_worker_sent);
    if (io.state == IoState::kMoved) relay.to_worker_sent += io.bytes;
  }
  if (!relay.worker_send_shut && relay.to_worker_sent == relay.to_worker.size()) {
    ShutdownSending(relay.worker);  // whatever civetweb makes of the head, no second request
    relay.worker_send_shut = true;
  }
  if (relay.worker_done || !MayBuffer(relay)) return;
  const IoResult io = ReceiveSome(relay.worker, buffer_.data(), buffer_.size());
  if (io.state == IoState::kWouldBlock) return;
  Progress(relay, options_.answer_timeout_ms);
  if (io.state == IoState::kMoved) {
    relay.to_client.append(buffer_.data(), io.bytes);
    relay.answer_received += io.bytes;
  } else {
    EndOfAnswer(relay);
  }
  if (!relay.answer_head_done && relay.phase == Relay::Phase::kAnswer) KeepAliveIfItCan(relay);
}

// The worker closed: the answer is whole, or short of its length (then the
// client's connection closes after it), or missing (502).
void HttpFront::EndOfAnswer(Relay& relay) {
  relay.worker_done = true;
  CloseSocket(relay.worker);
  relay.worker = kNoSocket;
  if (relay.answer_received == 0) {
    spdlog::warn("http front: an HTTP worker closed without an answer");
    return Refuse(relay, 502, "Bad Gateway", "the exporter's HTTP worker gave no answer");
  }
  if (relay.answer_received < relay.answer_expected) relay.answer_keeps_alive = false;
}

// Once the answer's head is in: "Connection: keep-alive" in it when the
// client keeps its connection and the answer says where it ends.
void HttpFront::KeepAliveIfItCan(Relay& relay) {
  const AnswerHead head = FrameAnswer(relay.to_client, relay.head_request);
  if (!head.complete && !relay.worker_done) return;
  relay.answer_head_done = true;
  if (!head.complete || !head.has_length || !relay.client_keeps_alive) return;
  relay.answer_expected = head.length + head.body_length;
  relay.to_client = KeepAliveHead(std::string_view(relay.to_client).substr(0, head.length)) +
                    relay.to_client.substr(head.length);
  relay.answer_keeps_alive = relay.answer_received >= relay.answer_expected || !relay.worker_done;
}

void HttpFront::WriteToClient(Relay& relay) {
  if (!relay.answer_head_done) return;
  const bool from_buffer = relay.Pending() > 0;  // else from a made text
  const size_t size = from_buffer ? relay.Pending() : relay.TextPending();
  if (size == 0) return;
  const char* data = from_buffer ? relay.to_client.data() + relay.to_client_sent
                                 : relay.text.data() + relay.text_sent;
  const IoResult io = SendSome(relay.client, data, size);
  if (io.state == IoState::kWouldBlock) return;
  if (io.state != IoState::kMoved) {
    relay.finished = true;
    return;
  }
  Progress(relay, options_.answer_timeout_ms);
  if (!from_buffer) {
    relay.text_sent += io.bytes;
    return;
  }
  relay.to_client_sent += io.bytes;
  if (relay.Pending() == 0) {
    relay.to_client.clear();
    relay.to_client_sent = 0;
  } else if (relay.to_client_sent >= (256u << 10)) {
    relay.to_client.erase(0, relay.to_client_sent);
    relay.to_client_sent = 0;
  }
}

// A scrape of the metrics whose text is made already: its head, then the
// published text itself, held by the relay until it is sent.
bool HttpFront::AnswerFromMadeText(Relay& relay, std::string_view request, size_t head_length) {
  if (options_.telemetry_path.empty() || !options_.content) return false;
  const HeadLines lines = SplitHead(request.substr(0, head_length));
  std::string_view target = Trim(lines.first);
  const bool head_request = target.substr(0, 5) == "HEAD ";
  if (!head_request && target.substr(0, 4) != "GET ") return false;
  target.remove_prefix(head_request ? 5 : 4);
  // Exactly "<path> HTTP/1.1" or "HTTP/1.0"; anything else a worker answers
  // (400 for a version it does not know).
  const std::string_view version =
      target.substr(std::min(target.size(), options_.telemetry_path.size()));
  if (target.substr(0, options_.telemetry_path.size()) != options_.telemetry_path ||
      (version != " HTTP/1.1" && version != " HTTP/1.0")) {
    return false;
  }
  std::vector<std::string_view> encodings;
  for (std::string_view line : lines.headers) {
    if (EqualsIgnoringCase(NameOf(line), "accept-encoding")) encodings.push_back(ValueOf(line));
  }
  std::shared_ptr<const Rendered> content;
  try {
    content = options_.content();
  } catch (...) {
    return false;  // a worker asks again, and answers the error
  }
  if (!content) return false;
  const std::string* text = GzipAccepted(encodings) ? content->MetricsGzipIfMade() : nullptr;
  const bool gzip = text != nullptr && !text->empty();
  if (text == nullptr && GzipAccepted(encodings)) return false;  // a worker makes it
  if (!gzip) text = content->MetricsIfMade();
  if (text == nullptr) return false;
  const bool keep_alive = ClientKeepsAlive(request, head_length);
  relay.to_client = MetricsAnswerHead(gzip, text->size(), keep_alive, std::time(nullptr));
  relay.to_client_sent = 0;
  relay.text = head_request ? std::string_view() : std::string_view(*text);
  relay.text_sent = 0;
  relay.made = std::move(content);
  relay.answer_head_done = true;
  relay.answer_keeps_alive = keep_alive;
  relay.phase = Relay::Phase::kMadeText;
  Progress(relay, options_.answer_timeout_ms);
  return true;
}

// After an answer has gone out: the next request on a kept connection, or the end.
void HttpFront::FinishAnswer(Relay& relay) {
  if (relay.Pending() > 0 || relay.TextPending() > 0 || relay.finished) return;
  const bool answered = (relay.phase == Relay::Phase::kAnswer && relay.worker_done) ||
                        relay.phase == Relay::Phase::kMadeText;
  if (relay.phase != Relay::Phase::kClosing && !answered) return;
  if (relay.phase == Relay::Phase::kClosing || !relay.answer_keeps_alive) return Linger(relay);
  relay.phase = Relay::Phase::kRequest;
  relay.served = true;
  relay.to_client = std::string();  // an idle connection holds no answer's buffer
  relay.made.reset();
  relay.text = {};
  relay.text_sent = 0;
  Progress(relay, relay.from_client.empty() ? options_.keep_alive_timeout_ms
                                            : options_.request_timeout_ms);
  TakeRequest(relay);  // one that came while this one was answered
  // A client that has closed its side gets the answers to what it sent whole.
  if (relay.phase == Relay::Phase::kRequest && relay.client_done) Linger(relay);
}

}  // namespace winnet
