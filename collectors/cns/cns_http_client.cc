// The live cns_api client: POST /debug/ipaddresses over plain HTTP with
// civetweb's client API (docs/state-files.md, "CNS API": why civetweb, and
// how each step is bounded). civetweb is portable: no platform code here.
#include <civetweb.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <memory>
#include <mutex>

#include "collectors/cns/cns_api_source.h"
#include "collectors/common/netaddr.h"

namespace winnet {

namespace {

using Clock = std::chrono::steady_clock;

std::string Ms(std::chrono::milliseconds d) { return std::to_string(d.count()) + "ms"; }

// Up to 200 bytes of an error page, on one line, for the error message.
std::string Excerpt(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 200)) {
    out += std::iscntrl(static_cast<unsigned char>(c)) ? ' ' : c;
  }
  return ToValidUtf8(out);
}

struct Closer {
  void operator()(mg_connection* c) const { mg_close_connection(c); }
};
using Connection = std::unique_ptr<mg_connection, Closer>;

class CnsHttpClient : public CnsApiClient {
 public:
  CnsHttpClient(CnsUrl url, std::chrono::milliseconds timeout, size_t max_bytes)
      : url_(std::move(url)),
        where_(url_.text + std::string(kCnsIpAddressesPath)),
        timeout_(timeout),
        max_bytes_(max_bytes) {
    static std::once_flag init_once;
    std::call_once(init_once, [] { mg_init_library(0); });
  }

  std::string Where() const override { return where_; }

  Result<std::string> Fetch() override {
    const auto deadline = Clock::now() + timeout_;
    auto conn = Connect();
    if (!conn.ok()) return MakeError(conn.error());
    if (auto sent = SendRequest(conn->get()); !sent.ok()) return MakeError(sent.error());
    if (auto head = AwaitHead(conn->get(), deadline); !head.ok()) return MakeError(head.error());
    const mg_response_info* info = mg_get_response_info(conn->get());
    if (info->content_length > static_cast<long long>(max_bytes_)) {
      return MakeError(where_ + ": the answer has " + std::to_string(info->content_length) +
                       " bytes, more than the limit of " + std::to_string(max_bytes_));
    }
    if (info->status_code != 200) return Refused(conn->get(), *info, deadline);
    return ReadBody(conn->get(), info->content_length, deadline, max_bytes_);
  }

 private:
  Result<Connection> Connect() const {
    char err[256] = "";
    Connection conn(mg_connect_client(url_.host.c_str(), url_.port, 0, err, sizeof err));
    if (!conn) return MakeError(where_ + std::string(kCnsCannotConnect) + Excerpt(err));
    return conn;
  }

  Status SendRequest(mg_connection* conn) const {
    std::string host = url_.host.find(':') == std::string::npos ? url_.host : "[" + url_.host + "]";
    std::string request = "POST " + std::string(kCnsIpAddressesPath) +
                          " HTTP/1.1\r\nHost: " + host + ":" + std::to_string(url_.port) +
                          "\r\nContent-Type: application/json\r\nContent-Length: " +
                          std::to_string(kCnsIpAddressesRequest.size()) +
                          "\r\nConnection: close\r\n\r\n" + std::string(kCnsIpAddressesRequest);
    if (mg_write(conn, request.data(), request.size()) != static_cast<int>(request.size())) {
      return MakeError(where_ + ": the connection closed while sending the request");
    }
    return Ok();
  }

  // The status line and headers, within what is left of the timeout.
  Status AwaitHead(mg_connection* conn, Clock::time_point deadline) const {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return TimedOut("before the request was sent");
    char err[256] = "";
    auto started = Clock::now();
    if (mg_get_response(conn, err, sizeof err, static_cast<int>(left.count())) >= 0) return Ok();
    if (Clock::now() >= deadline ||
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started) >= left) {
      return TimedOut("waiting for the answer's head");
    }
    return MakeError(where_ + ": no valid HTTP answer: " + Excerpt(err));
  }

  // A status other than 200: its code, text and the first bytes of its body.
  Error Refused(mg_connection* conn, const mg_response_info& info,
                Clock::time_point deadline) const {
    auto body = ReadBody(conn, info.content_length, deadline, 4096);
    std::string text = info.status_text ? info.status_text : "";
    std::string excerpt = body.ok() ? Excerpt(*body) : "";
    return MakeError(where_ + ": HTTP " + std::to_string(info.status_code) +
                     (text.empty() ? "" : " " + Excerpt(text)) +
                     (excerpt.empty() ? "" : ": \"" + excerpt + "\""));
  }

  // The body until the server closes or the length is reached. A body shorter
  // than its Content-Length is "truncated", whether the read failed or ended.
  Result<std::string> ReadBody(mg_connection* conn, long long content_length,
                               Clock::time_point deadline, size_t limit) const {
    std::string body;
    char buf[16384];
    bool broke_off = false;
    for (;;) {
      if (Clock::now() >= deadline) {
        return TimedOut("reading the body (" + std::to_string(body.size()) + " bytes so far)");
      }
      int n = mg_read(conn, buf, sizeof buf);
      if (n <= 0) {
        broke_off = n < 0;
        break;
      }
      if (body.size() + static_cast<size_t>(n) > limit) {
        return MakeError(where_ + ": the answer is larger than the limit of " +
                         std::to_string(limit) + " bytes");
      }
      body.append(buf, static_cast<size_t>(n));
    }
    if (content_length >= 0 && body.size() < static_cast<size_t>(content_length)) {
      return MakeError(where_ + ": truncated answer: " + std::to_string(body.size()) + " of " +
                       std::to_string(content_length) + " bytes (Content-Length)");
    }
    if (broke_off) {
      return MakeError(where_ + ": the body broke off after " + std::to_string(body.size()) +
                       " bytes");
    }
    return body;
  }

  Error TimedOut(const std::string& when) const {
    return MakeError(where_ + ": no complete answer within " + Ms(timeout_) + " (" + when + ")");
  }

  CnsUrl url_;
  std::string where_;
  std::chrono::milliseconds timeout_;
  size_t max_bytes_;
};

}  // namespace

std::unique_ptr<CnsApiClient> MakeCnsHttpClient(CnsUrl url, std::chrono::milliseconds timeout,
                                                size_t max_bytes) {
  return std::make_unique<CnsHttpClient>(std::move(url), timeout, max_bytes);
}

}  // namespace winnet
