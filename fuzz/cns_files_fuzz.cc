// libFuzzer targets of the CNS-mode files: WINNET_CNS_PARSER selects
// ParseCniConflist (1, 10-azure.conflist), ParseCnsState (2, azure-cns.json)
// or ParseCnsEndpoints (3, azure-endpoints.json).
#include <cstdint>

#include "collectors/cni_conflist/conflist.h"
#include "collectors/cns/cns_endpoints.h"
#include "collectors/cns/cns_state.h"
#include "collectors/common/ip_address.h"
#include "fuzz/fuzz_util.h"

namespace {

// Every address a parser hands over is in canonical form already.
void CheckCanonical(const std::string& ip) {
  winnet::fuzz::Check(winnet::CanonicalIp(ip) == ip, "address in canonical form", ip);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace winnet;
  const std::string_view text = fuzz::AsText(data, size);
#if WINNET_CNS_PARSER == 1
  auto r = ParseCniConflist(text, "10-azure.conflist");
  fuzz::CheckError(r, "10-azure.conflist");
#elif WINNET_CNS_PARSER == 2
  auto r = ParseCnsState(text, "azure-cns.json");
  fuzz::CheckError(r, "azure-cns.json");
  if (r.ok()) {
    for (const auto& nc : r->containers) {
      for (const auto& ip : nc.secondary_ips) CheckCanonical(ip);
      for (const std::string* s : {&nc.subnet, &nc.subnet_v6}) {
        if (s->empty()) continue;
        auto p = ParseIpPrefix(*s);
        fuzz::Check(p.has_value() && FormatIpPrefix(*p) == *s, "subnet in canonical CIDR form", *s);
      }
    }
  }
#else
  auto r = ParseCnsEndpoints(text, "azure-endpoints.json");
  fuzz::CheckError(r, "azure-endpoints.json");
  if (r.ok()) {
    for (const auto& e : r->endpoints) {
      for (const auto& i : e.interfaces) {
        for (const auto& ip : i.ips) CheckCanonical(ip);
      }
    }
  }
#endif
  return 0;
}
