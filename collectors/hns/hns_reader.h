// The HNS source's caching reader: lists endpoints, networks and policy
// lists, parses them only when an answer changed, asks HCN v2 for what v1
// lacks once per endpoint, and reads the stats of the local endpoints.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "collectors/common/fingerprint.h"
#include "collectors/hns/hns_client.h"
#include "collectors/hns/hns_data.h"

namespace winnet {

// Fails when /endpoints/ or /networks/ fails; policy lists and per-endpoint
// stats are per-item: a failure is recorded in item_errors and skipped. Used
// by one thread at a time.
class HnsReader {
 public:
  explicit HnsReader(std::shared_ptr<HnsClient> src) : src_(std::move(src)) {}
  Result<std::shared_ptr<const HnsCollected>> operator()();

 private:
  struct Answers;  // this cycle's list answers and their fingerprints

  Result<Answers> FetchLists(std::vector<std::string>& errors);
  // Parses the answers into a new inventory unless they are the last ones.
  Result<bool> UpdateInventory(const Answers& answers);
  std::vector<std::pair<std::string, HnsEndpointStats>> ReadStats(std::vector<std::string>& errors);
  Result<HnsEndpointStats> ParseStatsCached(const std::string& id, std::string_view text,
                                            const HnsRequest& request);
  void PruneStatsCache(const std::vector<std::pair<std::string, HnsEndpointStats>>& now);
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
  std::shared_ptr<const HnsCollected> last_;
  // Endpoint id → fingerprint of its last stats answer and the stats parsed from it.
  std::unordered_map<std::string, std::pair<Fingerprint, HnsEndpointStats>> stats_cache_;
};

// Reads HNS once, without memory (tests, tools).
Result<HnsData> ReadHnsOnce(std::shared_ptr<HnsClient> src);

}  // namespace winnet
