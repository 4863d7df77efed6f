#include "service/web_config.h"

#include <gtest/gtest.h>

#include "tests/test_util.h"

namespace winnet {
namespace {

using ::testing::HasSubstr;

TEST(WebConfig, ToolkitExampleParses) {
  auto c = ParseWebConfig(R"(# exporter-toolkit format
tls_server_config:
  cert_file: /etc/winnet/tls.crt   # the chain
  key_file: "/etc/winnet/tls.key"
  client_auth_type: RequireAndVerifyClientCert
  client_ca_file: '/etc/winnet/ca.crt'
  min_version: TLS13
basic_auth_users:
  prometheus: $2y$10$X0h1gDsPszWURQaxFh.zoubFi6DXncSjhoQNJgRrnGs7EsimhC7zG
  "with space": '$2b$12$abcdefghijklmnopqrstuu5k3ZtcJb4MjAbmb0N6iw.3TqNbq6Ti'
)",
                          "web.yml");
  ASSERT_TRUE(c.ok()) << c.error();
  ASSERT_TRUE(c->tls);
  EXPECT_EQ(c->tls->cert_file, "/etc/winnet/tls.crt");
  EXPECT_EQ(c->tls->key_file, "/etc/winnet/tls.key");
  EXPECT_EQ(c->tls->client_ca_file, "/etc/winnet/ca.crt");
  EXPECT_EQ(c->tls->client_auth_type, "RequireAndVerifyClientCert");
  EXPECT_EQ(c->tls->min_version, "TLS13");
  ASSERT_EQ(c->basic_auth_users.size(), 2u);
  EXPECT_EQ(c->basic_auth_users.at("prometheus").substr(0, 7), "$2y$10$");
  EXPECT_TRUE(c->basic_auth_users.count("with space"));
}

TEST(WebConfig, EmptyFileMeansNothingConfigured) {
  auto c = ParseWebConfig("# nothing\n", "web.yml");
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_FALSE(c->tls);
  EXPECT_TRUE(c->basic_auth_users.empty());
}

TEST(WebConfig, ErrorsNameFileLineAndKey) {
  struct Case {
    const char* text;
    const char* expect;
  } cases[] = {
      {"tls_server_config:\n  cert_file: a\n  keyfile: b\n",
       "web.yml: line 3: unknown key \"tls_server_config.keyfile\""},
      {"tls_config:\n  cert_file: a\n", "line 1: unknown key \"tls_config\""},
      {"tls_server_config:\n  cert_file: a\n", "needs both cert_file and key_file"},
      {"tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: "
       "RequireAnyClientCert\n",
       "line 4: client_auth_type \"RequireAnyClientCert\" is not"},
      {"tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: "
       "VerifyClientCertIfGiven\n",
       "needs client_ca_file"},
      {"tls_server_config:\n  cert_file: a\n  key_file: b\n  min_version: TLS10\n",
       "line 4: min_version \"TLS10\""},
      {"basic_auth_users:\n  alice: hunter2\n",
       "line 2: user \"alice\": the password must be a bcrypt hash"},
      {"basic_auth_users:\n  alice: [a, b]\n", "line 2: flow collections"},
      {"basic_auth_users:\n\talice: $2y$x\n", "line 2: tabs are not allowed"},
      {"tls_server_config:\n  cert_file: \"a\n", "line 2: unterminated quoted string"},
      {"http_server_config:\n  http2: false\n", "http_server_config.http2 is not supported"},
      {"tls_server_config:\n  cert_file: a\n    key_file: b\n", "line 3: unexpected indentation"},
      {"just text\n", "line 1: expected \"key: value\""},
      {"- a\n", "line 1: lists are not supported"},
  };
  for (const auto& c : cases) {
    auto r = ParseWebConfig(c.text, "web.yml");
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_THAT(r.error(), HasSubstr(c.expect)) << c.text;
  }
}

// A user, a setting or a section given twice is an error naming both lines,
// not a silent last-wins.
TEST(WebConfig, DuplicatesAreRefused) {
  struct Case {
    const char* text;
    const char* expect;
  } cases[] = {
      {"basic_auth_users:\n  alice: $2y$04$a\n  bob: $2y$04$b\n  alice: $2y$04$c\n",
       "web.yml: line 4: duplicate user \"alice\" (first on line 2)"},
      {"basic_auth_users:\n  alice: $2y$04$a\n  'alice': $2y$04$c\n",
       "web.yml: line 3: duplicate user \"alice\" (first on line 2)"},
      {"tls_server_config:\n  cert_file: a\n  key_file: b\n  cert_file: c\n",
       "web.yml: line 4: duplicate key \"tls_server_config.cert_file\" (first on line 2)"},
      {"basic_auth_users:\n  alice: $2y$04$a\ntls_server_config:\n  cert_file: a\n  key_file: "
       "b\nbasic_auth_users:\n  bob: $2y$04$b\n",
       "web.yml: line 6: duplicate key \"basic_auth_users\" (first on line 1)"},
      {"tls_server_config:\n  cert_file: a\n  key_file: b\n# again\ntls_server_config:\n  "
       "cert_file: c\n  key_file: d\n",
       "web.yml: line 5: duplicate key \"tls_server_config\" (first on line 1)"},
  };
  for (const auto& c : cases) {
    auto r = ParseWebConfig(c.text, "web.yml");
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_THAT(r.error(), HasSubstr(c.expect)) << c.text;
  }
}

}  // namespace
}  // namespace winnet
