#include "service/web_config.h"

#include <vector>

namespace winnet {

namespace {

struct Line {
  int number;
  int indent;
  std::string key;
  std::string value;  // "" for a mapping that continues on the next lines
};

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t");
  size_t e = s.find_last_not_of(" \t\r");
  return b == std::string_view::npos ? "" : std::string(s.substr(b, e - b + 1));
}

// Unquotes a scalar; error text on failure.
std::optional<std::string> Scalar(const std::string& raw, std::string* error) {
  if (raw.empty()) return raw;
  char q = raw.front();
  if (q == '"' || q == '\'') {
    if (raw.size() < 2 || raw.back() != q) {
      *error = "unterminated quoted string";
      return std::nullopt;
    }
    std::string out;
    for (size_t i = 1; i + 1 < raw.size(); ++i) {
      char c = raw[i];
      if (q == '"' && c == '\\' && i + 2 < raw.size()) {
        char n = raw[++i];
        out += n == 'n' ? '\n' : n == 't' ? '\t' : n;
      } else if (q == '\'' && c == '\'' && i + 2 < raw.size() && raw[i + 1] == '\'') {
        out += '\'';
        ++i;
      } else {
        out += c;
      }
    }
    return out;
  }
  if (q == '[' || q == '{' || q == '&' || q == '*' || q == '|' || q == '>' || q == '!') {
    *error = "flow collections, anchors, tags and block scalars are not supported";
    return std::nullopt;
  }
  // Plain scalar: a " #" starts a comment.
  std::string v = raw;
  if (auto c = v.find(" #"); c != std::string::npos) v = Trim(v.substr(0, c));
  return v;
}

}  // namespace

Result<WebConfig> ParseWebConfig(std::string_view text, std::string_view file) {
  const std::string f(file);
  auto fail = [&](int line, const std::string& what) {
    return MakeError(f + ": line " + std::to_string(line) + ": " + what);
  };
  std::vector<Line> lines;
  int number = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view raw = text.substr(pos, end - pos);
    pos = end + 1;
    ++number;
    size_t first = raw.find_first_not_of(" \t");
    if (first != std::string_view::npos && raw.substr(0, first).find('\t') != std::string_view::npos) {
      return fail(number, "tabs are not allowed for indentation");
    }
    std::string t = Trim(raw);
    if (t.empty() || t[0] == '#' || t == "---") continue;
    if (t[0] == '-') return fail(number, "lists are not supported here");
    int indent = static_cast<int>(raw.find_first_not_of(' '));
    size_t colon = t.find(": ");
    if (colon == std::string::npos && t.back() == ':') colon = t.size() - 1;
    if (colon == std::string::npos) return fail(number, "expected \"key: value\"");
    Line l{number, indent, Trim(t.substr(0, colon)), Trim(t.substr(colon + 1))};
    std::string err;
    auto key = Scalar(l.key, &err);
    if (!key) return fail(number, err);
    l.key = *key;
    if (l.value.rfind('#', 0) == 0) l.value.clear();
    lines.push_back(std::move(l));
    if (end == text.size()) break;
  }

  WebConfig cfg;
  std::string section;
  int section_indent = -1;
  bool section_empty = true;
  for (size_t i = 0; i < lines.size(); ++i) {
    const Line& l = lines[i];
    std::string err;
    if (l.indent == 0) {
      if (!section.empty() && section_empty && section == "tls_server_config") {
        return fail(l.number - 1, "tls_server_config is empty");
      }
      section = l.key;
      section_indent = -1;
      section_empty = true;
      if (section != "tls_server_config" && section != "basic_auth_users" && section != "http_server_config") {
        return fail(l.number, "unknown key \"" + section +
                                  "\" (known: tls_server_config, basic_auth_users, http_server_config)");
      }
      if (!l.value.empty() && l.value != "{}") {
        return fail(l.number, "\"" + section + "\" must be a mapping");
      }
      if (section == "tls_server_config") cfg.tls.emplace();
      continue;
    }
    if (section.empty()) return fail(l.number, "indented line outside any section");
    if (section_indent < 0) section_indent = l.indent;
    if (l.indent != section_indent) return fail(l.number, "unexpected indentation (only two levels are used)");
    section_empty = false;
    auto value = Scalar(l.value, &err);
    if (!value) return fail(l.number, err);
    if (section == "basic_auth_users") {
      if (l.key.empty()) return fail(l.number, "empty user name");
      if (value->rfind("$2", 0) != 0) {
        return fail(l.number, "user \"" + l.key + "\": the password must be a bcrypt hash ($2a$, $2b$ or $2y$)");
      }
      cfg.basic_auth_users[l.key] = *value;
    } else if (section == "http_server_config") {
      return fail(l.number, "http_server_config." + l.key + " is not supported by this exporter");
    } else {
      TlsServerConfig& t = *cfg.tls;
      if (l.key == "cert_file") {
        t.cert_file = *value;
      } else if (l.key == "key_file") {
        t.key_file = *value;
      } else if (l.key == "client_ca_file") {
        t.client_ca_file = *value;
      } else if (l.key == "client_auth_type") {
        if (*value != "NoClientCert" && *value != "RequireAndVerifyClientCert" && *value != "VerifyClientCertIfGiven") {
          return fail(l.number, "client_auth_type \"" + *value +
                                    "\" is not NoClientCert, RequireAndVerifyClientCert or VerifyClientCertIfGiven");
        }
        t.client_auth_type = *value;
      } else if (l.key == "min_version") {
        if (*value != "TLS12" && *value != "TLS13") {
          return fail(l.number, "min_version \"" + *value + "\" is not TLS12 or TLS13");
        }
        t.min_version = *value;
      } else {
        return fail(l.number, "unknown key \"tls_server_config." + l.key +
                                  "\" (known: cert_file, key_file, client_ca_file, client_auth_type, min_version)");
      }
    }
  }
  if (cfg.tls) {
    if (cfg.tls->cert_file.empty() || cfg.tls->key_file.empty()) {
      return MakeError(f + ": tls_server_config needs both cert_file and key_file");
    }
    if (cfg.tls->client_auth_type != "NoClientCert" && cfg.tls->client_ca_file.empty()) {
      return MakeError(f + ": client_auth_type " + cfg.tls->client_auth_type + " needs client_ca_file");
    }
  }
  return cfg;
}

}  // namespace winnet
