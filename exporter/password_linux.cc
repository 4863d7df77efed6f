// bcrypt through libcrypt (libxcrypt on Debian supports $2a$/$2b$/$2y$).
#include <crypt.h>

#include <cstring>
#include <memory>

#include "exporter/http_auth.h"

namespace winnet {

bool PasswordCheckAvailable(std::string*) { return true; }

bool CheckPassword(const std::string& password, const std::string& hash) {
  auto data = std::make_unique<crypt_data>();  // large; not on the stack
  std::memset(data.get(), 0, sizeof(crypt_data));
  const char* out = crypt_r(password.c_str(), hash.c_str(), data.get());
  if (out == nullptr || out[0] == '*') return false;
  // Constant-time comparison of the whole hash.
  size_t n = std::strlen(out);
  if (n != hash.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < n; ++i) diff |= static_cast<unsigned char>(out[i] ^ hash[i]);
  return diff == 0;
}

}  // namespace winnet
