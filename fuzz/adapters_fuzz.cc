// libFuzzer target: ParseAdaptersJson, and the capture writer round trip.
#include <cstdint>

#include "collectors/adapters/adapters.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace winnet;
  auto r = ParseAdaptersJson(fuzz::AsText(data, size), "adapters.json");
  fuzz::CheckError(r, "adapters.json");
  if (r.ok()) {
    // What `capture` writes reads back the same.
    auto again = ParseAdaptersJson(AdaptersToJson(*r), "again.json");
    fuzz::Check(again.ok(), "the writer's output parses", again.ok() ? "" : again.error());
    fuzz::Check(*again == *r, "round trip keeps every row");
  }
  return 0;
}
