// libFuzzer targets: the HNS v1 response parsers, one per executable
// (WINNET_HNS_PARSER: 1 endpoints, 2 networks, 3 policy lists, 4 endpoint stats).
#include <cstdint>

#include "collectors/hns/hns_v1.h"
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
#else
#error "WINNET_HNS_PARSER must be 1..4"
#endif
  fuzz::CheckError(r, file);
  return 0;
}
