#include "service/web_config.h"

#include <map>
#include <string>
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

// The error for line `line` of the file named `f`.
Error LineError(const std::string& f, int line, const std::string& what) {
  return MakeError(f + ": line " + std::to_string(line) + ": " + what);
}

// Parses one line of text (without its '\n') and appends it to `lines`, unless
// it is blank, a comment or "---".
Status AddLine(std::string_view raw, int number, const std::string& f, std::vector<Line>* lines) {
  size_t first = raw.find_first_not_of(" \t");
  if (first != std::string_view::npos &&
      raw.substr(0, first).find('\t') != std::string_view::npos) {
    return LineError(f, number, "tabs are not allowed for indentation");
  }
  std::string t = Trim(raw);
  if (t.empty() || t[0] == '#' || t == "---") return Ok();
  if (t[0] == '-') return LineError(f, number, "lists are not supported here");
  int indent = static_cast<int>(raw.find_first_not_of(' '));
  size_t colon = t.find(": ");
  if (colon == std::string::npos && t.back() == ':') colon = t.size() - 1;
  if (colon == std::string::npos) return LineError(f, number, "expected \"key: value\"");
  Line l{number, indent, Trim(t.substr(0, colon)), Trim(t.substr(colon + 1))};
  std::string err;
  auto key = Scalar(l.key, &err);
  if (!key) return LineError(f, number, err);
  l.key = *key;
  if (l.value.rfind('#', 0) == 0) l.value.clear();
  lines->push_back(std::move(l));
  return Ok();
}

// The key/value lines of the text, numbered from 1.
Result<std::vector<Line>> ParseLines(std::string_view text, const std::string& f) {
  std::vector<Line> lines;
  int number = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view raw = text.substr(pos, end - pos);
    pos = end + 1;
    ++number;
    auto added = AddLine(raw, number, f, &lines);
    if (!added.ok()) return MakeError(added.error());
    if (end == text.size()) break;
  }
  return lines;
}

// The top-level section being read, and the lines of what was read before.
struct Section {
  std::string name;  // "" before the first one
  int indent = -1;   // of its lines; -1 before its first line
  bool empty = true;
  std::map<std::string, int> key_lines;      // its keys so far → the line of each
  std::map<std::string, int> section_lines;  // the sections so far → the line of each
};

// Remembers the line of `l`'s key in `key_lines`; an error naming both lines
// when the key was given before.
Status CheckFirst(const Line& l, const std::string& what, const std::string& f,
                  std::map<std::string, int>* key_lines) {
  auto [first, inserted] = key_lines->emplace(l.key, l.number);
  if (inserted) return Ok();
  return LineError(f, l.number,
                   "duplicate " + what + " (first on line " + std::to_string(first->second) + ")");
}

// A line at indentation 0: ends the section before it and starts another.
Status StartSection(const Line& l, const std::string& f, Section* section, WebConfig* cfg) {
  if (!section->name.empty() && section->empty && section->name == "tls_server_config") {
    return LineError(f, l.number - 1, "tls_server_config is empty");
  }
  section->name = l.key;
  section->indent = -1;
  section->empty = true;
  section->key_lines.clear();
  const std::string& name = section->name;
  if (name != "tls_server_config" && name != "basic_auth_users" && name != "http_server_config") {
    return LineError(f, l.number,
                     "unknown key \"" + name +
                         "\" (known: tls_server_config, basic_auth_users, http_server_config)");
  }
  auto first = CheckFirst(l, "key \"" + name + "\"", f, &section->section_lines);
  if (!first.ok()) return first;
  if (!l.value.empty() && l.value != "{}") {
    return LineError(f, l.number, "\"" + name + "\" must be a mapping");
  }
  if (name == "tls_server_config") cfg->tls.emplace();
  return Ok();
}

