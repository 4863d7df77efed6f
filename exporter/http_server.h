// The HTTP side (civetweb): /metrics (configurable path), /healthz, / and
// /api/v1/snapshot, all served from the poller's last published render.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>

#include "collectors/common/result.h"
#include "exporter/http_auth.h"
#include "exporter/http_front.h"
#include "exporter/poller.h"

struct mg_context;

namespace winnet {

struct HttpOptions {
  std::string listen_address = ":10382";  // "[host]:port"; port 0 picks a free port
  std::string telemetry_path = "/metrics";
  // The front (exporter/http_front.h) accepts the connections and hands each
  // whole request to one of front_workers civetweb threads on loopback, so
  // clients that stall hold no thread. With TLS the front is not used (it
  // cannot see where an encrypted request ends): civetweb accepts, one thread
  // per connection being served, and slow clients hold one each for at most
  // request_timeout_ms. threads is that pool: 288, so 256 clients that stall
  // still leave 32 threads for scrapes. civetweb starts every thread at once;
  // an idle one costs about 15 KiB of RSS (docs/architecture.md).
  bool front = true;
  int front_workers = 16;
  int threads = 288;
  int request_timeout_ms = 3000;
  int keep_alive_timeout_ms = 5000;
  int max_request_bytes = 16384;  // request line + headers
  std::optional<HttpTls> tls;
  std::map<std::string, std::string> basic_auth_users;  // user → bcrypt hash
  // Checks a password against a bcrypt hash; tests count the calls through it.
  std::function<bool(const std::string& password, const std::string& hash)> check_password =
      CheckPassword;
};

class HttpServer {
 public:
  using ContentFn = std::function<std::shared_ptr<const Rendered>()>;

  // Binds and starts serving; an error names the address and the reason.
  static Result<std::unique_ptr<HttpServer>> Start(const HttpOptions& options, ContentFn content);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int port() const { return port_; }
  // "127.0.0.1:10382" / "0.0.0.0:10382": what was really bound.
  std::string bound_address() const { return bound_; }

  // Used by the C callbacks.
  const HttpOptions& options() const { return options_; }
  std::shared_ptr<const Rendered> content() const { return content_(); }
  // Basic auth check (bcrypt), with a small cache of accepted credentials:
  // bcrypt costs tens of milliseconds by design. An unknown user costs a
  // bcrypt check too, so the answer's time does not tell which users exist.
  bool Authorized(const char* authorization_header);
  std::string tls_error_;  // set by the TLS setup callback

 private:
  HttpServer(HttpOptions options, ContentFn content)
      : options_(std::move(options)), content_(std::move(content)) {}

  HttpOptions options_;
  ContentFn content_;
  mg_context* ctx_ = nullptr;
  std::unique_ptr<HttpFront> front_;  // null with TLS or when options_.front is off
  int port_ = 0;
  std::string bound_;
  std::string unknown_user_hash_;  // what an unknown user's password is checked against
  std::mutex auth_mu_;
  std::unordered_set<std::string> accepted_;
};

// ":9100" → "9100"; "127.0.0.1:9100" stays. Error for anything else.
Result<std::string> ToCivetwebPorts(const std::string& listen_address);

}  // namespace winnet
