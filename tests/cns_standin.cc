#include "tests/cns_standin.h"

#include <civetweb.h>

#include <algorithm>
#include <chrono>
#include <cstring>

namespace winnet::testing {

namespace {

void SendHead(mg_connection* conn, int status, const char* text, const std::string& length) {
  mg_printf(conn,
            "HTTP/1.1 %d %s\r\nContent-Type: application/json; charset=UTF-8\r\n%s"
            "Connection: close\r\n\r\n",
            status, text, length.c_str());
}

std::string LengthHeader(size_t n) { return "Content-Length: " + std::to_string(n) + "\r\n"; }

void SendChunked(mg_connection* conn, const std::string& body) {
  SendHead(conn, 200, "OK", "Transfer-Encoding: chunked\r\n");
  for (size_t at = 0; at < body.size(); at += 1000) {
    std::string part = body.substr(at, 1000);
    if (mg_send_chunk(conn, part.data(), static_cast<unsigned>(part.size())) < 0) return;
  }
  mg_send_chunk(conn, "", 0);
}

// `n` bytes of a JSON document ("{"x":"xxx…"}"), written in pieces.
void SendHuge(mg_connection* conn, size_t n, bool chunked) {
  SendHead(conn, 200, "OK", chunked ? "Transfer-Encoding: chunked\r\n" : LengthHeader(n));
  std::string piece(65536, 'x');
  std::string head = R"({"x":")";
  size_t sent = 0;
  while (sent < n) {
    std::string part = sent == 0 ? head + piece.substr(head.size()) : piece;
    part.resize(std::min(part.size(), n - sent));
    int w = chunked ? mg_send_chunk(conn, part.data(), static_cast<unsigned>(part.size()))
                    : mg_write(conn, part.data(), part.size());
    if (w <= 0) return;  // the client gave up
    sent += part.size();
  }
  if (chunked) mg_send_chunk(conn, "", 0);
}

}  // namespace

bool CnsModeFromName(const std::string& name, CnsMode* mode) {
  static const std::pair<const char*, CnsMode> kNames[] = {
      {"normal", CnsMode::kNormal}, {"chunked", CnsMode::kChunked},
      {"slow", CnsMode::kSlow},     {"stall-body", CnsMode::kStallBody},
      {"500", CnsMode::kStatus500}, {"truncated", CnsMode::kTruncated},
      {"huge", CnsMode::kHuge},     {"huge-chunked", CnsMode::kHugeChunked}};
  for (const auto& [n, m] : kNames) {
    if (name == n) {
      *mode = m;
      return true;
    }
  }
  return false;
}

std::unique_ptr<CnsStandIn> CnsStandIn::Start(CnsStandInOptions options) {
  static std::once_flag init_once;
  std::call_once(init_once, [] { mg_init_library(0); });
  std::unique_ptr<CnsStandIn> s(new CnsStandIn(std::move(options)));
  const char* config[] = {"listening_ports", s->options_.listen.c_str(), "num_threads", "4",
                          nullptr};
  s->ctx_ = mg_start(nullptr, nullptr, config);
  if (s->ctx_ == nullptr) return nullptr;
  mg_set_request_handler(s->ctx_, "/debug/ipaddresses", &CnsStandIn::Handle, s.get());
  mg_server_port ports[4];
  std::memset(ports, 0, sizeof ports);
  if (mg_get_server_ports(s->ctx_, 4, ports) < 1) return nullptr;
  s->port_ = ports[0].port;
  return s;
}

CnsStandIn::~CnsStandIn() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (ctx_ != nullptr) mg_stop(ctx_);
}

std::string CnsStandIn::last_request() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_request_;
}

int CnsStandIn::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

void CnsStandIn::Wait(int ms) {
  std::unique_lock<std::mutex> lock(mu_);
  stop_cv_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_; });
}

int CnsStandIn::Handle(mg_connection* conn, void* self) {
  auto* s = static_cast<CnsStandIn*>(self);
  const mg_request_info* info = mg_get_request_info(conn);
  std::string body;
  char buf[4096];
  for (int n; (n = mg_read(conn, buf, sizeof buf)) > 0;) body.append(buf, static_cast<size_t>(n));
  {
    std::lock_guard<std::mutex> lock(s->mu_);
    s->last_request_ = std::string(info->request_method) + " " + info->local_uri + " " + body;
    ++s->requests_;
  }
  s->Answer(conn);
  return 1;
}

void CnsStandIn::Answer(mg_connection* conn) {
  const std::string& body = options_.body;
  switch (options_.mode) {
    case CnsMode::kSlow: Wait(options_.delay_ms); [[fallthrough]];
    case CnsMode::kNormal:
      SendHead(conn, 200, "OK", LengthHeader(body.size()));
      mg_write(conn, body.data(), body.size());
      return;
    case CnsMode::kChunked: SendChunked(conn, body); return;
    case CnsMode::kStallBody:
      SendHead(conn, 200, "OK", LengthHeader(body.size()));
      mg_write(conn, body.data(), body.size() / 2);
      Wait(options_.delay_ms);
      return;
    case CnsMode::kStatus500: {
      const std::string text = "internal error: the IP pool is not initialized yet\n";
      SendHead(conn, 500, "Internal Server Error", LengthHeader(text.size()));
      mg_write(conn, text.data(), text.size());
      return;
    }
    case CnsMode::kTruncated:
      SendHead(conn, 200, "OK", LengthHeader(body.size()));
      mg_write(conn, body.data(), body.size() / 2);
      return;
    case CnsMode::kHuge: SendHuge(conn, options_.huge_bytes, false); return;
    case CnsMode::kHugeChunked: SendHuge(conn, options_.huge_bytes, true); return;
  }
}

}  // namespace winnet::testing