// A line of basic_auth_users: a user and its bcrypt hash.
Status AddBasicAuthUser(const Line& l, const std::string& value, const std::string& f,
                        WebConfig* cfg) {
  if (l.key.empty()) return LineError(f, l.number, "empty user name");
  if (value.rfind("$2", 0) != 0) {
    return LineError(
        f, l.number,
        "user \"" + l.key + "\": the password must be a bcrypt hash ($2a$, $2b$ or $2y$)");
  }
  cfg->basic_auth_users[l.key] = value;
  return Ok();
}

// A line of tls_server_config.
Status SetTlsSetting(const Line& l, const std::string& value, const std::string& f,
                     TlsServerConfig* t) {
  if (l.key == "cert_file") {
    t->cert_file = value;
  } else if (l.key == "key_file") {
    t->key_file = value;
  } else if (l.key == "client_ca_file") {
    t->client_ca_file = value;
  } else if (l.key == "client_auth_type") {
    if (value != "NoClientCert" && value != "RequireAndVerifyClientCert" &&
        value != "VerifyClientCertIfGiven") {
      return LineError(
          f, l.number,
          "client_auth_type \"" + value +
              "\" is not NoClientCert, RequireAndVerifyClientCert or VerifyClientCertIfGiven");
    }
    t->client_auth_type = value;
  } else if (l.key == "min_version") {
    if (value != "TLS12" && value != "TLS13") {
      return LineError(f, l.number, "min_version \"" + value + "\" is not TLS12 or TLS13");
    }
    t->min_version = value;
  } else {
    return LineError(
        f, l.number,
        "unknown key \"tls_server_config." + l.key +
            "\" (known: cert_file, key_file, client_ca_file, client_auth_type, min_version)");
  }
  return Ok();
}

// An indented line: a setting of the current section.
Status AddSetting(const Line& l, const std::string& f, Section* section, WebConfig* cfg) {
  if (section->name.empty()) return LineError(f, l.number, "indented line outside any section");
  if (section->indent < 0) section->indent = l.indent;
  if (l.indent != section->indent) {
    return LineError(f, l.number, "unexpected indentation (only two levels are used)");
  }
  section->empty = false;
  const std::string what = section->name == "basic_auth_users"
                               ? "user \"" + l.key + "\""
                               : "key \"" + section->name + "." + l.key + "\"";
  auto first = CheckFirst(l, what, f, &section->key_lines);
  if (!first.ok()) return first;
  std::string err;
  auto value = Scalar(l.value, &err);
  if (!value) return LineError(f, l.number, err);
  if (section->name == "basic_auth_users") return AddBasicAuthUser(l, *value, f, cfg);
  if (section->name == "http_server_config") {
    return LineError(f, l.number,
                     "http_server_config." + l.key + " is not supported by this exporter");
  }
  return SetTlsSetting(l, *value, f, &*cfg->tls);
}

// The settings of tls_server_config that need one another.
Status CheckTls(const TlsServerConfig& tls, const std::string& f) {
  if (tls.cert_file.empty() || tls.key_file.empty()) {
    return MakeError(f + ": tls_server_config needs both cert_file and key_file");
  }
  if (tls.client_auth_type != "NoClientCert" && tls.client_ca_file.empty()) {
    return MakeError(f + ": client_auth_type " + tls.client_auth_type + " needs client_ca_file");
  }
  return Ok();
}

}  // namespace

Result<WebConfig> ParseWebConfig(std::string_view text, std::string_view file) {
  const std::string f(file);
  auto lines = ParseLines(text, f);
  if (!lines.ok()) return MakeError(lines.error());
  WebConfig cfg;
  Section section;
  for (const Line& l : *lines) {
    auto r = l.indent == 0 ? StartSection(l, f, &section, &cfg) : AddSetting(l, f, &section, &cfg);
    if (!r.ok()) return MakeError(r.error());
  }
  if (cfg.tls) {
    auto checked = CheckTls(*cfg.tls, f);
    if (!checked.ok()) return MakeError(checked.error());
  }
  return cfg;
}

}  // namespace winnet
