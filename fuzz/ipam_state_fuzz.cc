// libFuzzer target: ParseIpamState (azure-vnet-ipam.json).
#include <cstdint>

#include "collectors/ipam/ipam_state.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace winnet;
  auto r = ParseIpamState(fuzz::AsText(data, size), "azure-vnet-ipam.json");
  fuzz::CheckError(r, "azure-vnet-ipam.json");
  if (r.ok()) {
    for (const auto& p : r->pools) {
      fuzz::Check(p.Allocated() <= p.Capacity(), "allocated <= capacity");
      if (p.prefix_length) {
        fuzz::Check(*p.prefix_length >= 0 && *p.prefix_length <= 128, "prefix length 0..128");
      }
    }
  }
  return 0;
}
