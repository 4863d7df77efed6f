#include "exporter/http_server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "exporter/gzip.h"
#include "tests/http_client.h"
#include "tests/log_capture.h"

namespace winnet {
namespace {

using testing::HttpRequest;

std::shared_ptr<const Rendered> Content() {
  auto r = std::make_shared<Rendered>();
  r->cycle = 1;
  r->SetMetricsText("# HELP m h\n# TYPE m gauge\nm 1\n");
  r->snapshot = std::make_shared<NodeSnapshot>();
  r->SetHealthText("ok: exporter running\n");
  return r;
}

class Http : public ::testing::Test {
 protected:
  void SetUp() override {
    HttpOptions o;
    o.listen_address = "127.0.0.1:0";
    o.telemetry_path = "/custom-metrics";
    auto s = HttpServer::Start(o, [this] { return content_; });
    ASSERT_TRUE(s.ok()) << s.error();
    server_ = std::move(*s);
    ASSERT_GT(server_->port(), 0);
  }
  std::shared_ptr<const Rendered> content_ = Content();
  std::unique_ptr<HttpServer> server_;
};

TEST_F(Http, ServesMetricsOnTheConfiguredPath) {
  auto r = HttpRequest(server_->port(), "GET", "/custom-metrics");
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, content_->Metrics());
  EXPECT_EQ(r.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(HttpRequest(server_->port(), "GET", "/metrics").status, 404);
}

TEST_F(Http, GzipWhenAsked) {
  auto r =
      HttpRequest(server_->port(), "GET", "/custom-metrics", "Accept-Encoding: gzip, deflate\r\n");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["content-encoding"], "gzip");
  EXPECT_EQ(r.body, content_->MetricsGzip());
  EXPECT_EQ(r.body, GzipCompress(content_->Metrics()));
  EXPECT_EQ(static_cast<unsigned char>(r.body[0]), 0x1f);
}

// The gzip of an exposition is held as long as the exposition is served: it
// keeps none of the deflate bound (about the input's size) it was made in.
TEST(Gzip, HoldsNoMoreThanItsCompressedText) {
  std::string text;
  for (int i = 0; text.size() < 600'000; ++i) {
    text += "winnet_pod_network_receive_bytes_total{pod=\"p" + std::to_string(i % 250) + "\"} " +
            std::to_string(i * 7919) + "\n";
  }
  const std::string gzip = GzipCompress(text);
  ASSERT_FALSE(gzip.empty());
  EXPECT_LT(gzip.size(), text.size() / 4);
  EXPECT_LT(gzip.capacity(), text.size() / 4);
}

// Each Accept-Encoding value and whether the answer is gzip: codings are
// case-insensitive, "q=0" refuses a coding, "*" stands for every coding the
// header does not name, and identity wins when the client prefers it.
TEST_F(Http, GzipFollowsAcceptEncodingWeights) {
  struct Case {
    const char* accept_encoding;
    bool gzip;
  } cases[] = {
      {"gzip", true},
      {"GZip", true},
      {"x-gzip", true},
      {"deflate, gzip;q=0.001", true},
      {"gzip ; Q=1.000", true},
      {"*", true},
      {"identity;q=0.5, gzip", true},
      {"gzip;q=0", false},
      {"gzip; q=0.000", false},
      {"deflate, gzip;q=0", false},
      {"*, gzip;q=0", false},
      {"gzip;q=0, *", false},
      {"*;q=0", false},
      {"gzip;q=0.5, identity", false},
      {"gzip;q=1.5", false},
      {"gzip;q=abc", false},
      {"gzipped, nogzip", false},
      {"identity", false},
      {"br, deflate", false},
      {"", false},
  };
  for (const auto& c : cases) {
    auto r = HttpRequest(server_->port(), "GET", "/custom-metrics",
                         std::string("Accept-Encoding: ") + c.accept_encoding + "\r\n");
    ASSERT_EQ(r.status, 200) << c.accept_encoding;
    EXPECT_EQ(r.headers.count("content-encoding") == 1, c.gzip) << c.accept_encoding;
    EXPECT_EQ(r.body, c.gzip ? content_->MetricsGzip() : content_->Metrics()) << c.accept_encoding;
  }
}

TEST_F(Http, HealthzIndexAndSnapshot) {
  auto h = HttpRequest(server_->port(), "GET", "/healthz");
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(h.body, content_->Health());
  auto i = HttpRequest(server_->port(), "GET", "/");
  EXPECT_EQ(i.status, 200);
  EXPECT_NE(i.body.find("href=\"/custom-metrics\""), std::string::npos);
  EXPECT_NE(i.body.find("href=\"/healthz\""), std::string::npos);
  auto j = HttpRequest(server_->port(), "GET", "/api/v1/snapshot");
  EXPECT_EQ(j.status, 200);
  EXPECT_EQ(j.body, content_->SnapshotJson());
  EXPECT_NE(j.body.find("\"sources\""), std::string::npos);
}

TEST_F(Http, HealthzIs503BeforeTheFirstCycle) {
  content_ = std::make_shared<Rendered>();
  EXPECT_EQ(HttpRequest(server_->port(), "GET", "/healthz").status, 503);
}

TEST_F(Http, OnlyGetAndHead) {
  auto p = HttpRequest(server_->port(), "POST", "/custom-metrics", "Content-Length: 0\r\n");
  EXPECT_EQ(p.status, 405);
  EXPECT_EQ(p.headers["allow"], "GET, HEAD");
  auto h = HttpRequest(server_->port(), "HEAD", "/custom-metrics");
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(h.body, "");
  EXPECT_EQ(h.headers["content-length"], std::to_string(content_->Metrics().size()));
}

// What the content provider of HttpErrors does on its next call.
enum class ContentFault { kNone, kBadAlloc, kInt, kRuntimeError };

// A content provider that throws: the request gets a short error answer, one
// log line says why, and the server keeps serving.
TEST(HttpErrors, AThrowingContentProviderIsAnErrorAnswer) {
  testing::LogCapture log;
  std::atomic<ContentFault> fault{ContentFault::kNone};
  HttpOptions o;
  o.listen_address = "127.0.0.1:0";
  auto s = HttpServer::Start(o, [&fault]() -> std::shared_ptr<const Rendered> {
    switch (fault.load()) {
      case ContentFault::kBadAlloc: throw std::bad_alloc();
      case ContentFault::kInt: throw 42;
      case ContentFault::kRuntimeError: throw std::runtime_error("render failed");
      case ContentFault::kNone: break;
    }
    return Content();
  });
  ASSERT_TRUE(s.ok()) << s.error();
  const int port = (*s)->port();
  struct Case {
    ContentFault fault;
    int status;
    const char* body;
    const char* logged;
  } cases[] = {
      {ContentFault::kBadAlloc, 503, "out of memory\n", "out of memory"},
      {ContentFault::kInt, 500, "internal error\n", "not a std::exception"},
      {ContentFault::kRuntimeError, 500, "internal error\n", "render failed"},
  };
  for (const auto& c : cases) {
    fault = c.fault;
    auto r = HttpRequest(port, "GET", "/metrics");
    EXPECT_EQ(r.status, c.status) << c.logged;
    EXPECT_EQ(r.body, c.body) << c.logged;
    EXPECT_EQ(log.Matching({"error", "GET /metrics", c.logged}).size(), 1u) << log.All();
    fault = ContentFault::kNone;
    EXPECT_EQ(HttpRequest(port, "GET", "/metrics").status, 200) << c.logged;
  }
  fault = ContentFault::kInt;
  auto head = HttpRequest(port, "HEAD", "/healthz");
  EXPECT_EQ(head.status, 500);
  EXPECT_EQ(head.body, "");
}

// htpasswd -nbBC 4 prom secret: the lowest bcrypt cost keeps the tests fast.
constexpr const char* kPromHash = "$2y$04$YJUb9Z28dvgU4s.pflRw7e42LpIQBVi.kzshgQ0PZZbQBlrM3REYK";
constexpr const char* kPromSecret = "cHJvbTpzZWNyZXQ=";  // base64 of "prom:secret"

// A server with basic auth: one user, prom, with the password "secret". It
// records the hashes its password check is given.
class HttpAuth : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    if (!PasswordCheckAvailable(&why)) GTEST_SKIP() << why;
    Start({{"prom", kPromHash}});
  }
  void Start(std::map<std::string, std::string> users) {
    server_.reset();
    HttpOptions o;
    o.listen_address = "127.0.0.1:0";
    o.basic_auth_users = std::move(users);
    o.check_password = [this](const std::string& password, const std::string& hash) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        checked_hashes_.push_back(hash);
      }
      return CheckPassword(password, hash);
    };
    auto s = HttpServer::Start(o, [] { return Content(); });
    ASSERT_TRUE(s.ok()) << s.error();
    server_ = std::move(*s);
  }
  // The status of a GET of /metrics with this Authorization header value.
  int StatusWith(const std::string& authorization) {
    return HttpRequest(server_->port(), "GET", "/metrics",
                       "Authorization: " + authorization + "\r\n")
        .status;
  }
  std::vector<std::string> CheckedHashes() {
    std::lock_guard<std::mutex> lock(mu_);
    return checked_hashes_;
  }
  std::unique_ptr<HttpServer> server_;
  std::mutex mu_;
  std::vector<std::string> checked_hashes_;
};

