// A stand-in for CNS's HTTP API on loopback (docs/state-files.md, "CNS
// API"): answers POST /debug/ipaddresses with a recorded body, or fails the
// way a test asks. Used by the unit tests (Linux and Windows) and, through
// tests/cns_standin_main.cc, by the end-to-end and Wine tests.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>

struct mg_connection;
struct mg_context;

namespace winnet::testing {

enum class CnsMode {
  kNormal,       // 200 with Content-Length and the body
  kChunked,      // 200, Transfer-Encoding: chunked (what Go writes for large answers)
  kSlow,         // waits delay_ms, then answers normally
  kStallBody,    // sends the head and half the body, then waits delay_ms
  kStatus500,    // 500 Internal Server Error with a short text
  kTruncated,    // Content-Length of the whole body, half of it sent, then closed
  kHuge,         // huge_bytes of body (Content-Length given)
  kHugeChunked,  // huge_bytes of body, chunked (no length known in advance)
};

// "normal", "chunked", … as the stand-in's --mode flag spells them.
bool CnsModeFromName(const std::string& name, CnsMode* mode);

struct CnsStandInOptions {
  CnsMode mode = CnsMode::kNormal;
  std::string body;  // the answer's body
  int delay_ms = 0;
  size_t huge_bytes = 0;
  std::string listen = "127.0.0.1:0";
};

class CnsStandIn {
 public:
  // nullptr when civetweb cannot listen.
  static std::unique_ptr<CnsStandIn> Start(CnsStandInOptions options);
  ~CnsStandIn();

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // What the last request was: "POST /debug/ipaddresses <body>".
  std::string last_request() const;
  int requests() const;

 private:
  explicit CnsStandIn(CnsStandInOptions options) : options_(std::move(options)) {}
  static int Handle(mg_connection* conn, void* self);
  void Answer(mg_connection* conn);
  void Wait(int ms);

  CnsStandInOptions options_;
  mg_context* ctx_ = nullptr;
  int port_ = 0;
  mutable std::mutex mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::string last_request_;
  int requests_ = 0;
};

}  // namespace winnet::testing
