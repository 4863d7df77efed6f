// libFuzzer target: ParseCniState (azure-vnet.json).
#include <cstdint>

#include "collectors/cni/cni_state.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace winnet;
  auto r = ParseCniState(fuzz::AsText(data, size), "azure-vnet.json");
  fuzz::CheckError(r, "azure-vnet.json");
  if (r.ok()) {
    for (const auto& e : r->endpoints) {
      fuzz::Check(e.mac.empty() || e.mac.size() % 3 == 2, "MAC is colon separated bytes", e.mac);
    }
  }
  return 0;
}
