// Mutations of a JSON text for the differential tests of the fast paths: each
// byte deleted, replaced or preceded by another; each token (string, number,
// literal) replaced by another, so that keys are renamed and values change
// type or range; and each member with a scalar value removed.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace winnet::testing {

// Bytes that change the meaning of a JSON text wherever they land.
inline constexpr std::string_view kMutationBytes =
    std::string_view(" \t\n\r\f{}[],:\"\\/0179-+.eEtfnuxA\x00\x7F\x80\xC3\xFF", 34);

// Every text one byte away from `seed`.
inline std::vector<std::string> ByteMutations(const std::string& seed) {
  std::vector<std::string> out;
  for (size_t i = 0; i <= seed.size(); ++i) {
    if (i < seed.size()) out.push_back(seed.substr(0, i) + seed.substr(i + 1));
    for (char b : kMutationBytes) {
      if (i < seed.size() && seed[i] != b) {
        std::string replaced = seed;
        replaced[i] = b;
        out.push_back(std::move(replaced));
      }
      out.push_back(seed.substr(0, i) + b + seed.substr(i));
    }
  }
  return out;
}

// The [begin, end) spans of the tokens of a JSON text without escapes:
// strings (quotes included), numbers and literals.
inline std::vector<std::pair<size_t, size_t>> TokenSpans(std::string_view text) {
  std::vector<std::pair<size_t, size_t>> spans;
  auto is_word = [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
           c == '+' || c == '.';
  };
  for (size_t i = 0; i < text.size();) {
    size_t end = i + 1;
    if (text[i] == '"') {
      end = text.find('"', i + 1);
      if (end == std::string_view::npos) break;
      spans.emplace_back(i, ++end);
    } else if (is_word(text[i])) {
      while (end < text.size() && is_word(text[end])) ++end;
      spans.emplace_back(i, end);
    }
    i = end;
  }
  return spans;
}

// Every text with one token of `seed` replaced by one of `tokens`.
inline std::vector<std::string> TokenMutations(const std::string& seed,
                                               const std::vector<std::string>& tokens) {
  std::vector<std::string> out;
  for (const auto& [begin, end] : TokenSpans(seed)) {
    for (const std::string& t : tokens) {
      out.push_back(seed.substr(0, begin) + t + seed.substr(end));
    }
  }
  return out;
}

// Every text with one member of `seed` whose value is a scalar removed, with
// its comma.
inline std::vector<std::string> MemberDeletions(const std::string& seed) {
  constexpr std::string_view kSpace = " \t\r\n";
  std::vector<std::string> out;
  const auto spans = TokenSpans(seed);
  for (size_t i = 0; i + 1 < spans.size(); ++i) {
    const auto [key, key_end] = spans[i];
    const auto [value, value_end] = spans[i + 1];
    // A key is a string with a colon after it, and then its value.
    const size_t colon = seed.find_first_not_of(kSpace, key_end);
    if (key == 0 || seed[key] != '"' || colon == std::string::npos || seed[colon] != ':' ||
        seed.find_first_not_of(kSpace, colon + 1) != value) {
      continue;
    }
    size_t from = key, to = value_end;
    const size_t after = seed.find_first_not_of(kSpace, value_end);
    const size_t before = seed.find_last_not_of(kSpace, key - 1);
    if (after != std::string::npos && seed[after] == ',') {
      to = after + 1;  // "a":1, "b":2 without "a"
    } else if (before != std::string::npos && seed[before] == ',') {
      from = before;  // "a":1, "b":2 without "b"
    }
    out.push_back(seed.substr(0, from) + seed.substr(to));
  }
  return out;
}

// Values of every type and range the readers tell apart, and unset markers.
inline std::vector<std::string> ValueTokens() {
  return {R"("")",
          R"("x")",
          R"("00-15-5D-3A-7C-11")",
          R"("nope")",
          R"("{E3A1C7D2-4B6F-4F0E-8A9D-1C2B3D4E5F60}")",
          R"("00000000-0000-0000-0000-000000000000")",
          R"("a\"b")",
          R"("\u00e9")",
          "\"caf\xC3\xA9\"",
          "0",
          "1",
          "-1",
          "-0",
          "1.5",
          "1.0",
          "1e2",
          "01",
          "4294967295",
          "4294967296",
          "9223372036854775807",
          "9223372036854775808",
          "18446744073709551615",
          "18446744073709551616",
          "true",
          "false",
          "null",
          "{}",
          "[]",
          R"({"a":1})",
          "[1]"};
}

}  // namespace winnet::testing