TEST_F(HttpAuth, RightPasswordOnly) {
  EXPECT_EQ(HttpRequest(server_->port(), "GET", "/metrics").status, 401);
  EXPECT_EQ(StatusWith(std::string("Basic ") + kPromSecret), 200);
  EXPECT_EQ(StatusWith("Basic cHJvbTp3cm9uZw=="), 401);  // prom:wrong
  EXPECT_EQ(StatusWith("Basic ZXZlOnNlY3JldA=="), 401);  // eve:secret
}

TEST_F(HttpAuth, SchemeIsCaseInsensitive) {
  for (const char* scheme : {"Basic ", "basic ", "BASIC ", "bAsIc ", "Basic   "}) {
    EXPECT_EQ(StatusWith(scheme + std::string(kPromSecret)), 200) << scheme;
  }
  for (const char* scheme : {"Bearer ", "Basics ", "Basic", "Basic:"}) {
    EXPECT_EQ(StatusWith(scheme + std::string(kPromSecret)), 401) << scheme;
  }
}

// With basic auth, credentials are checked before the method and the path: a
// client without them gets 401 for a POST or an unknown path, and learns
// neither which methods are allowed nor which paths exist.
TEST_F(HttpAuth, CredentialsAreCheckedBeforeMethodAndPath) {
  const std::string right = std::string("Authorization: Basic ") + kPromSecret + "\r\n";
  const std::string wrong = "Authorization: Basic cHJvbTp3cm9uZw==\r\n";  // prom:wrong
  for (const char* method : {"POST", "PUT", "DELETE", "OPTIONS", "PATCH"}) {
    for (const char* path : {"/metrics", "/nope"}) {
      for (const std::string& credentials : {std::string(), wrong}) {
        auto r = HttpRequest(server_->port(), method, path, credentials + "Content-Length: 0\r\n");
        EXPECT_EQ(r.status, 401) << method << " " << path << " " << credentials;
        EXPECT_EQ(r.headers.count("allow"), 0u) << method << " " << path;
        EXPECT_EQ(r.headers.count("www-authenticate"), 1u) << method << " " << path;
      }
      auto r = HttpRequest(server_->port(), method, path, right + "Content-Length: 0\r\n");
      EXPECT_EQ(r.status, 405) << method << " " << path;
      EXPECT_EQ(r.headers["allow"], "GET, HEAD") << method << " " << path;
    }
  }
  EXPECT_EQ(HttpRequest(server_->port(), "GET", "/nope").status, 401);
  EXPECT_EQ(HttpRequest(server_->port(), "GET", "/nope", right).status, 404);
}

