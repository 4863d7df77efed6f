// libFuzzer target: ParseCnsIpAddresses (the answer of CNS's /debug/ipaddresses).
#include <cstdint>

#include "collectors/cns/cns_ipaddresses.h"
#include "collectors/common/netaddr.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace winnet;
  constexpr std::string_view kWhere = "http://127.0.0.1:10090/debug/ipaddresses";
  auto r = ParseCnsIpAddresses(fuzz::AsText(data, size), kWhere);
  fuzz::CheckError(r, kWhere);
  if (r.ok()) {
    fuzz::Check(r->present, "a parsed answer is present");
    for (const auto& ip : r->ips) {
      // Canonical text is a fixed point: the join compares addresses as text.
      fuzz::Check(CanonicalIpText(ip.ip) == ip.ip, "the IP is canonical", ip.ip);
      fuzz::Check(!ip.state.empty(), "every IP has a state");
    }
  }
  return 0;
}
