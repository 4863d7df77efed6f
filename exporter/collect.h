// One fetch-and-parse step per source. Each runs on its source's worker thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "collectors/containerd.h"
#include "collectors/sources.h"
#include "exporter/snapshot.h"

namespace winnet {

// The largest text a source may hand over: a state file is bounded by
// ReadWholeFile (kMaxStateFileBytes); an HNS response by this, since parsing
// builds a tree many times the text's size. /endpoints/ of 100,000 remote
// endpoints is about 100 MB.
inline constexpr size_t kMaxHnsResponseBytes = 256u << 20;

Result<IpamState> CollectIpam(FileSource& src);
Result<CniState> CollectCni(FileSource& src);
// Fails when /endpoints/ or /networks/ fails; policy lists and per-endpoint
// stats are per-item: a failure is recorded in item_errors and skipped.
Result<HnsData> CollectHns(HnsSource& src);
Result<std::vector<AdapterRow>> CollectAdapters(AdapterSource& src);
Result<ContainerdState> CollectContainerd(ContainerdSource& src);

// Size and 64-bit hash of a text: what the collectors remember of the last
// bytes instead of the bytes (a state file can be megabytes).
struct Fingerprint {
  size_t size = 0;
  size_t hash = 0;
  bool operator==(const Fingerprint&) const = default;
};
Fingerprint FingerprintOf(std::string_view text);

// The same steps with memory: when the bytes a source returns equal those of
// the previous call, the previous parsed result is returned again (the same
// pointer), so unchanged inputs cost a read and a comparison, not a parse.
// Each object is used by one thread at a time.
class IpamCollector {
 public:
  explicit IpamCollector(std::shared_ptr<FileSource> src) : src_(std::move(src)) {}
  Result<std::shared_ptr<const IpamState>> operator()();

 private:
  std::shared_ptr<FileSource> src_;
  std::optional<Fingerprint> last_text_;
  std::shared_ptr<const IpamState> last_;
};

class CniCollector {
 public:
  explicit CniCollector(std::shared_ptr<FileSource> src) : src_(std::move(src)) {}
  Result<std::shared_ptr<const CniState>> operator()();

 private:
  std::shared_ptr<FileSource> src_;
  std::optional<Fingerprint> last_text_;
  std::shared_ptr<const CniState> last_;
};

class HnsCollector {
 public:
  explicit HnsCollector(std::shared_ptr<HnsSource> src) : src_(std::move(src)) {}
  Result<std::shared_ptr<const HnsCollected>> operator()();

 private:
  // Fills the namespace of local endpoints that v1 gave without one from HCN
  // v2, once per endpoint (an endpoint's namespace never changes). Returns
  // false when some query failed (retried on the next cycle).
  bool AddV2Namespaces(HnsData& data, std::vector<std::string>& errors);

  std::shared_ptr<HnsSource> src_;
  // Endpoint id → HostComputeNamespace ("" when v2 has none or is absent).
  std::unordered_map<std::string, std::string> v2_namespace_;
  bool retry_inventory_ = false;
  size_t inventory_parse_errors_ = 0;  // inventory_'s item errors before the v2 ones
  Fingerprint endpoints_text_, networks_text_;
  std::optional<std::optional<Fingerprint>> policy_text_;
  std::shared_ptr<const HnsData> inventory_;
  std::shared_ptr<const HnsCollected> last_;
};

class AdapterCollector {
 public:
  explicit AdapterCollector(std::shared_ptr<AdapterSource> src) : src_(std::move(src)) {}
  Result<std::shared_ptr<const std::vector<AdapterRow>>> operator()();

 private:
  std::shared_ptr<AdapterSource> src_;
  std::shared_ptr<const std::vector<AdapterRow>> last_;
};

// Lists the containers each cycle and reads and parses only the specs that are
// new or rewritten (size or mtime changed); a spec is written once when its
// container is created, so a steady node costs one directory listing.
class ContainerdCollector {
 public:
  explicit ContainerdCollector(std::shared_ptr<ContainerdSource> src) : src_(std::move(src)) {}
  Result<std::shared_ptr<const ContainerdState>> operator()();

 private:
  struct Known {
    uint64_t size = 0;
    int64_t mtime_ns = 0;
    std::optional<ContainerdSpec> spec;  // nullopt: read or parse failed
    std::string error;
  };
  std::shared_ptr<ContainerdSource> src_;
  std::unordered_map<std::string, Known> known_;
  std::shared_ptr<const ContainerdState> last_;
};

}  // namespace winnet
