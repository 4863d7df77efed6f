// libFuzzer target: ParseWebConfig (--web.config.file, the exporter-toolkit
// YAML subset).
#include <cstdint>

#include "fuzz/fuzz_util.h"
#include "service/web_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace winnet;
  auto r = ParseWebConfig(fuzz::AsText(data, size), "web.yml");
  // Start-up errors go to stderr once: they may quote the file's bytes as they are.
  fuzz::CheckError(r, "web.yml", /*utf8=*/false);
  return 0;
}
