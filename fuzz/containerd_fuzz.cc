// libFuzzer targets: the containerd spec parser and the HCN v2 endpoint parser
// (WINNET_SPEC_PARSER: 1 containerd config.json, 2 HcnQueryEndpointProperties).
#include <cstdint>

#include "collectors/containerd/containerd.h"
#include "collectors/hns/hcn.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace winnet;
  const auto text = fuzz::AsText(data, size);
#if WINNET_SPEC_PARSER == 1
  const char* file = "containerd/x/config.json";
  auto r = ParseContainerdSpec(text, file);
  if (r.ok()) {
    fuzz::Check(fuzz::IsUtf8(r->sandbox_name) && fuzz::IsUtf8(r->sandbox_namespace),
                "pod names are UTF-8");
    fuzz::Check(r->network_namespace.empty() || r->network_namespace.size() == 36,
                "a namespace is a GUID");
  }
#elif WINNET_SPEC_PARSER == 2
  const char* file = "HCN endpoint x";
  auto r = ParseHcnEndpoint(text, file);
  if (r.ok()) fuzz::Check(fuzz::IsUtf8(r->id) && fuzz::IsUtf8(r->namespace_id), "ids are UTF-8");
#else
#error "WINNET_SPEC_PARSER must be 1 or 2"
#endif
  fuzz::CheckError(r, file);
  return 0;
}
