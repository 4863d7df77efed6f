// libFuzzer target: the encoding helpers (base64 masks and MACs, MAC text,
// GUIDs, RFC 3339 times, IPv4 text, canonical IP text, UTF-8 repair).
#include <cstdint>
#include <string>

#include "collectors/common/netaddr.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace winnet;
  const auto text = fuzz::AsText(data, size);
  if (auto bytes = DecodeBase64(text)) {
    (void)MaskPrefixLength(*bytes);
    fuzz::Check(FormatMac(*bytes).size() == (bytes->empty() ? 0 : bytes->size() * 3 - 1),
                "MAC text length");
  }
  if (auto mac = NormalizeMacText(text)) {
    fuzz::Check(NormalizeMacText(*mac) == mac, "a normalised MAC normalises to itself", *mac);
  }
  (void)NormalizeGuid(text);
  if (auto t = ParseRfc3339(text); t.ok()) {
    fuzz::Check(*t == *t, "time is a number");
  } else {
    fuzz::Check(t.error().starts_with("is not an RFC 3339 time") || t.error().starts_with("has "),
                "a refused time says why", t.error());
  }
  (void)IsIpv4(text);
  if (auto ip = CanonicalIpText(text)) {
    fuzz::Check(CanonicalIpText(*ip) == ip, "a canonical IP is its own canonical form", *ip);
  }
  const std::string utf8 = ToValidUtf8(text);
  fuzz::Check(ToValidUtf8(utf8) == utf8, "UTF-8 repair is idempotent");
  fuzz::Check(utf8.size() >= text.size(), "UTF-8 repair only grows");
  return 0;
}
