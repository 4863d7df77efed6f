// The HTTP side (civetweb): /metrics (configurable path), /healthz, / and
// /api/v1/snapshot, all served from the poller's last published render.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "collectors/result.h"
#include "exporter/poller.h"

struct mg_context;

namespace winnet {

struct HttpOptions {
  std::string listen_address = ":10382";  // "[host]:port"; port 0 picks a free port
  std::string telemetry_path = "/metrics";
  int threads = 8;
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

 private:
  HttpServer(HttpOptions options, ContentFn content)
      : options_(std::move(options)), content_(std::move(content)) {}

  HttpOptions options_;
  ContentFn content_;
  mg_context* ctx_ = nullptr;
  int port_ = 0;
  std::string bound_;
};

// ":9100" → "9100"; "127.0.0.1:9100" stays. Error for anything else.
Result<std::string> ToCivetwebPorts(const std::string& listen_address);

}  // namespace winnet
