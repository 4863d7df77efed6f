#include "collectors/hns_service/hns_service_source.h"

#include <filesystem>
#include <system_error>

#include "collectors/common/capture_writer.h"
#include "collectors/common/file_io.h"
#include "collectors/common/live_context.h"

namespace winnet {

namespace {

class HnsServiceFile : public HnsServiceProbe {
 public:
  explicit HnsServiceFile(std::string path) : path_(std::move(path)) {}

  Result<HnsServiceStatus> Query() override {
    auto text = ReadWholeFile(path_);
    if (!text.ok()) return MakeError(text.error());
    if (!text->has_value()) return MakeError(path_ + ": missing from the capture");
    return ParseHnsServiceJson(**text, path_);
  }

  std::string Where() const override { return path_; }

 private:
  std::string path_;
};

// Remembers the last process id across polls (the restart count) and hands
// on the last data unchanged while nothing moved.
class HnsServiceReader {
 public:
  explicit HnsServiceReader(std::shared_ptr<HnsServiceProbe> probe) : probe_(std::move(probe)) {}

  Result<std::shared_ptr<const HnsServiceData>> operator()() {
    auto status = probe_->Query();
    if (!status.ok()) return MakeError(status.error());
    HnsServiceData data{std::move(*status), 0};
    data.restarts = restarts_.Observe(data.status.process_id);
    if (last_ && *last_ == data) return last_;
    last_ = std::make_shared<const HnsServiceData>(std::move(data));
    return last_;
  }

 private:
  std::shared_ptr<HnsServiceProbe> probe_;
  HnsRestartTracker restarts_;
  std::shared_ptr<const HnsServiceData> last_;
};

class HnsServiceSourceType final : public TypedSource<HnsServiceProbe, HnsServiceData> {
 public:
  HnsServiceSourceType() : TypedSource(kHnsServiceSource) {}

  std::string_view capture_part() const override { return kHnsServiceCaptureFile; }

  OpenedRaw OpenLive(LiveContext& live) const override {
    std::string name = live.options().hns_service_name;
    if (name.empty()) name = kDefaultHnsServiceName;
    std::string why_not;
    auto probe = MakeLiveHnsServiceProbe(name, &why_not);
    if (!probe) return OpenedRaw::Unavailable(why_not);
    return OpenedRaw::Of(std::move(probe));
  }

  OpenedRaw OpenReplay(const std::string& dir) const override {
    const std::string path = dir + "/" + kHnsServiceCaptureFile;
    std::error_code ec;
    if (!std::filesystem::exists(PathFromUtf8(path), ec)) {
      return OpenedRaw::Unavailable(std::string("the capture has no ") + kHnsServiceCaptureFile);
    }
    return OpenedRaw::Of(MakeHnsServiceFileProbe(path));
  }

 protected:
  Reader ReaderFor(std::shared_ptr<HnsServiceProbe> probe) const override {
    return [reader = std::make_shared<HnsServiceReader>(std::move(probe))] { return (*reader)(); };
  }

  std::vector<std::string> ItemErrorsOf(const HnsServiceData& data) const override {
    if (data.status.process_error.empty()) return {};
    return {data.status.process_error};
  }

  void CaptureFrom(HnsServiceProbe& probe, CaptureWriter& out) const override {
    if (auto status = probe.Query(); !status.ok()) {
      out.Error(std::string(kHnsServiceCaptureFile) + ": " + status.error());
    } else {
      out.Write(kHnsServiceCaptureFile, HnsServiceToJson(*status));
    }
  }
};

}  // namespace

const SourceType& HnsServiceRegistration() {
  static const HnsServiceSourceType type;
  return type;
}

std::unique_ptr<HnsServiceProbe> MakeHnsServiceFileProbe(std::string path) {
  return std::make_unique<HnsServiceFile>(std::move(path));
}

}  // namespace winnet
