// --web.config.file: the Prometheus exporter-toolkit web configuration
// (TLS server certificate and key, client certificate auth, basic auth users
// with bcrypt hashes), in the subset of YAML those files use: block mappings
// of scalars, comments, plain/single/double-quoted strings. Pure.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "collectors/common/result.h"

namespace winnet {

struct TlsServerConfig {
  std::string cert_file;
  std::string key_file;
  std::string client_ca_file;
  // NoClientCert (default), RequireAndVerifyClientCert, VerifyClientCertIfGiven.
  std::string client_auth_type = "NoClientCert";
  std::string min_version = "TLS12";  // TLS12 or TLS13
};

struct WebConfig {
  std::optional<TlsServerConfig> tls;
  std::map<std::string, std::string> basic_auth_users;  // user → bcrypt hash
};

// `file` names the file in errors ("web.yml: line 3: unknown key \"cert\"").
Result<WebConfig> ParseWebConfig(std::string_view text, std::string_view file);

}  // namespace winnet
