// libFuzzer target: the command line and the --config.file JSON (ParseConfig
// with a fake file reader), and ParseDuration.
// Input: the config file's text; or "<flags, one a line>\0<config file text>".
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fuzz/fuzz_util.h"
#include "service/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace winnet;
  const auto text = fuzz::AsText(data, size);
  std::vector<std::string> args;
  std::string_view file = text;
  if (auto nul = text.find('\0'); nul != std::string_view::npos) {
    std::string_view flags = text.substr(0, nul);
    file = text.substr(nul + 1);
    while (!flags.empty()) {
      auto nl = flags.find('\n');
      args.emplace_back(flags.substr(0, nl));
      flags = nl == std::string_view::npos ? std::string_view() : flags.substr(nl + 1);
    }
  } else {
    args = {"--config.file=fuzz.json"};
  }
  auto r = ParseConfig(args, [&](const std::string&) { return std::optional<std::string>(file); });
  if (!r.ok()) fuzz::Check(!r.error().empty(), "an error says something");
  if (r.ok()) {
    fuzz::Check(r->poll_interval.count() >= 0 && r->poll_timeout.count() >= 0,
                "durations are not negative");
  }
  if (auto d = ParseDuration(std::string(text.substr(0, 64)))) {
    fuzz::Check(d->count() >= 0, "duration not negative");
  }
  return 0;
}
