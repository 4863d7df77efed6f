#include "exporter/http_server.h"

#include <civetweb.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <initializer_list>
#include <mutex>
#include <new>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "collectors/common/memory.h"
#include "collectors/common/netaddr.h"
#include "exporter/http_text.h"

namespace winnet {

namespace {

// Whether the metrics go gzipped (exporter/http_text.h, GzipAccepted).
bool AcceptsGzip(const mg_connection* conn) {
  const mg_request_info* ri = mg_get_request_info(conn);
  std::vector<std::string_view> values;
  for (int i = 0; i < ri->num_headers; ++i) {
    if (EqualsIgnoringCase(ri->http_headers[i].name, "Accept-Encoding")) {
      values.emplace_back(ri->http_headers[i].value);
    }
  }
  return GzipAccepted(values);
}

// The cost of a bcrypt hash ("$2y$10$" + 53 characters → 10); nullopt when it
// is not one.
std::optional<int> BcryptCost(const std::string& hash) {
  if (hash.size() != 60 || hash.compare(0, 2, "$2") != 0 || hash[3] != '$' || hash[6] != '$') {
    return std::nullopt;
  }
  if (!std::isdigit(static_cast<unsigned char>(hash[4])) ||
      !std::isdigit(static_cast<unsigned char>(hash[5]))) {
    return std::nullopt;
  }
  return (hash[4] - '0') * 10 + (hash[5] - '0');
}

// The hash an unknown user's password is checked against: a fixed bcrypt hash
// with the prefix ("$2y$10$") of the costliest configured one, so it takes as
// long as checking a known user. No password matches it.
std::string UnknownUserHash(const std::map<std::string, std::string>& users) {
  std::string prefix = "$2y$10$";
  int highest = -1;
  for (const auto& [user, hash] : users) {
    auto cost = BcryptCost(hash);
    if (cost && *cost > highest) {
      highest = *cost;
      prefix = hash.substr(0, 7);
    }
  }
  return prefix + "q30OefyfXu8aC/YunO59yOrJD3uZzt/fO21wEHVNcsG1XAz80y4nS";
}

// "user:password" from an Authorization header value ("Basic dXNlcjpwdw==");
// nullopt for another scheme or bad base64. Scheme names are
// case-insensitive ("basic", "BASIC"), and one or more spaces follow them.
std::optional<std::string> BasicCredentials(std::string_view header) {
  std::string_view scheme = TakeUntil(&header, ' ');
  if (!EqualsIgnoringCase(scheme, "Basic")) return std::nullopt;
  auto decoded = DecodeBase64(TrimSpace(header));
  if (!decoded) return std::nullopt;
  return std::string(decoded->begin(), decoded->end());
}

// civetweb's response-header API adds Date and the right Connection header
// (keep-alive for HTTP/1.0 clients such as ab only when they asked for it).
// Nothing between the header's start and its end throws, so an exception
// thrown while serving comes before any byte of the answer. False when an
// answer was started already.
bool Send(mg_connection* conn, int status, const char* type, const std::string& body, bool head,
          std::initializer_list<std::pair<const char*, const char*>> extra = {}) {
  const std::string length = std::to_string(body.size());
  if (mg_response_header_start(conn, status) != 0) return false;
  mg_response_header_add(conn, "Content-Type", type, -1);
  mg_response_header_add(conn, "Content-Length", length.c_str(), -1);
  mg_response_header_add(conn, "Cache-Control", "no-store", -1);
  for (const auto& [name, value] : extra) mg_response_header_add(conn, name, value, -1);
  mg_response_header_send(conn);
  if (!head && !body.empty()) mg_write(conn, body.data(), body.size());
  return true;
}

constexpr const char* kStartingPage = R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="2">
<title>winnet_exporter</title></head>
<body><h1>winnet_exporter</h1><p>Starting: the first poll cycle has not finished yet.</p>
<p><a href="/healthz">/healthz</a></p></body></html>
)";

// 401 with the Basic challenge.
int SendUnauthorized(mg_connection* conn, bool head) {
  Send(conn, 401, "text/plain; charset=utf-8", "unauthorized\n", head,
       {{"WWW-Authenticate", "Basic realm=\"winnet_exporter\", charset=\"UTF-8\""}});
  return 401;
}

// 405 for any method but GET and HEAD; the body is always sent.
int SendMethodNotAllowed(mg_connection* conn) {
  Send(conn, 405, "text/plain; charset=utf-8", "only GET and HEAD are allowed\n", false,
       {{"Allow", "GET, HEAD"}});
  return 405;
}

// The metrics, gzipped when the client accepts gzip and there is a gzip form.
int SendMetrics(mg_connection* conn, const Rendered& content, bool head) {
  if (AcceptsGzip(conn) && !content.MetricsGzip().empty()) {
    Send(conn, 200, kMetricsContentType, content.MetricsGzip(), head,
         {{"Content-Encoding", "gzip"}, {"Vary", "Accept-Encoding"}});
  } else {
    Send(conn, 200, kMetricsContentType, content.Metrics(), head, {{"Vary", "Accept-Encoding"}});
  }
  return 200;
}

// /healthz: 503 until the first poll cycle has finished.
int SendHealth(mg_connection* conn, const Rendered& content, bool head) {
  int status = content.cycle > 0 ? 200 : 503;
  Send(conn, status, "text/plain; charset=utf-8", content.Health(), head);
  return status;
}

// /api/v1/snapshot: the JSON snapshot, 503 until the first poll cycle has finished.
int SendSnapshot(mg_connection* conn, const Rendered& content, bool head) {
  if (content.cycle == 0) {
    Send(conn, 503, "application/json", "{\"error\":\"no poll cycle finished yet\"}\n", head);
    return 503;
  }
  Send(conn, 200, "application/json", content.SnapshotJson(), head);
  return 200;
}

// The node page at /, or the starting page before the first poll cycle.
int SendNodePage(mg_connection* conn, const Rendered& content, const std::string& metrics_path,
                 bool head) {
  if (content.cycle == 0) {
    Send(conn, 503, "text/html; charset=utf-8", kStartingPage, head);
    return 503;
  }
  Send(conn, 200, "text/html; charset=utf-8", content.NodePage(metrics_path), head);
  return 200;
}

// A GET or HEAD of an authorized client: the page at `uri`, or 404.
int ServePath(mg_connection* conn, const HttpServer& server, const std::string& uri, bool head) {
  auto content = server.content();
  if (uri == server.options().telemetry_path) return SendMetrics(conn, *content, head);
  if (uri == "/healthz") return SendHealth(conn, *content, head);
  if (uri == "/api/v1/snapshot") return SendSnapshot(conn, *content, head);
  if (uri == "/") return SendNodePage(conn, *content, server.options().telemetry_path, head);
  Send(conn, 404, "text/plain; charset=utf-8", "not found\n", head);
  return 404;
}

// Credentials first, then the method, then the path: a client without valid
// credentials gets 401 whatever it asks (a POST included), so it learns
// nothing about the server, not even which methods or paths it serves.
int HandleRequest(mg_connection* conn, HttpServer& server) {
  const mg_request_info* ri = mg_get_request_info(conn);
  const bool head = std::strcmp(ri->request_method, "HEAD") == 0;
  if (!server.options().basic_auth_users.empty() &&
      !server.Authorized(mg_get_header(conn, "Authorization"))) {
    return SendUnauthorized(conn, head);
  }
  if (!head && std::strcmp(ri->request_method, "GET") != 0) return SendMethodNotAllowed(conn);
  const std::string uri = ri->local_uri != nullptr ? ri->local_uri : "";
  return ServePath(conn, server, uri, head);
}

// The answer to a request whose serving threw: `status` with a short body,
// and one log line with the reason. Throws nothing.
int SendServerError(mg_connection* conn, int status, const char* body,
                    const char* reason) noexcept {
  const mg_request_info* ri = mg_get_request_info(conn);
  try {
    spdlog::error("http: {} {}: {}; answered {}", ri->request_method,
                  ri->local_uri != nullptr ? ri->local_uri : "", reason, status);
  } catch (...) {
    // Nothing more can be said.
  }
  try {
    Send(conn, status, "text/plain; charset=utf-8", body,
         std::strcmp(ri->request_method, "HEAD") == 0);
  } catch (...) {
    // Nothing could be sent.
  }
  return status;
}

// The request handler civetweb calls. Nothing may escape it into civetweb's
// C code (that would end the exporter): whatever serving throws becomes a 503
// when memory ran out, else a 500, and the server keeps serving.
int Handle(mg_connection* conn, void* cbdata) {
  try {
    return HandleRequest(conn, *static_cast<HttpServer*>(cbdata));
  } catch (const std::bad_alloc&) {
    return SendServerError(conn, 503, "out of memory\n", "out of memory (std::bad_alloc)");
  } catch (const std::exception& e) {
    return SendServerError(conn, 500, "internal error\n", e.what());
  } catch (...) {
    return SendServerError(conn, 500, "internal error\n",
                           "threw something that is not a std::exception");
  }
}

// Like every callback, lets nothing escape into civetweb.
int InitSsl(void* ssl_ctx, void* user_data) {
  auto* server = static_cast<HttpServer*>(user_data);
  try {
    auto r = ConfigureTls(ssl_ctx, *server->options().tls);
    if (!r.ok()) {
      server->tls_error_ = r.error();
      return -1;
    }
  } catch (...) {
    return -1;  // TLS setup failed; the start fails with civetweb's reason
  }
  return 1;  // configured here; civetweb loads no certificate itself
}

// civetweb's last error message: mg_start2 only says "Error initializing SSL
// context"; the reason (which library or symbol) comes through the log.
std::mutex last_log_mu;
std::string last_log;

int LogMessage(const mg_connection*, const char* message) {
  try {
    spdlog::debug("civetweb: {}", message);
    std::lock_guard<std::mutex> lock(last_log_mu);
    if (std::strstr(message, "Error initializing SSL context") == nullptr) last_log = message;
  } catch (...) {
    // The message is lost; civetweb goes on.
  }
  return 1;
}

// The metrics path starts with / and is none of the exporter's own pages.
Status CheckTelemetryPath(const std::string& path) {
  if (path.empty() || path.front() != '/') {
    return MakeError("--web.telemetry-path: \"" + path + "\" must start with /");
  }
  for (const char* reserved : {"/", "/healthz", "/api/v1/snapshot"}) {
    if (path == reserved) {
      return MakeError("--web.telemetry-path: \"" + path + "\" is already used by the exporter");
    }
  }
  return Ok();
}

// This build can serve TLS and check passwords when the web config asks for them.
Status CheckWebConfigSupport(const HttpOptions& options) {
  if (options.tls) {
    std::string why;
    if (!TlsAvailable(&why)) return MakeError("--web.config.file: tls_server_config: " + why);
  }
  if (!options.basic_auth_users.empty()) {
    std::string why;
    if (!PasswordCheckAvailable(&why)) return MakeError("--web.config.file: " + why);
  }
  return Ok();
}

// mg_start2 with the exporter's settings; null on failure, with civetweb's
// reason in error_text. civetweb copies the options and the callbacks.
mg_context* StartCivetweb(const HttpOptions& options, const std::string& ports, HttpServer* server,
                          char (&error_text)[256]) {
  const std::string threads = std::to_string(options.threads);
  const std::string request_timeout = std::to_string(options.request_timeout_ms);
  const std::string keep_alive_timeout = std::to_string(options.keep_alive_timeout_ms);
  const std::string max_request = std::to_string(options.max_request_bytes);
  // tcp_nodelay: without it keep-alive scrapes wait 40+ ms on delayed ACKs.
  // Name, value pairs.
  // clang-format off
  const char* civet_options[] = {"listening_ports", ports.c_str(),
                                 "num_threads", threads.c_str(),
                                 "tcp_nodelay", "1",
                                 "enable_keep_alive", "yes",
                                 "keep_alive_timeout_ms", keep_alive_timeout.c_str(),
                                 "request_timeout_ms", request_timeout.c_str(),
                                 "max_request_size", max_request.c_str(),
                                 "connection_queue", "128",  // the default dispatch's queue
                                 "listen_backlog", "128",  // ALTERNATIVE_QUEUE's only wait
                                 "enable_directory_listing", "no",
                                 nullptr};
  // clang-format on
  mg_callbacks callbacks{};
  callbacks.log_message = LogMessage;
  // Runs on the worker: the stack a served request touched is given back.
  callbacks.connection_closed = [](const mg_connection*) { ReleaseUnusedStack(); };
  if (options.tls) callbacks.init_ssl = InitSsl;
  mg_init_data init{};
  init.callbacks = &callbacks;
  init.user_data = server;
  init.configuration_options = civet_options;
  unsigned error_code = 0;
  mg_error_data error{};
  error.code = &error_code;
  error.text = error_text;
  error.text_buffer_size = sizeof error_text;
  return mg_start2(&init, &error);
}

// Why mg_start2 failed: our TLS setup's error, civetweb's own TLS failure, or
// the address.
std::string StartFailure(const HttpOptions& options, const std::string& tls_error,
                         const char* error_text) {
  if (!tls_error.empty()) return "--web.config.file: " + tls_error;
  // civetweb sets up TLS before it binds: "Error initializing SSL context" is TLS.
  if (options.tls && std::strstr(error_text, "SSL") != nullptr) {
    std::lock_guard<std::mutex> lock(last_log_mu);
    return "--web.config.file: tls_server_config: the HTTP library could not start TLS: " +
           last_log +
           " (Debian 12's libcivetweb 1.15 is built for the OpenSSL 1.1 API and cannot load "
           "OpenSSL 3; build with -DWINNET_CIVETWEB_FROM_SOURCE=ON to link civetweb with OpenSSL "
           "3)";
  }
  return "cannot listen on " + options.listen_address + ": " +
         (error_text[0] != 0 ? error_text : "civetweb failed to start");
}

// "host:port" of what was bound, the host from the civetweb ports ("0.0.0.0"
// when they name none).
std::string BoundAddress(const std::string& ports, int port) {
  auto colon = ports.rfind(':');
  std::string host = colon == std::string::npos ? "0.0.0.0" : ports.substr(0, colon);
  return host + ":" + std::to_string(port);
}

// civetweb's settings behind the front: its few workers, and room for the
// "Connection: close" the front puts in each request.
HttpOptions WorkerOptions(const HttpOptions& options) {
  HttpOptions workers = options;
  workers.threads = options.front_workers;
  workers.max_request_bytes = options.max_request_bytes + 64;
  return workers;
}

// The front on the listen address; civetweb's workers on worker_port.
FrontOptions FrontOptionsFor(const HttpOptions& options, const std::string& ports,
                             int worker_port) {
  FrontOptions front;
  const auto colon = ports.rfind(':');
  front.host = colon == std::string::npos ? "" : ports.substr(0, colon);
  front.port = std::stoi(colon == std::string::npos ? ports : ports.substr(colon + 1));
  front.worker_port = worker_port;
  front.request_timeout_ms = options.request_timeout_ms;
  front.keep_alive_timeout_ms = options.keep_alive_timeout_ms;
  front.max_request_bytes = static_cast<size_t>(options.max_request_bytes);
  return front;
}

}  // namespace

