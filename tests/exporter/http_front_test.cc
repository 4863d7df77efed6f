// The HTTP front (exporter/http_front.h): where requests and answers end, and
// the front with civetweb behind it holding clients that stall, read slowly
// or keep their connection, while a scrape still gets a worker.
#include "exporter/http_front.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "exporter/http_server.h"
#include "tests/http_client.h"

namespace winnet {
namespace {

using Clock = std::chrono::steady_clock;
using testing::HttpRequest;

TEST(FrameRequest, WaitsForTheBlankLineThenTheBody) {
  EXPECT_EQ(FrameRequest("GET / HTTP/1.1\r\nHost: x\r\n", 100).kind, FrameKind::kNeedMore);
  auto frame = FrameRequest("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /next", 100);
  ASSERT_EQ(frame.kind, FrameKind::kComplete);
  EXPECT_EQ(frame.head_length, 27u);
  EXPECT_EQ(frame.length, 27u);
  frame = FrameRequest("GET / HTTP/1.0\n\n", 100);  // bare line feeds, as civetweb takes them
  ASSERT_EQ(frame.kind, FrameKind::kComplete);
  EXPECT_EQ(frame.length, 16u);
  const std::string post = "POST / HTTP/1.1\r\ncontent-length: 5\r\n\r\n";
  EXPECT_EQ(FrameRequest(post + "abc", 100).kind, FrameKind::kNeedMore);
  frame = FrameRequest(post + "abcdeGET", 100);
  ASSERT_EQ(frame.kind, FrameKind::kComplete);
  EXPECT_EQ(frame.length, post.size() + 5);
}

TEST(FrameRequest, RefusesWhatCannotBeHeldOrFramed) {
  EXPECT_EQ(FrameRequest(std::string(100, 'a'), 100).kind, FrameKind::kHeadTooLarge);
  EXPECT_EQ(FrameRequest("GET / HTTP/1.1\r\nX: " + std::string(100, 'a') + "\r\n\r\n", 100).kind,
            FrameKind::kHeadTooLarge);
  EXPECT_EQ(FrameRequest(std::string(99, 'a'), 100).kind, FrameKind::kNeedMore);
  auto frame = FrameRequest("POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n", 100);
  EXPECT_EQ(frame.kind, FrameKind::kBodyTooLarge);
  EXPECT_NE(frame.why.find("body is larger than 100 bytes"), std::string::npos) << frame.why;
  frame = FrameRequest("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 100);
  EXPECT_EQ(frame.kind, FrameKind::kBadRequest);
  EXPECT_NE(frame.why.find("Transfer-Encoding"), std::string::npos);
  EXPECT_EQ(FrameRequest("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 100).kind,
            FrameKind::kBadRequest);
  EXPECT_EQ(
      FrameRequest("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 100).kind,
      FrameKind::kBadRequest);
  EXPECT_EQ(
      FrameRequest("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx", 100).kind,
      FrameKind::kComplete);
}

// civetweb reads 64 headers at most and ends the head at a folded line: the
// front refuses what civetweb would read differently.
TEST(FrameRequest, RefusesHeadsCivetwebWouldReadDifferently) {
  std::string head = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 63; ++i) head += "X-" + std::to_string(i) + ": a\r\n";
  EXPECT_EQ(FrameRequest(head + "\r\n", 16384).kind, FrameKind::kComplete);
  auto frame = FrameRequest(head + "X-63: a\r\n\r\n", 16384);
  EXPECT_EQ(frame.kind, FrameKind::kBadRequest);
  EXPECT_EQ(frame.why, "more than 63 header lines");
  frame = FrameRequest("GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n", 16384);
  EXPECT_EQ(frame.kind, FrameKind::kBadRequest);
  EXPECT_NE(frame.why.find("folding"), std::string::npos);
}

TEST(FrameRequest, TheWorkerGetsConnectionCloseAndEverythingElse) {
  const std::string request =
      "GET /metrics HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\nKeep-Alive: 5\r\n"
      "Accept-Encoding: gzip\r\n\r\n";
  EXPECT_EQ(RequestForWorker(request, request.size()),
            "GET /metrics HTTP/1.1\r\nConnection: close\r\nHost: a\r\nAccept-Encoding: gzip\r\n"
            "\r\n");
  const std::string post = "POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nab";
  EXPECT_EQ(RequestForWorker(post, post.size() - 2),
            "POST / HTTP/1.1\r\nConnection: close\r\nContent-Length: 2\r\n\r\nab");
}

TEST(FrameRequest, WhoKeepsTheConnection) {
  auto keeps = [](const std::string& head) { return ClientKeepsAlive(head, head.size()); };
  EXPECT_TRUE(keeps("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
  EXPECT_FALSE(keeps("GET / HTTP/1.1\r\nconnection: Close\r\n\r\n"));
  EXPECT_FALSE(keeps("GET / HTTP/1.0\r\n\r\n"));
  EXPECT_TRUE(keeps("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"));
}

TEST(FrameAnswer, KeptOnlyWhenTheAnswerHasALength) {
  const std::string ok = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc";
  AnswerHead head = FrameAnswer(ok, false);
  EXPECT_TRUE(head.complete);
  EXPECT_TRUE(head.has_length);
  EXPECT_EQ(head.length, ok.size() - 3);
  EXPECT_EQ(KeepAliveHead(ok.substr(0, head.length)),
            "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: keep-alive\r\n\r\n");
  EXPECT_FALSE(FrameAnswer("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nabc", false).has_length);
  EXPECT_FALSE(
      FrameAnswer("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
                  false)
          .has_length);
  // civetweb's own error pages have a body even for HEAD, and no length.
  EXPECT_FALSE(FrameAnswer("HTTP/1.1 400 Bad\r\nConnection: close\r\n\r\n", true).has_length);
  head = FrameAnswer("HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n", true);
  EXPECT_TRUE(head.has_length);
  EXPECT_EQ(head.body_length, 0u) << "a HEAD answer has no body";
  EXPECT_EQ(FrameAnswer(ok, false).body_length, 3u);
  EXPECT_TRUE(FrameAnswer("HTTP/1.1 304 Not Modified\r\n\r\n", false).has_length);
  EXPECT_FALSE(FrameAnswer("HTTP/1.1 200 OK\r\nContent-Le", false).complete);
}

// --- The front with civetweb behind it ---

// A raw client on the front's sockets: it can stall, send half a request, or
// not read.
class RawClient {
 public:
  explicit RawClient(SocketHandle accepted) : socket_(accepted) {}
  SocketHandle socket() const { return socket_; }
  explicit RawClient(int port) {
    auto s = ConnectLoopback(port);
    if (s.ok()) socket_ = *s;
    std::vector<PollEntry> entries{{socket_, false, true}};
    PollSockets(&entries, 2000);
  }
  ~RawClient() { CloseSocket(socket_); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool Send(const std::string& text, const std::atomic<bool>* stop = nullptr) {
    for (size_t sent = 0; sent < text.size();) {
      if (stop != nullptr && *stop) return false;
      IoResult io = SendSome(socket_, text.data() + sent, text.size() - sent);
      if (io.state == IoState::kMoved) sent += io.bytes;
      if (io.state == IoState::kClosed || io.state == IoState::kFailed) return false;
      if (io.state == IoState::kWouldBlock) Wait(true);
    }
    return true;
  }
  // Reads until `count` answers have arrived whole (their Content-Length),
  // the peer closes or 5 s pass; what was read.
  std::string ReadAnswers(int count) {
    std::string text;
    const auto end = Clock::now() + std::chrono::seconds(5);
    while (Clock::now() < end && Answers(text) < count) {
      char buffer[4096];
      IoResult io = ReceiveSome(socket_, buffer, sizeof buffer);
      if (io.state == IoState::kMoved) text.append(buffer, io.bytes);
      if (io.state == IoState::kClosed || io.state == IoState::kFailed) break;
      if (io.state == IoState::kWouldBlock) Wait(false);
    }
    return text;
  }
  // Reads up to the end of a request's head (within 5 s).
  void ReadHead() {
    std::string text;
    const auto end = Clock::now() + std::chrono::seconds(5);
    while (Clock::now() < end && text.find("\r\n\r\n") == std::string::npos) {
      char buffer[4096];
      IoResult io = ReceiveSome(socket_, buffer, sizeof buffer);
      if (io.state == IoState::kMoved) text.append(buffer, io.bytes);
      if (io.state == IoState::kClosed || io.state == IoState::kFailed) return;
      if (io.state == IoState::kWouldBlock) Wait(false);
    }
  }
  // Whether the front closed the connection (within 5 s).
  bool Closed() {
    const auto end = Clock::now() + std::chrono::seconds(5);
    while (Clock::now() < end) {
      char buffer[4096];
      IoResult io = ReceiveSome(socket_, buffer, sizeof buffer);
      if (io.state == IoState::kClosed || io.state == IoState::kFailed) return true;
      if (io.state == IoState::kWouldBlock) Wait(false);
    }
    return false;
  }

 private:
  void Wait(bool write) {
    std::vector<PollEntry> entries{{socket_, !write, write}};
    PollSockets(&entries, 100);
  }
  static int Answers(const std::string& text) {
    int n = 0;
    for (size_t at = 0; (at = text.find("\r\n\r\n", at)) != std::string::npos; ++n) {
      const size_t head_start = text.rfind("HTTP/1.1 ", at);
      const size_t length_at = text.find("Content-Length: ", head_start);
      if (length_at == std::string::npos || length_at > at) return n + 1;
      const size_t length = std::stoul(text.substr(length_at + 16));
      if (text.size() < at + 4 + length) return n;
      at += 4 + length;
    }
    return n;
  }
  SocketHandle socket_ = kNoSocket;
};

// made: the exposition is made already, else the first scrape makes it (on a
// worker) from the families.
std::shared_ptr<const Rendered> ContentOf(size_t metrics_bytes, bool made = true) {
  auto r = std::make_shared<Rendered>();
  r->cycle = 1;
  std::string text = "# HELP m h\n# TYPE m gauge\n";
  for (int i = 0; text.size() < metrics_bytes; ++i)
    text += "m{i=\"" + std::to_string(i) + "\"} 1\n";
  if (made) {
    r->SetMetricsText(text);
  } else {
    r->SetMetrics(std::make_shared<RenderedFamilies>(RenderedFamilies{{"m", text}}), nullptr, {});
  }
  r->snapshot = std::make_shared<NodeSnapshot>();
  r->SetHealthText("ok: exporter running\n");
  return r;
}

class Front : public ::testing::Test {
 protected:
  // request_timeout_ms: by default longer than the test, so that only the
  // front can save a scrape.
  void Start(size_t metrics_bytes, int request_timeout_ms = 10000, bool made = true) {
    content_ = ContentOf(metrics_bytes, made);
    HttpOptions o;
    o.listen_address = "127.0.0.1:0";
    o.front_workers = 2;
    o.request_timeout_ms = request_timeout_ms;
    o.keep_alive_timeout_ms = 10000;
    auto s = HttpServer::Start(o, [this] { return content_; });
    ASSERT_TRUE(s.ok()) << s.error();
    server_ = std::move(*s);
  }
  // A request on a new connection that only a worker answers (/healthz: the
  // front answers made metrics itself): its status and how long it took.
  std::pair<int, double> TimedScrape() {
    const auto start = Clock::now();
    const int status = HttpRequest(server_->port(), "GET", "/healthz").status;
    return {status, std::chrono::duration<double>(Clock::now() - start).count()};
  }
  std::shared_ptr<const Rendered> content_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(Front, ClientsThatStallHoldNoWorker) {
  Start(1000);
  std::vector<std::unique_ptr<RawClient>> stalled;
  for (int i = 0; i < 40; ++i) {
    stalled.push_back(std::make_unique<RawClient>(server_->port()));
    if (i % 2 == 1) {
      ASSERT_TRUE(stalled.back()->Send("GET /metrics HTTP/1.1\r\nHost: a\r\n"));
    }
  }
  auto [status, seconds] = TimedScrape();
  EXPECT_EQ(status, 200);
  EXPECT_LT(seconds, 1.0) << "two workers, forty stalled clients";
}

TEST_F(Front, AKeptConnectionServesRequestsInTurnAndHoldsNoWorkerWhileIdle) {
  Start(1000);
  std::vector<std::unique_ptr<RawClient>> idle;
  for (int i = 0; i < 4; ++i) {  // twice the workers, kept alive and idle
    idle.push_back(std::make_unique<RawClient>(server_->port()));
    ASSERT_TRUE(idle.back()->Send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n"));
    EXPECT_NE(idle.back()->ReadAnswers(1).find("Connection: keep-alive"), std::string::npos);
  }
  auto [status, seconds] = TimedScrape();
  EXPECT_EQ(status, 200);
  EXPECT_LT(seconds, 1.0);
  // Two requests in one write, then one more on the same connection.
  RawClient& kept = *idle.front();
  ASSERT_TRUE(kept.Send("GET /metrics HTTP/1.1\r\nHost: a\r\n\r\nGET /healthz HTTP/1.1\r\n\r\n"));
  std::string answers = kept.ReadAnswers(2);
  EXPECT_NE(answers.find(content_->Metrics()), std::string::npos) << answers.substr(0, 300);
  EXPECT_NE(answers.find("HTTP/1.1 200", answers.find(content_->Metrics())), std::string::npos);
  ASSERT_TRUE(kept.Send("GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n"));
  answers = kept.ReadAnswers(1);
  EXPECT_NE(answers.find("ok: exporter running"), std::string::npos) << answers;
  EXPECT_TRUE(kept.Closed()) << "the client asked to close";
}

// A stand-in worker on loopback: it takes one connection, reads its request
// and writes an answer of `body_bytes`; finished() tells whether the write
// went through (the front took it) within the time given.
class StandInWorker {
 public:
  // kShort: half the body, then it closes; kNothing: it closes at once.
  enum class Answer { kWhole, kShort, kNothing };
  explicit StandInWorker(size_t body_bytes, Answer answer = Answer::kWhole)
      : body_bytes_(body_bytes), answer_(answer) {
    auto listener = ListenTcp4("127.0.0.1", 0, 4);
    if (listener.ok()) listener_ = *listener;
    thread_ = std::thread([this] { Serve(); });
  }
  ~StandInWorker() {
    stop_ = true;
    thread_.join();
    CloseSocket(listener_);
  }
  StandInWorker(const StandInWorker&) = delete;
  StandInWorker& operator=(const StandInWorker&) = delete;
  int port() const { return LocalPort(listener_); }
  bool finished() const { return finished_; }

 private:
  void Serve() {
    std::vector<PollEntry> entries{{listener_, true, false}};
    while (!stop_ && !entries[0].readable) PollSockets(&entries, 50);
    bool no_descriptors = false;
    RawClient connection(AcceptConnection(listener_, &no_descriptors));
    connection.ReadHead();
    if (answer_ == Answer::kNothing) return;
    const size_t sent = answer_ == Answer::kShort ? body_bytes_ / 2 : body_bytes_;
    const std::string answer = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body_bytes_) +
                               "\r\n\r\n" + std::string(sent, 'x');
    finished_ = connection.Send(answer, &stop_);
  }
  size_t body_bytes_;
  Answer answer_;
  SocketHandle listener_ = kNoSocket;
  std::atomic<bool> stop_{false};
  std::atomic<bool> finished_{false};
  std::thread thread_;
};

// Whether the stand-in worker's 40 MB answer goes through within 3 s while
// the client reads none of it; the front may hold `max_buffered` bytes.
bool WorkerFreedFromClientThatDoesNotRead(size_t max_buffered) {
  StandInWorker worker(40u << 20);  // beyond what the kernel's socket buffers hold
  FrontOptions options;
  options.host = "127.0.0.1";
  options.worker_port = worker.port();
  options.max_buffered_bytes = max_buffered;
  auto front = HttpFront::Start(options);
  if (!front.ok()) return false;
  RawClient client((*front)->port());
  client.Send("GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n");
  const auto end = Clock::now() + std::chrono::seconds(3);
  while (!worker.finished() && Clock::now() < end) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return worker.finished();
}

TEST(FrontBuffer, AWorkerIsFreedFromAClientThatDoesNotReadUpToTheBufferCap) {
  EXPECT_TRUE(WorkerFreedFromClientThatDoesNotRead(64u << 20));
  EXPECT_FALSE(WorkerFreedFromClientThatDoesNotRead(1u << 20)) << "the cap held nothing back";
}

std::unique_ptr<HttpFront> FrontFor(const StandInWorker& worker) {
  FrontOptions options;
  options.host = "127.0.0.1";
  options.worker_port = worker.port();
  auto front = HttpFront::Start(options);
  return front.ok() ? std::move(*front) : nullptr;
}

TEST(FrontAnswers, AShortAnswerClosesAKeptConnectionAndNoAnswerIs502) {
  StandInWorker short_answer(1000, StandInWorker::Answer::kShort);
  auto front = FrontFor(short_answer);
  ASSERT_NE(front, nullptr);
  RawClient client(front->port());
  ASSERT_TRUE(client.Send("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
  EXPECT_TRUE(client.Closed()) << "the client would wait for 500 bytes that never come";
  StandInWorker nothing(1000, StandInWorker::Answer::kNothing);
  front = FrontFor(nothing);
  ASSERT_NE(front, nullptr);
  RawClient second(front->port());
  ASSERT_TRUE(second.Send("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
  const std::string answer = second.ReadAnswers(1);
  EXPECT_EQ(answer.substr(0, 12), "HTTP/1.1 502") << answer;
}

TEST_F(Front, BlankLinesBeforeARequestAndAClientThatClosesItsSideAfterTwo) {
  Start(1000);
  RawClient client(server_->port());
  ASSERT_TRUE(client.Send("\r\n\r\nGET /healthz HTTP/1.1\r\n\r\nGET /metrics HTTP/1.1\r\n\r\n"));
  ShutdownSending(client.socket());
  const std::string answers = client.ReadAnswers(2);
  EXPECT_NE(answers.find("ok: exporter running"), std::string::npos) << answers;
  EXPECT_NE(answers.find(content_->Metrics()), std::string::npos) << answers;
}

TEST_F(Front, RefusesWhatItCannotFrameAndSaysWhy) {
  Start(1000);
  RawClient large(server_->port());
  ASSERT_TRUE(large.Send("GET / HTTP/1.1\r\nX: " + std::string(20000, 'a') + "\r\n\r\n"));
  std::string answer = large.ReadAnswers(1);
  EXPECT_EQ(answer.substr(0, 12), "HTTP/1.1 400") << answer;
  EXPECT_NE(answer.find("request head is larger than 16384 bytes"), std::string::npos);
  EXPECT_TRUE(large.Closed());
  RawClient chunks(server_->port());
  ASSERT_TRUE(chunks.Send("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"));
  answer = chunks.ReadAnswers(1);
  EXPECT_EQ(answer.substr(0, 12), "HTTP/1.1 400") << answer;
  // A body with a length reaches the exporter, which allows only GET and HEAD.
  auto post = HttpRequest(server_->port(), "POST", "/metrics", "Content-Length: 3\r\n\r\nabc");
  EXPECT_EQ(post.status, 405) << post.error;
  EXPECT_EQ(TimedScrape().first, 200);
}

TEST_F(Front, ARequestThatTricklesInIsClosedAfterTheRequestTimeout) {
  Start(100, 400);
  RawClient trickle(server_->port());
  const auto start = Clock::now();
  bool open = true;
  for (int i = 0; i < 20 && open; ++i) {  // a byte every 100 ms, for up to 2 s
    open = trickle.Send("X");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(trickle.Closed());
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - start).count(), 1.5);
}

TEST_F(Front, AClientThatGoesQuietIsClosedAfterTheRequestTimeout) {
  Start(100, 300);
  RawClient quiet(server_->port());
  ASSERT_TRUE(quiet.Send("GET / HT"));
  const auto start = Clock::now();
  EXPECT_TRUE(quiet.Closed());
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  EXPECT_GT(seconds, 0.2);
  EXPECT_LT(seconds, 2.0);
}

}  // namespace
}  // namespace winnet

namespace winnet {
namespace {

TEST(MadeText, TheHeadIsTheWorkersWithADate) {
  EXPECT_EQ(MetricsAnswerHead(true, 12, true, 1795985821),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
            "Content-Length: 12\r\nCache-Control: no-store\r\nContent-Encoding: gzip\r\n"
            "Vary: Accept-Encoding\r\nDate: Sun, 29 Nov 2026 20:57:01 GMT\r\n"
            "Connection: keep-alive\r\n\r\n");
  EXPECT_NE(MetricsAnswerHead(false, 0, false, 0)
                .find("Date: Thu, 01 Jan 1970 00:00:00 GMT\r\n"
                      "Connection: close\r\n"),
            std::string::npos);
}

// With no worker to reach, only the front can answer: a made text is sent,
// a text not made yet goes to the (missing) worker, 503.
TEST(MadeText, TheFrontSendsAMadeTextWithoutAWorker) {
  auto listener = ListenTcp4("127.0.0.1", 0, 1);  // a port nobody accepts on
  ASSERT_TRUE(listener.ok());
  const int closed_port = LocalPort(*listener);
  CloseSocket(*listener);
  auto content = std::make_shared<Rendered>();
  content->cycle = 1;
  content->SetMetricsText("# TYPE m gauge\nm 1\n");
  FrontOptions options;
  options.host = "127.0.0.1";
  options.worker_port = closed_port;
  options.telemetry_path = "/metrics";
  options.content = [content] { return std::shared_ptr<const Rendered>(content); };
  auto front = HttpFront::Start(options);
  ASSERT_TRUE(front.ok()) << front.error();
  const int port = (*front)->port();
  RawClient kept(port);
  ASSERT_TRUE(kept.Send("GET /metrics HTTP/1.1\r\n\r\nGET /metrics HTTP/1.1\r\n\r\n"));
  std::string answers = kept.ReadAnswers(2);
  EXPECT_NE(answers.find("Content-Length: 19\r\n"), std::string::npos) << answers;
  EXPECT_NE(answers.find("\r\n\r\n# TYPE m gauge\nm 1\nHTTP/1.1 200 OK\r\n"), std::string::npos)
      << answers;
  auto head = testing::HttpRequest(port, "HEAD", "/metrics");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.headers["content-length"], "19");
  EXPECT_EQ(head.body, "");
  EXPECT_EQ(testing::HttpRequest(port, "GET", "/metrics?x").status, 503) << "not the path";
  // Only HTTP/1.1 and HTTP/1.0 requests; a worker answers any other (400).
  for (const std::string line :
       {"GET /metrics XYZ", "GET /metrics HTTP/2.0", "GET /metricsX HTTP/1.1",
        "GET /metrics HTTP/1.1 x", "GET /metrics  HTTP/1.1"}) {
    RawClient odd(port);
    ASSERT_TRUE(odd.Send(line + "\r\n\r\n"));
    EXPECT_EQ(odd.ReadAnswers(1).substr(0, 12), "HTTP/1.1 503") << line;
  }
  RawClient old_client(port);
  ASSERT_TRUE(old_client.Send("GET /metrics HTTP/1.0\r\n\r\n"));
  const std::string old_answer = old_client.ReadAnswers(1);
  EXPECT_EQ(old_answer.substr(0, 12), "HTTP/1.1 200") << old_answer;
  EXPECT_NE(old_answer.find("Connection: close\r\n"), std::string::npos) << old_answer;
  EXPECT_TRUE(old_client.Closed());
  EXPECT_EQ(testing::HttpRequest(port, "GET", "/metrics", "Accept-Encoding: gzip\r\n").status, 503)
      << "gzip not made yet";
  content->MetricsGzip();
  auto gzip = testing::HttpRequest(port, "GET", "/metrics", "Accept-Encoding: gzip\r\n");
  EXPECT_EQ(gzip.status, 200);
  EXPECT_EQ(gzip.headers["content-encoding"], "gzip");
  EXPECT_EQ(gzip.body, content->MetricsGzip());
}

TEST_F(Front, TheFrontAndAWorkerAnswerAScrapeAlike) {
  Start(5000, 10000, /*made=*/false);
  for (const std::string accept : {"", "Accept-Encoding: gzip\r\n"}) {
    const bool gzip = !accept.empty();
    ASSERT_EQ(gzip ? content_->MetricsGzipIfMade() : content_->MetricsIfMade(), nullptr);
    auto from_worker = HttpRequest(server_->port(), "GET", "/metrics", accept);  // makes the text
    ASSERT_NE(gzip ? content_->MetricsGzipIfMade() : content_->MetricsIfMade(), nullptr);
    auto from_front = HttpRequest(server_->port(), "GET", "/metrics", accept);
    ASSERT_EQ(from_worker.status, 200);
    EXPECT_EQ(from_front.status, 200);
    EXPECT_EQ(from_front.body, from_worker.body);
    for (auto* r : {&from_worker, &from_front}) {
      EXPECT_FALSE(r->headers["date"].empty());
      r->headers.erase("date");
    }
    EXPECT_EQ(from_front.headers, from_worker.headers) << accept;
  }
}

}  // namespace
}  // namespace winnet
