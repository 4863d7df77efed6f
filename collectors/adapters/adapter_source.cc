#include "collectors/adapters/adapter_source.h"

#include <filesystem>
#include <optional>
#include <system_error>

#include "collectors/adapters/live_adapters.h"
#include "collectors/common/capture_writer.h"
#include "collectors/common/file_io.h"
#include "collectors/common/fingerprint.h"
#include "collectors/common/live_context.h"

namespace winnet {

namespace {

class AdaptersFile : public AdapterSource {
 public:
  explicit AdaptersFile(std::string path) : file_(MakePathFileSource(std::move(path))) {}

  // Parsed only when the bytes changed, not read while the file's settled
  // stamp is that of the last read; otherwise a copy of the last rows.
  Result<std::vector<AdapterRow>> List() override {
    const std::optional<FileStamp> stamp = file_->Stamp();
    if (last_ && stamp && stamp == last_stamp_) return *last_;
    auto text = file_->Read();
    if (!text.ok()) return MakeError(text.error());
    if (!text->has_value()) return MakeError(Where() + ": missing from the capture");
    const Fingerprint fp = FingerprintOf(**text);
    if (last_ && fp == last_text_) {
      last_stamp_ = stamp;
      return *last_;
    }
    auto rows = ParseAdaptersJson(**text, Where());
    if (!rows.ok()) return rows;
    last_ = *rows;
    last_text_ = fp;
    last_stamp_ = stamp;
    return rows;
  }

  bool Unchanged() const override { return SameStamp(file_->Stamp()); }
  bool UnchangedIfQuick() const override { return SameStamp(file_->StampIfQuick()); }

  std::string Where() const override { return file_->Where(); }

 private:
  bool SameStamp(const std::optional<FileStamp>& stamp) const {
    return last_ && stamp && stamp == last_stamp_;
  }

  std::unique_ptr<FileSource> file_;
  Fingerprint last_text_;
  std::optional<FileStamp> last_stamp_;  // taken before the read that gave last_
  std::optional<std::vector<AdapterRow>> last_;
};

using Rows = std::vector<AdapterRow>;

// The table is read whole every cycle (counters move); the last result is
// handed on unchanged when every row is equal.
class AdaptersSourceType final : public TypedSource<AdapterSource, Rows> {
 public:
  AdaptersSourceType() : TypedSource(kAdaptersSource) {}

  std::string_view capture_part() const override { return "adapters.json"; }

  OpenedRaw OpenLive(LiveContext& live) const override {
    if (!live.options().adapters) {
      return OpenedRaw::Unavailable("disabled by --source.adapters=none");
    }
    return OpenedRaw::Of(MakeKernelAdapterSource());
  }

  OpenedRaw OpenReplay(const std::string& dir) const override {
    std::error_code ec;
    if (!std::filesystem::exists(PathFromUtf8(dir + "/adapters.json"), ec)) {
      return OpenedRaw::Unavailable("the capture has no adapters.json");
    }
    return OpenedRaw::Of(MakeAdaptersFileSource(dir + "/adapters.json"));
  }

 protected:
  Reader ReaderFor(std::shared_ptr<AdapterSource> src) const override {
    auto last = std::make_shared<std::shared_ptr<const Rows>>();
    auto read = [src, last]() -> Result<std::shared_ptr<const Rows>> {
      if (*last && src->Unchanged()) return *last;  // no copy of the rows to compare
      auto rows = src->List();
      if (!rows.ok()) return MakeError(rows.error());
      DisambiguateAliases(*rows);
      if (*last && **last == *rows) return *last;
      *last = std::make_shared<const Rows>(std::move(*rows));
      return *last;
    };
    auto unchanged = [src, last]() -> std::shared_ptr<const Rows> {
      return *last && src->UnchangedIfQuick() ? *last : nullptr;
    };
    return {std::move(read), std::move(unchanged)};
  }

  // The same interfaces, in the same order, with the same names, MACs,
  // status and speeds.
  bool OnlyCountersDifferIn(const Rows& before, const Rows& now) const override {
    if (before.size() != now.size()) return false;
    for (size_t i = 0; i < now.size(); ++i) {
      if (!SameButCounters(before[i], now[i])) return false;
    }
    return true;
  }

  void CaptureFrom(AdapterSource& src, CaptureWriter& out) const override {
    if (auto rows = src.List(); !rows.ok()) {
      out.Error("adapters.json: " + rows.error());
    } else {
      out.Write("adapters.json", AdaptersToJson(*rows));
    }
  }
};

}  // namespace

const SourceType& AdaptersRegistration() {
  static const AdaptersSourceType type;
  return type;
}

std::unique_ptr<AdapterSource> MakeAdaptersFileSource(std::string path) {
  return std::make_unique<AdaptersFile>(std::move(path));
}

}  // namespace winnet
