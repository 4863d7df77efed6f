// The cns_api source: CNS's answer to POST /debug/ipaddresses, every IP of
// the node's network containers with its state and pod (docs/state-files.md,
// "CNS API"). Live it asks CNS over plain HTTP on loopback (--cns.url);
// replayed it reads cns/ipaddresses.json of a capture.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "collectors/cns/cns_ipaddresses.h"
#include "collectors/common/result.h"
#include "collectors/common/source.h"

namespace winnet {

// Where the answer comes from: CNS over HTTP, a capture's file, or a test's
// fake. Fetch gives the answer's body byte for byte (what capture writes),
// or why there is none.
class CnsApiClient {
 public:
  virtual ~CnsApiClient() = default;
  virtual Result<std::string> Fetch() = 0;
  virtual std::string Where() const = 0;
};

inline constexpr SourceKey<CnsApiClient, CnsIpAddresses> kCnsApiSource{"cns_api"};
const SourceType& CnsApiRegistration();

// The answer's name in a capture, under the capture root.
inline constexpr std::string_view kCnsCaptureFile = "cns/ipaddresses.json";
// CNS's address when --cns.url is not given.
inline constexpr std::string_view kDefaultCnsUrl = "http://127.0.0.1:10090";
// The path and request body of the call.
inline constexpr std::string_view kCnsIpAddressesPath = "/debug/ipaddresses";
inline constexpr std::string_view kCnsIpAddressesRequest =
    R"({"IPConfigStateFilter":["Available","Assigned","PendingRelease","PendingProgramming"]})";
// Answers larger than this are refused: a node's pool is a few hundred IPs
// (about 350 bytes each).
inline constexpr size_t kMaxCnsAnswerBytes = 16u << 20;

// In the error of a call that found nothing listening (no CNS on this node).
inline constexpr std::string_view kCnsCannotConnect = ": cannot connect: ";

// --cns.url taken apart: http://<host>[:<port>][/].
struct CnsUrl {
  std::string host;  // an IPv4 address, or an IPv6 one without its brackets
  int port = 80;
  std::string text;  // as given, without a trailing "/"
};
// Why `url` is not a CNS URL, or its parts. The host must be an IP address
// (no name lookups in a poll); only http (CNS serves plain HTTP on loopback).
Result<CnsUrl> ParseCnsUrl(std::string_view url);

// Asks CNS at `url` over HTTP, each call bounded by `timeout` (connect, send,
// headers and body together) and its body by `max_bytes`.
std::unique_ptr<CnsApiClient> MakeCnsHttpClient(CnsUrl url, std::chrono::milliseconds timeout,
                                                size_t max_bytes = kMaxCnsAnswerBytes);
// Reads a capture's cns/ipaddresses.json.
std::unique_ptr<CnsApiClient> MakeCnsFileClient(std::string path);

}  // namespace winnet
