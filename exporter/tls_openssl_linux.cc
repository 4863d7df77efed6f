// TLS on civetweb's OpenSSL context, with OpenSSL loaded only when TLS is
// configured: libssl and libcrypto are opened by name at start (civetweb opens
// the same libraries for its own calls), so a process serving plain HTTP never
// maps them (docs/architecture.md, "Memory"). The OpenSSL headers give the types
// and constants; every function is looked up in the loaded library.
#include <dlfcn.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <mutex>

#include "exporter/http_auth.h"

#ifndef WINNET_LIBSSL_SONAME
#error "WINNET_LIBSSL_SONAME (the run-time name of libssl) must be defined by the build"
#endif
#ifndef WINNET_LIBCRYPTO_SONAME
#error "WINNET_LIBCRYPTO_SONAME (the run-time name of libcrypto) must be defined by the build"
#endif

namespace winnet {

namespace {

// The OpenSSL functions ConfigureTls calls, looked up once.
struct OpenSsl {
  decltype(&::ERR_get_error) err_get_error = nullptr;
  decltype(&::ERR_error_string_n) err_error_string_n = nullptr;
  decltype(&::SSL_CTX_use_certificate_chain_file) use_certificate_chain_file = nullptr;
  decltype(&::SSL_CTX_use_PrivateKey_file) use_private_key_file = nullptr;
  decltype(&::SSL_CTX_check_private_key) check_private_key = nullptr;
  decltype(&::SSL_CTX_ctrl) ctx_ctrl = nullptr;
  decltype(&::SSL_CTX_set_session_id_context) set_session_id_context = nullptr;
  decltype(&::SSL_CTX_load_verify_locations) load_verify_locations = nullptr;
  decltype(&::SSL_CTX_set_verify) set_verify = nullptr;
  decltype(&::SSL_CTX_set_verify_depth) set_verify_depth = nullptr;
  std::string error;  // why loading failed; "" when every function was found
};

// Finds `name` in `library`; on failure records the first error in `ssl`.
template <typename Fn>
void Find(void* library, const char* soname, const char* name, Fn* fn, OpenSsl* ssl) {
  *fn = reinterpret_cast<Fn>(dlsym(library, name));
  if (*fn == nullptr && ssl->error.empty()) {
    ssl->error = std::string(soname) + " has no " + name;
  }
}

OpenSsl LoadOpenSsl() {
  OpenSsl ssl;
  // Kept open for the life of the process, like civetweb's own handles.
  void* crypto = dlopen(WINNET_LIBCRYPTO_SONAME, RTLD_NOW | RTLD_LOCAL);
  void* lib = crypto != nullptr ? dlopen(WINNET_LIBSSL_SONAME, RTLD_NOW | RTLD_LOCAL) : nullptr;
  if (lib == nullptr) {
    const char* why = dlerror();
    ssl.error = std::string("cannot load OpenSSL 3 (") + (why ? why : "unknown error") +
                "); install libssl3";
    return ssl;
  }
  Find(crypto, WINNET_LIBCRYPTO_SONAME, "ERR_get_error", &ssl.err_get_error, &ssl);
  Find(crypto, WINNET_LIBCRYPTO_SONAME, "ERR_error_string_n", &ssl.err_error_string_n, &ssl);
  const char* so = WINNET_LIBSSL_SONAME;
  Find(lib, so, "SSL_CTX_use_certificate_chain_file", &ssl.use_certificate_chain_file, &ssl);
  Find(lib, so, "SSL_CTX_use_PrivateKey_file", &ssl.use_private_key_file, &ssl);
  Find(lib, so, "SSL_CTX_check_private_key", &ssl.check_private_key, &ssl);
  Find(lib, so, "SSL_CTX_ctrl", &ssl.ctx_ctrl, &ssl);
  Find(lib, so, "SSL_CTX_set_session_id_context", &ssl.set_session_id_context, &ssl);
  Find(lib, so, "SSL_CTX_load_verify_locations", &ssl.load_verify_locations, &ssl);
  Find(lib, so, "SSL_CTX_set_verify", &ssl.set_verify, &ssl);
  Find(lib, so, "SSL_CTX_set_verify_depth", &ssl.set_verify_depth, &ssl);
  return ssl;
}

const OpenSsl& Loaded() {
  static std::once_flag once;
  static OpenSsl ssl;
  std::call_once(once, [] { ssl = LoadOpenSsl(); });
  return ssl;
}

std::string OpenSslError(const OpenSsl& ssl) {
  unsigned long e = ssl.err_get_error();
  if (e == 0) return "unknown OpenSSL error";
  char buf[256];
  ssl.err_error_string_n(e, buf, sizeof buf);
  return buf;
}

Status LoadKeyPair(const OpenSsl& ssl, SSL_CTX* ctx, const HttpTls& tls) {
  if (ssl.use_certificate_chain_file(ctx, tls.cert_file.c_str()) != 1) {
    return MakeError("tls_server_config.cert_file " + tls.cert_file + ": " + OpenSslError(ssl));
  }
  if (ssl.use_private_key_file(ctx, tls.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    return MakeError("tls_server_config.key_file " + tls.key_file + ": " + OpenSslError(ssl));
  }
  if (ssl.check_private_key(ctx) != 1) {
    return MakeError("tls_server_config: key_file " + tls.key_file + " does not match cert_file " +
                     tls.cert_file);
  }
  return Ok();
}

Status VerifyClients(const OpenSsl& ssl, SSL_CTX* ctx, const HttpTls& tls) {
  if (!tls.verify_client_cert) {
    ssl.set_verify(ctx, SSL_VERIFY_NONE, nullptr);
    return Ok();
  }
  if (ssl.load_verify_locations(ctx, tls.client_ca_file.c_str(), nullptr) != 1) {
    return MakeError("tls_server_config.client_ca_file " + tls.client_ca_file + ": " +
                     OpenSslError(ssl));
  }
  int mode = SSL_VERIFY_PEER | (tls.require_client_cert ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0);
  ssl.set_verify(ctx, mode, nullptr);
  ssl.set_verify_depth(ctx, 9);
  return Ok();
}

}  // namespace

bool TlsAvailable(std::string* why) {
  const OpenSsl& ssl = Loaded();
  if (ssl.error.empty()) return true;
  *why = ssl.error;
  return false;
}

Status ConfigureTls(void* ssl_ctx, const HttpTls& tls) {
  const OpenSsl& ssl = Loaded();
  if (!ssl.error.empty()) return MakeError("tls_server_config: " + ssl.error);
  auto* ctx = static_cast<SSL_CTX*>(ssl_ctx);
  if (auto loaded = LoadKeyPair(ssl, ctx, tls); !loaded) return loaded;
  // SSL_CTX_set_min_proto_version is a macro over SSL_CTX_ctrl.
  ssl.ctx_ctrl(ctx, SSL_CTRL_SET_MIN_PROTO_VERSION,
               tls.tls13_only ? TLS1_3_VERSION : TLS1_2_VERSION, nullptr);
  // A client that resumes a session on a new connection (curl does) is refused
  // with "session id context uninitialized" when client certificates are
  // verified and the context has no ID: civetweb sets one only for the
  // certificates it loads itself.
  static const unsigned char kSessionIdContext[] = "winnet_exporter";
  ssl.set_session_id_context(ctx, kSessionIdContext, sizeof kSessionIdContext - 1);
  return VerifyClients(ssl, ctx, tls);
}

}  // namespace winnet
