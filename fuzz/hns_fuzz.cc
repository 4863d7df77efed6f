// libFuzzer targets: the HNS v1 response parsers, one per executable
// (WINNET_HNS_PARSER: 1 endpoints, 2 networks, 3 policy lists, 4 endpoint stats,
// its fast path against its full parser).
#include <cstdint>

#include "collectors/hns/hns_v1.h"
#include "collectors/hns/hns_v1_internal.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace winnet;
  const auto text = fuzz::AsText(data, size);
  const char* file = "HNS GET /x/";
#if WINNET_HNS_PARSER == 1
  auto r = ParseHnsEndpoints(text, file);
  if (r.ok()) {
    for (const auto& e : *r) {
      fuzz::Check(!HnsEndpointStateName(e.state).empty(), "state has a name");
      fuzz::Check(fuzz::IsUtf8(e.id) && fuzz::IsUtf8(e.name), "strings are UTF-8");
    }
  }
#elif WINNET_HNS_PARSER == 2
  auto r = ParseHnsNetworks(text, file);
  if (r.ok()) {
    for (const auto& n : *r) fuzz::Check(!n.type.empty(), "a network has a type (NAT when absent)");
  }
#elif WINNET_HNS_PARSER == 3
  auto r = ParseHnsPolicyLists(text, file);
#elif WINNET_HNS_PARSER == 4
  auto r = ParseHnsEndpointStats(text, file);
  // The fast path accepts only what the full parser reads, and reads it the same.
  auto full = ParseHnsEndpointStatsFull(text, file);
  fuzz::CheckSameResult(r, full, "the parser gives the full parser's stats or error");
  if (auto fast = ParseHnsEndpointStatsFast(text)) {
    fuzz::Check(full.ok(), "the fast path accepts only what the full parser reads",
                full.ok() ? "" : full.error());
    fuzz::Check(*fast == *full, "the fast path reads the full parser's stats");
  }
#else
#error "WINNET_HNS_PARSER must be 1..4"
#endif
  fuzz::CheckError(r, file);
  return 0;
}
