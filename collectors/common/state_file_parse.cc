#include "collectors/common/state_file_parse.h"

#include <cctype>
#include <string>

namespace winnet {

bool IsBlank(std::string_view text) {
  for (char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

Status RefuseNulFilled(std::string_view text, std::string_view file) {
  size_t nul = 0;
  for (char c : text) {
    if (c == '\0') {
      ++nul;
    } else if (!std::isspace(static_cast<unsigned char>(c))) {
      return Ok();
    }
  }
  if (nul == 0) return Ok();
  return MakeError(std::string(file) + ": only NUL bytes (" + std::to_string(nul) + " of " +
                   std::to_string(text.size()) + " bytes" +
                   (nul < text.size() ? ", the rest whitespace" : "") +
                   "): a save cut short left the file unwritten; no state can be read from it");
}

}  // namespace winnet