Result<std::string> ToCivetwebPorts(const std::string& listen_address) {
  auto colon = listen_address.rfind(':');
  if (colon == std::string::npos) {
    return MakeError("--web.listen-address: \"" + listen_address +
                     "\" is not of the form [host]:port");
  }
  std::string host = listen_address.substr(0, colon);
  std::string port = listen_address.substr(colon + 1);
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) > 65535) {
    return MakeError("--web.listen-address: \"" + port + "\" in \"" + listen_address +
                     "\" is not a port number (0-65535)");
  }
  if (host.empty() || host == "0.0.0.0") return port;
  if (host == "localhost") host = "127.0.0.1";
  if (host.front() == '[') {
    return MakeError("--web.listen-address: \"" + listen_address +
                     "\": IPv6 listen addresses are not supported by this build");
  }
  return host + ":" + port;
}

Result<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpOptions& options,
                                                      ContentFn content) {
  static std::once_flag init_once;
  std::call_once(init_once, [] { mg_init_library(0); });
  auto path_ok = CheckTelemetryPath(options.telemetry_path);
  if (!path_ok.ok()) return MakeError(path_ok.error());
  auto ports = ToCivetwebPorts(options.listen_address);
  if (!ports.ok()) return MakeError(ports.error());

  std::unique_ptr<HttpServer> server(new HttpServer(options, std::move(content)));
  server->unknown_user_hash_ = UnknownUserHash(options.basic_auth_users);
  auto supported = CheckWebConfigSupport(options);
  if (!supported.ok()) return MakeError(supported.error());
  if (options.tls) *ports += 's';
  const bool use_front = options.front && !options.tls;
  char error_text[256] = {0};
  server->ctx_ = StartCivetweb(use_front ? WorkerOptions(options) : options,
                               use_front ? "127.0.0.1:0" : *ports, server.get(), error_text);
  if (server->ctx_ == nullptr) {
    return MakeError(StartFailure(options, server->tls_error_, error_text));
  }
  mg_set_request_handler(server->ctx_, "/", Handle, server.get());
  mg_server_port bound[4];
  int n = mg_get_server_ports(server->ctx_, 4, bound);
  if (n > 0) server->port_ = bound[0].port;
  if (use_front) {
    FrontOptions front_options = FrontOptionsFor(options, *ports, server->port_);
    if (options.basic_auth_users.empty()) {  // with basic auth every request goes to a worker
      front_options.telemetry_path = options.telemetry_path;
      front_options.content = [s = server.get()] { return s->content(); };
    }
    auto front = HttpFront::Start(front_options);
    if (!front.ok())
      return MakeError("cannot listen on " + options.listen_address + ": " + front.error());
    server->front_ = std::move(*front);
    server->port_ = server->front_->port();
  }
  server->bound_ = BoundAddress(*ports, server->port_);
  return server;
}

bool HttpServer::Authorized(const char* header) {
  if (header == nullptr) return false;
  auto basic = BasicCredentials(header);
  if (!basic) return false;
  const std::string& creds = *basic;
  auto colon = creds.find(':');
  if (colon == std::string::npos) return false;
  const std::string user = creds.substr(0, colon), password = creds.substr(colon + 1);
  auto it = options_.basic_auth_users.find(user);
  const bool known = it != options_.basic_auth_users.end();
  if (known) {
    std::lock_guard<std::mutex> lock(auth_mu_);
    if (accepted_.count(creds)) return true;
  }
  // An unknown user costs the same bcrypt work as a known one.
  const bool match = options_.check_password(password, known ? it->second : unknown_user_hash_);
  if (!match || !known) return false;
  std::lock_guard<std::mutex> lock(auth_mu_);
  if (accepted_.size() >= 64) accepted_.clear();
  accepted_.insert(creds);
  return true;
}

HttpServer::~HttpServer() {
  front_.reset();  // no request reaches the workers once they stop
  if (ctx_ != nullptr) mg_stop(ctx_);
}

}  // namespace winnet
