// libFuzzer target: ParseHnsServiceJson (hns/service.json), the writer round
// trip, and the restart count over the process ids of the input's bytes.
#include <cstdint>

#include "collectors/hns_service/hns_service.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace winnet;
  auto r = ParseHnsServiceJson(fuzz::AsText(data, size), "hns/service.json");
  fuzz::CheckError(r, "hns/service.json");
  if (r.ok()) {
    // What `capture` writes reads back the same.
    auto again = ParseHnsServiceJson(HnsServiceToJson(*r), "again.json");
    fuzz::Check(again.ok(), "the writer's output parses", again.ok() ? "" : again.error());
    fuzz::Check(*again == *r, "round trip keeps every field");
  }
  // A counter never goes down, and never counts more than one per change.
  HnsRestartTracker t;
  uint64_t last = 0;
  for (size_t i = 0; i < size; ++i) {
    uint64_t now = t.Observe(data[i] % 4);
    fuzz::Check(now >= last && now <= last + 1, "restarts grow by at most one per poll");
    last = now;
  }
  return 0;
}
