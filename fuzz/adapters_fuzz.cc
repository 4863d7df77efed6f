// libFuzzer target: ParseAdaptersJson, its fast path against its full parser,
// and the capture writer round trip.
#include <cstdint>

#include "collectors/adapters/adapters.h"
#include "collectors/adapters/adapters_internal.h"
#include "collectors/common/flat_json.h"
#include "collectors/common/json_read.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace winnet;
  const auto text = fuzz::AsText(data, size);
  auto r = ParseAdaptersJson(text, "adapters.json");
  fuzz::CheckError(r, "adapters.json");
  // The fast path accepts only what the full parser reads, and reads it the same.
  auto full = ParseAdaptersJsonFull(text, "adapters.json");
  fuzz::CheckSameResult(r, full, "the parser gives the full parser's rows or error");
  if (auto fast = ParseAdaptersJsonFast(text)) {
    fuzz::Check(full.ok(), "the fast path accepts only what the full parser reads",
                full.ok() ? "" : full.error());
    fuzz::Check(*fast == *full, "the fast path reads the full parser's rows");
  }
  // So does the scanner under it, whatever the shape.
  if (IsFlatJson(text)) {
    auto doc = jsonr::Parse(text, "t");
    fuzz::Check(doc.ok(), "the scanner accepts only valid JSON", doc.ok() ? "" : doc.error());
  }
  if (r.ok()) {
    // What `capture` writes reads back the same.
    auto again = ParseAdaptersJson(AdaptersToJson(*r), "again.json");
    fuzz::Check(again.ok(), "the writer's output parses", again.ok() ? "" : again.error());
    fuzz::Check(*again == *r, "round trip keeps every row");
  }
  return 0;
}
