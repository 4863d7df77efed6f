#include "collectors/hns/hns_source.h"

#include <atomic>
#include <filesystem>
#include <system_error>

#include "collectors/common/capture_writer.h"
#include "collectors/common/file_io.h"
#include "collectors/hns/hns_reader.h"

namespace winnet {

namespace {

class ReplayHns : public HnsClient {
 public:
  explicit ReplayHns(std::string root)
      : root_(std::move(root)),
        stats_dir_(root_ + "/" + CaptureDirectory(HnsCall::kEndpointStats)) {}

  Result<std::optional<std::string>> Get(const HnsRequest& request) override {
    // From the directory the round's stamps were taken in (file_io.h).
    if (request.call == HnsCall::kEndpointStats && IsSafePathComponent(request.id)) {
      return stats_dir_.ReadFile(request.id + ".json");
    }
    std::string file = CapturePath(request);
    if (file.empty()) {
      return MakeError("replay: no capture file for HNS path \"" + DisplayPath(request) + "\"");
    }
    return ReadWholeFile(root_ + "/" + file);
  }

  std::string Where() const override { return root_ + "/hns"; }

  // The reader takes the endpoint list's stamp first in each cycle (hns_client.h):
  // that is when the stats directory is checked, so that the stats stamps of
  // the round come from the directory the capture has now.
  std::optional<FileStamp> AnswerStamp(const HnsRequest& request) const override {
    if (request.call == HnsCall::kEndpointStats)
      return stats_dir_.SettledStampOf(request.id + ".json");
    const std::string file = CapturePath(request);
    if (file.empty()) return std::nullopt;
    if (request.call == HnsCall::kListEndpoints) {
      stats_dir_.Check();
      if (file_system_ == FileSystemKind::kUnknown) file_system_ = FileSystemOf(root_);
    }
    return SettledStampOf(root_ + "/" + file);
  }

  std::optional<FileStamp> ListStampIfQuick(HnsCall list) const override {
    const std::string file = CapturePath({list, {}});
    if (file_system_ != FileSystemKind::kLocal || file.empty()) return std::nullopt;
    return SettledStampOfNoLink(root_ + "/" + file);
  }
  bool StatsStampsHoldIfQuick() const override {
    return file_system_ == FileSystemKind::kLocal && stats_dir_.KeptStampsHold();
  }

 private:
  std::string root_;
  // Told on the worker at its first round of stamps: whether the poller may
  // take stamps itself.
  mutable std::atomic<FileSystemKind> file_system_{FileSystemKind::kUnknown};
  // Stamps are taken by the HNS source's worker, and by the poller's quick
  // check while the worker is idle (mutable for both); the call threads read
  // the stats through it.
  mutable StampedDirectory stats_dir_;
};

// One answer into its capture file; the text when it was written.
std::optional<std::string> CaptureAnswer(HnsClient& hns, const HnsRequest& request, bool required,
                                         CaptureWriter& out) {
  const std::string rel = CapturePath(request);
  auto r = hns.Get(request);
  if (!r.ok()) {
    out.Error(rel + ": HNS GET " + DisplayPath(request) + ": " + r.error());
    return std::nullopt;
  }
  if (!r->has_value()) {
    std::string what = rel + ": HNS GET " + DisplayPath(request) + ": no response";
    required ? out.Error(std::move(what)) : out.Skipped(std::move(what));
    return std::nullopt;
  }
  out.Write(rel, **r);
  return std::move(**r);
}

// Stats and HCN v2 properties of each local endpoint; false when v2 gave
// none for some endpoint (HCN v2 absent).
bool CaptureEndpoints(HnsClient& hns, const std::string& endpoints, CaptureWriter& out) {
  auto parsed = ParseHnsEndpoints(endpoints, "hns/endpoints.json");
  if (!parsed.ok()) {
    out.Error("hns/endpointstats/: not captured: " + parsed.error());
    return true;
  }
  bool hcn_missing = false;
  for (const auto& e : *parsed) {
    if (e.remote) continue;  // stats exist for local endpoints only
    if (!IsSafePathComponent(e.raw_id)) {
      out.Error("hns/endpointstats/: endpoint ID \"" + e.raw_id + "\" is not a file name");
      continue;
    }
    CaptureAnswer(hns, {HnsCall::kEndpointStats, e.raw_id}, true, out);
    // HCN v2 properties (the endpoint's namespace) where v2 exists; nothing
    // to say per endpoint when it does not.
    const HnsRequest v2{HnsCall::kHcnEndpoint, e.raw_id};
    if (auto r = hns.Get(v2); !r.ok()) {
      out.Error(CapturePath(v2) + ": " + r.error());
    } else if (r->has_value()) {
      out.Write(CapturePath(v2), **r);
    } else {
      hcn_missing = true;
    }
  }
  return !hcn_missing;
}

class HnsSourceType final : public TypedSource<HnsClient, HnsCollected> {
 public:
  HnsSourceType() : TypedSource(kHnsSource) {}

  std::string_view capture_part() const override { return "hns/"; }

  OpenedRaw OpenLive(LiveContext&) const override {
    std::string why_not;
    auto client = MakeLiveHnsClient(&why_not);
    if (!client) return OpenedRaw::Unavailable(why_not);
    return OpenedRaw::Of(std::move(client));
  }

  OpenedRaw OpenReplay(const std::string& dir) const override {
    std::error_code ec;
    if (!std::filesystem::is_directory(PathFromUtf8(dir + "/hns"), ec)) {
      return OpenedRaw::Unavailable("the capture has no hns/ directory");
    }
    return OpenedRaw::Of(MakeReplayHnsClient(dir));
  }

 protected:
  Reader ReaderFor(std::shared_ptr<HnsClient> raw) const override {
    auto reader = std::make_shared<HnsReader>(std::move(raw));
    return {[reader] { return (*reader)(); }, [reader] { return reader->LastIfUnchanged(); }};
  }

  std::vector<std::string> ItemErrorsOf(const HnsCollected& data) const override {
    return data.item_errors;
  }

  // The same inventory and errors, stats for the same endpoints.
  bool OnlyCountersDifferIn(const HnsCollected& before, const HnsCollected& now) const override {
    if (before.inventory != now.inventory || before.item_errors != now.item_errors ||
        before.stats.size() != now.stats.size()) {
      return false;
    }
    for (size_t i = 0; i < now.stats.size(); ++i) {
      if (before.stats[i].first != now.stats[i].first) return false;
    }
    return true;
  }

  std::vector<CallDurationStats> CallDurationsOf(const HnsClient& hns) const override {
    return hns.durations().Snapshot();
  }

  void CaptureFrom(HnsClient& hns, CaptureWriter& out) const override {
    auto endpoints = CaptureAnswer(hns, {HnsCall::kListEndpoints, {}}, true, out);
    CaptureAnswer(hns, {HnsCall::kListNetworks, {}}, true, out);
    CaptureAnswer(hns, {HnsCall::kListPolicyLists, {}}, false, out);
    if (endpoints && !CaptureEndpoints(hns, *endpoints, out)) {
      out.Skipped("hcn/endpoints/: HCN v2 gave no endpoint properties");
    }
  }
};

}  // namespace

const SourceType& HnsRegistration() {
  static const HnsSourceType type;
  return type;
}

std::unique_ptr<HnsClient> MakeReplayHnsClient(std::string capture_root) {
  return std::make_unique<ReplayHns>(std::move(capture_root));
}

}  // namespace winnet
