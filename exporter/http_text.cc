#include "exporter/http_text.h"

#include <algorithm>
#include <cctype>
#include <optional>

namespace winnet {

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// The part of `s` before the first `separator`; `s` keeps what follows it.
std::string_view TakeUntil(std::string_view* s, char separator) {
  size_t at = s->find(separator);
  std::string_view head = s->substr(0, at);
  s->remove_prefix(at == std::string_view::npos ? s->size() : at + 1);
  return head;
}

namespace {

// A weight ("0", "0.5", "1.000") in thousandths; nullopt unless it is 0 to 1
// with at most three decimals.
std::optional<int> ParseWeight(std::string_view s) {
  if (s.empty() || (s[0] != '0' && s[0] != '1')) return std::nullopt;
  const int whole = s[0] - '0';
  if (s.size() == 1) return whole * 1000;
  if (s[1] != '.' || s.size() > 5) return std::nullopt;
  int thousandths = 0;
  int scale = 100;
  for (char c : s.substr(2)) {
    if (c < '0' || c > '9') return std::nullopt;
    thousandths += (c - '0') * scale;
    scale /= 10;
  }
  if (whole == 1 && thousandths != 0) return std::nullopt;
  return whole * 1000 + thousandths;
}

// The weight of one Accept-Encoding element's parameters (";q=0.5"): 1000
// without a q, nullopt when its q is not a weight.
std::optional<int> WeightOfParameters(std::string_view parameters) {
  int weight = 1000;
  while (!parameters.empty()) {
    std::string_view parameter = TrimSpace(TakeUntil(&parameters, ';'));
    std::string_view name = TrimSpace(TakeUntil(&parameter, '='));
    if (!EqualsIgnoringCase(name, "q")) continue;
    auto parsed = ParseWeight(TrimSpace(parameter));
    if (!parsed) return std::nullopt;
    weight = *parsed;
  }
  return weight;
}

// The weights (thousandths) an Accept-Encoding header gives the codings the
// exporter can send; -1 for a coding the header does not name.
struct CodingWeights {
  int gzip = -1;      // "gzip" or "x-gzip"
  int identity = -1;  // no coding
  int any = -1;       // "*": every coding not named
};

// Adds the elements of one Accept-Encoding value ("gzip;q=0.5, *;q=0");
// elements with a malformed weight are ignored.
void AddCodingWeights(std::string_view value, CodingWeights* weights) {
  while (!value.empty()) {
    std::string_view element = TakeUntil(&value, ',');
    std::string_view coding = TrimSpace(TakeUntil(&element, ';'));
    auto weight = WeightOfParameters(element);
    if (!weight) continue;
    if (EqualsIgnoringCase(coding, "gzip") || EqualsIgnoringCase(coding, "x-gzip")) {
      weights->gzip = *weight;
    } else if (EqualsIgnoringCase(coding, "identity")) {
      weights->identity = *weight;
    } else if (coding == "*") {
      weights->any = *weight;
    }
  }
}

}  // namespace

bool GzipAccepted(const std::vector<std::string_view>& values) {
  CodingWeights weights;
  for (std::string_view value : values) AddCodingWeights(value, &weights);
  const int gzip = weights.gzip >= 0 ? weights.gzip : std::max(weights.any, 0);
  const int identity = weights.identity >= 0 ? weights.identity : std::max(weights.any, 0);
  return gzip > 0 && gzip >= identity;
}

}  // namespace winnet
