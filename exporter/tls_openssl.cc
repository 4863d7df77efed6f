#include <openssl/err.h>
#include <openssl/ssl.h>

#include "exporter/http_auth.h"

namespace winnet {

namespace {
std::string OpenSslError() {
  unsigned long e = ERR_get_error();
  if (e == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}
}  // namespace

bool TlsAvailable(std::string*) { return true; }

Status ConfigureTls(void* ssl_ctx, const HttpTls& tls) {
  auto* ctx = static_cast<SSL_CTX*>(ssl_ctx);
  if (SSL_CTX_use_certificate_chain_file(ctx, tls.cert_file.c_str()) != 1) {
    return MakeError("tls_server_config.cert_file " + tls.cert_file + ": " + OpenSslError());
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, tls.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    return MakeError("tls_server_config.key_file " + tls.key_file + ": " + OpenSslError());
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    return MakeError("tls_server_config: key_file " + tls.key_file + " does not match cert_file " +
                     tls.cert_file);
  }
  SSL_CTX_set_min_proto_version(ctx, tls.tls13_only ? TLS1_3_VERSION : TLS1_2_VERSION);
  // A client that resumes a session on a new connection (curl does) is refused
  // with "session id context uninitialized" when client certificates are
  // verified and the context has no ID: civetweb sets one only for the
  // certificates it loads itself.
  static const unsigned char kSessionIdContext[] = "winnet_exporter";
  SSL_CTX_set_session_id_context(ctx, kSessionIdContext, sizeof kSessionIdContext - 1);
  if (tls.verify_client_cert) {
    if (SSL_CTX_load_verify_locations(ctx, tls.client_ca_file.c_str(), nullptr) != 1) {
      return MakeError("tls_server_config.client_ca_file " + tls.client_ca_file + ": " +
                       OpenSslError());
    }
    int mode = SSL_VERIFY_PEER | (tls.require_client_cert ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0);
    SSL_CTX_set_verify(ctx, mode, nullptr);
    SSL_CTX_set_verify_depth(ctx, 9);
  } else {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  }
  return Ok();
}

}  // namespace winnet
