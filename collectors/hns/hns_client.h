// The typed HNS interface (docs/hns.md): the five calls the exporter makes,
// and one table that maps each to its HNS v1 path and to its file in a
// capture. Live Windows (hns_client_windows.cc), replay (hns_source.cc),
// capture and the stand-in vmcompute.dll of the Wine tests all use the table.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "collectors/common/call_durations.h"
#include "collectors/common/file_io.h"
#include "collectors/common/result.h"

namespace winnet {

enum class HnsCall {
  kListEndpoints,    // HNS v1 GET /endpoints/
  kListNetworks,     // HNS v1 GET /networks/
  kListPolicyLists,  // HNS v1 GET /policylists/
  kEndpointStats,    // HNS v1 GET /endpointstats/<ID>
  kHcnEndpoint,      // HCN v2 HcnQueryEndpointProperties of endpoint <ID>
};

struct HnsRequest {
  HnsCall call = HnsCall::kListEndpoints;
  std::string id;  // the endpoint ID, as HNS listed it (kEndpointStats, kHcnEndpoint)
};

// The largest answer the exporter parses: parsing builds a tree many times
// the text's size. /endpoints/ of 100,000 remote endpoints is about 100 MB.
inline constexpr size_t kMaxHnsResponseBytes = 256u << 20;

// The `call` label of winnet_hns_call_duration_seconds: "endpoints",
// "networks", "policylists", "endpointstats", "hcn_endpoint".
std::string CallName(HnsCall call);

// The request as it appears in errors and logs: "/endpoints/",
// "/endpointstats/<ID>", "hcn:/endpoints/<ID>".
std::string DisplayPath(const HnsRequest& request);
// The HNSCall path of an HNS v1 request ("" for kHcnEndpoint).
std::string V1Path(const HnsRequest& request);
// The request an HNSCall GET path asks for; nullopt for any other path or an
// ID that is not one plain path component.
std::optional<HnsRequest> RequestForV1Path(std::string_view path);
// The answer's file in a capture, relative to its root ("hns/endpoints.json",
// "hcn/endpoints/<ID>.json"); "" when the ID is not one plain path component.
std::string CapturePath(const HnsRequest& request);
// The directory of a per-endpoint call's files in a capture ("hns/endpointstats");
// "" for the list calls.
std::string CaptureDirectory(HnsCall call);

// How the HNS source bounds its calls (docs/hns.md, "Bounded calls"); the
// service sets them from its flags.
struct HnsCallLimits {
  // The most one /endpointstats/ call may take (--hns.call-timeout).
  std::chrono::milliseconds call_timeout{2000};
  // How often each endpoint's stats are read (--hns.stats-interval); 0: every poll.
  std::chrono::milliseconds stats_interval{0};
  // The most all stats calls of one cycle may take: 0.8 × --poll.timeout.
  std::chrono::milliseconds stats_budget{8000};
  // Threads for stats calls, counting those held by calls that never returned.
  size_t call_threads = 4;
};

// HNS as a source reads it. Every answer is the raw text (HNS v1: the
// {"Success","Error","Output"} envelope, checked by the parsers). nullopt when
// the object is not there at all: a capture without the file, or HCN v2 not
// available on this node.
class HnsClient {
 public:
  virtual ~HnsClient() = default;
  virtual Result<std::optional<std::string>> Get(const HnsRequest& request) = 0;
  virtual std::string Where() const = 0;

  Result<std::optional<std::string>> List(HnsCall list) { return Get({list, {}}); }
  Result<std::optional<std::string>> EndpointStats(std::string id) {
    return Get({HnsCall::kEndpointStats, std::move(id)});
  }
  Result<std::optional<std::string>> HcnEndpoint(std::string id) {
    return Get({HnsCall::kHcnEndpoint, std::move(id)});
  }

  // When answers are files (replay): the settled stamp (SettledStampOf) of
  // the request's file, taken before Get; an answer read with the same
  // stamp is the same answer, so a reader that has it does not ask again.
  // Live HNS: nullopt, every answer is asked for. The reader takes the
  // stamp of the endpoint list first in each round of stamps, then those of
  // the other lists, then the per-endpoint ones.
  virtual std::optional<FileStamp> AnswerStamp(const HnsRequest&) const { return std::nullopt; }
  // For the poller's thread, while no read runs (docs/architecture.md,
  // "Unchanged without a hand-off"): AnswerStamp of a list when taking it
  // cannot wait on another machine, nullopt otherwise; and whether every
  // per-endpoint stamp AnswerStamp gave since its last round of stamps still
  // holds, known without a call that may wait (false when it cannot tell).
  virtual std::optional<FileStamp> ListStampIfQuick(HnsCall) const { return std::nullopt; }
  virtual bool StatsStampsHoldIfQuick() const { return false; }

  const HnsCallLimits& limits() const { return limits_; }
  void set_limits(const HnsCallLimits& limits) { limits_ = limits; }
  // How long the reader's calls took, per kind (observed from any thread).
  CallDurations& durations() { return durations_; }
  const CallDurations& durations() const { return durations_; }

 private:
  HnsCallLimits limits_;
  CallDurations durations_;
};

}  // namespace winnet
