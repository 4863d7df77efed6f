// TLS and basic authentication for the HTTP server. TLS is set up on
// civetweb's OpenSSL context (exporter/tls_openssl_linux.cc, OpenSSL opened by name
// only when TLS is configured); bcrypt hashes are checked by the platform (password_*.cc).
#pragma once

#include <string>

#include "collectors/common/result.h"

namespace winnet {

struct HttpTls {
  std::string cert_file;
  std::string key_file;
  std::string client_ca_file;
  bool require_client_cert = false;  // RequireAndVerifyClientCert
  bool verify_client_cert = false;   // RequireAndVerifyClientCert or VerifyClientCertIfGiven
  bool tls13_only = false;
};

// False when this build cannot serve TLS; `why` says why.
bool TlsAvailable(std::string* why);
// Loads certificate, key and client CA into civetweb's SSL_CTX. Error names the file.
Status ConfigureTls(void* ssl_ctx, const HttpTls& tls);

// False when this build cannot check bcrypt hashes; `why` says why.
bool PasswordCheckAvailable(std::string* why);
// True when `password` matches the bcrypt `hash`.
bool CheckPassword(const std::string& password, const std::string& hash);

}  // namespace winnet
