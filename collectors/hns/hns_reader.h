// The HNS source's caching reader: lists endpoints, networks and policy
// lists, parses them only when an answer changed, asks HCN v2 for what v1
// lacks once per endpoint, and reads the stats of the local endpoints.
#pragma once

#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "collectors/common/fingerprint.h"
#include "collectors/common/serial_caller.h"
#include "collectors/hns/hns_client.h"
#include "collectors/hns/hns_data.h"

namespace winnet {

// Fails when /endpoints/ or /networks/ fails; policy lists and per-endpoint
// stats are per-item: a failure is recorded in item_errors and skipped (an
// endpoint keeps its last stats). Stats calls are bounded by the client's
// limits(). Used by one thread at a time.
class HnsReader {
 public:
  explicit HnsReader(std::shared_ptr<HnsClient> src) : src_(std::move(src)) {}
  Result<std::shared_ptr<const HnsCollected>> operator()();
  // The last result when the client tells, without a call that may wait,
  // that every answer it was made from is unchanged (a replay whose files
  // kept their stamps) and the last round had no error to try again; null
  // otherwise (always for a live HNS). Not while operator() runs.
  std::shared_ptr<const HnsCollected> LastIfUnchanged() const;

 private:
  struct Answers;  // this cycle's list answers and their fingerprints
  // The settled stamps of the three lists' answers (AnswerStamp), when all
  // three have one (replay of files that did not just change).
  using ListStamps = std::array<FileStamp, 3>;
  std::optional<ListStamps> StampsOfLists() const;

  Result<Answers> FetchLists(std::vector<std::string>& errors);
  // Parses the answers into a new inventory unless they are the last ones.
  Result<bool> UpdateInventory(const Answers& answers);
  using Clock = std::chrono::steady_clock;
  using Answer = Result<std::optional<std::string>>;
  struct LocalEndpoint;
  // Reads the stats that are due into locals_; sets stats_changed_ when some
  // endpoint's stats, or the set of local endpoints, changed.
  void ReadStats(Clock::time_point deadline, std::vector<std::string>& errors);
  // The stats of the local endpoints that have some, in inventory order.
  std::vector<std::pair<std::string, HnsEndpointStats>> StatsList() const;
  // Calls the stats of the local endpoints `due` (indexes into locals_).
  std::vector<SerialCaller::Outcome> CallStats(const std::vector<size_t>& due,
                                               Clock::time_point deadline,
                                               std::vector<std::optional<Answer>>& answers);
  struct StatsRead;
  Result<StatsRead> StatsOf(const LocalEndpoint& local, SerialCaller::Outcome outcome,
                            std::optional<Answer>& answer, Clock::time_point now,
                            std::optional<FileStamp> stamp);
  // Fills the namespace of local endpoints that v1 gave without one from HCN
  // v2, once per endpoint (an endpoint's namespace never changes). Returns
  // false when some query failed (retried on the next cycle).
  bool AddV2Namespaces(HnsData& data, std::vector<std::string>& errors);

  std::shared_ptr<HnsClient> src_;
  // Endpoint id → HostComputeNamespace ("" when v2 has none or is absent).
  std::unordered_map<std::string, std::string> v2_namespace_;
  bool retry_inventory_ = false;
  size_t inventory_parse_errors_ = 0;  // inventory_'s item errors before the v2 ones
  Fingerprint endpoints_text_, networks_text_;
  std::optional<std::optional<Fingerprint>> policy_text_;
  std::shared_ptr<const HnsData> inventory_;
  // The lists' stamps, taken before the reads the inventory was made from
  // when they all had one and every read succeeded: while the stamps stay
  // the same, the lists are not read.
  std::optional<ListStamps> list_stamps_;
  std::shared_ptr<const HnsCollected> last_;
  // Each local endpoint's last stats and when they were read.
  struct StatsRead {
    HnsEndpointStats stats;
    Clock::time_point read_at;
    Fingerprint answer;              // of the answer the stats were parsed from
    std::optional<FileStamp> stamp;  // the answer's stamp before it was read (replay)
  };
  // A local endpoint of inventory_ (remote ones have no stats), with the
  // name its errors give, made once per inventory.
  struct LocalEndpoint {
    const HnsEndpoint* endpoint;
    std::string what;  // "HNS GET /endpointstats/<ID>"
    std::optional<StatsRead> last;
  };
  // The local endpoints of inventory_, in its order, made again (keeping the
  // last stats of the endpoints still there) when the inventory changed.
  void ForgetGoneEndpoints();
  std::vector<LocalEndpoint> locals_;
  // Their ids as the call thread's keys, and their /endpointstats/ requests
  // (same places as locals_): shared with the calls of a cycle, which may
  // return after it (a call given up).
  std::shared_ptr<const std::vector<std::string>> local_ids_;
  std::shared_ptr<const std::vector<HnsRequest>> local_requests_;
  std::shared_ptr<const HnsData> locals_of_;  // held: its address is not reused
  // locals_ may differ from last_->stats: set when an endpoint's stats or the
  // set of local endpoints changed, cleared when last_ is made from them.
  bool stats_changed_ = true;
  // The last ReadStats compared every local endpoint's stamp (none skipped
  // as not due) and each has stats read under a stamp: what LastIfUnchanged
  // needs, kept so that it does not walk the 250 each cycle.
  bool every_local_stamped_ = false;
  std::unique_ptr<SerialCaller> caller_;  // made on first use, from the client's limits
};

// Reads HNS once, without memory (tests, tools).
Result<HnsData> ReadHnsOnce(std::shared_ptr<HnsClient> src);

}  // namespace winnet
