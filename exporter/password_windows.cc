#include "exporter/http_auth.h"

namespace winnet {

bool PasswordCheckAvailable(std::string* why) {
  *why = "basic_auth_users needs bcrypt, which the Windows build does not have yet";
  return false;
}

bool CheckPassword(const std::string&, const std::string&) { return false; }

}  // namespace winnet