// An unknown user costs a bcrypt check too, against a hash of the configured
// cost, so the time of a 401 does not tell which user names exist.
TEST_F(HttpAuth, UnknownUserCostsABcryptCheck) {
  EXPECT_EQ(StatusWith("Basic ZXZlOnNlY3JldA=="), 401);  // eve:secret
  auto checked = CheckedHashes();
  ASSERT_EQ(checked.size(), 1u);
  EXPECT_NE(checked[0], kPromHash);
  EXPECT_EQ(checked[0].substr(0, 7), "$2y$04$");
  EXPECT_EQ(checked[0].size(), std::string(kPromHash).size());
  EXPECT_EQ(StatusWith("Basic cHJvbTp3cm9uZw=="), 401);  // prom:wrong
  checked = CheckedHashes();
  ASSERT_EQ(checked.size(), 2u);
  EXPECT_EQ(checked[1], kPromHash);
}

TEST_F(HttpAuth, UnknownUserCostsTheHighestConfiguredCost) {
  // htpasswd -nbBC 5 x y
  Start(
      {{"prom", kPromHash}, {"x", "$2y$05$q30OefyfXu8aC/YunO59yOrJD3uZzt/fO21wEHVNcsG1XAz80y4nS"}});
  EXPECT_EQ(StatusWith("Basic ZXZlOnNlY3JldA=="), 401);  // eve:secret
  auto checked = CheckedHashes();
  ASSERT_EQ(checked.size(), 1u);
  EXPECT_EQ(checked[0].substr(0, 7), "$2y$05$");
}

TEST(HttpStart, BindFailureNamesTheAddress) {
  HttpOptions o;
  o.listen_address = "127.0.0.1:0";
  auto first = HttpServer::Start(o, [] { return Content(); });
  ASSERT_TRUE(first.ok()) << first.error();
  o.listen_address = "127.0.0.1:" + std::to_string((*first)->port());
  auto second = HttpServer::Start(o, [] { return Content(); });
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.error().find("cannot listen on " + o.listen_address), std::string::npos)
      << second.error();
}

TEST(HttpStart, ListenAddressForms) {
  EXPECT_EQ(*ToCivetwebPorts(":10382"), "10382");
  EXPECT_EQ(*ToCivetwebPorts("0.0.0.0:10382"), "10382");
  EXPECT_EQ(*ToCivetwebPorts("localhost:80"), "127.0.0.1:80");
  EXPECT_FALSE(ToCivetwebPorts("10382").ok());
  EXPECT_FALSE(ToCivetwebPorts(":99999").ok());
  EXPECT_FALSE(ToCivetwebPorts(":http").ok());
  EXPECT_FALSE(ToCivetwebPorts("[::1]:80").ok());
}

}  // namespace
}  // namespace winnet
