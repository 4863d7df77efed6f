// The registration of a source that is one state file (azure-vnet-ipam.json,
// azure-vnet.json, …): read whole, parsed only when its bytes changed,
// captured byte for byte under its own file name. A new file-backed source
// is one FileBackedSource (docs/architecture.md, "Adding a source").
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "collectors/common/capture_writer.h"
#include "collectors/common/file_io.h"
#include "collectors/common/fingerprint.h"
#include "collectors/common/live_context.h"
#include "collectors/common/source.h"

namespace winnet {

template <typename Data>
using FileParser = Result<Data> (*)(std::string_view text, std::string_view where);

// Reads `src` and parses it with `parse` unless its bytes are those of the
// last call, in which case the last result (the same pointer) is returned;
// not even read while the file's settled stamp is that of the last read.
// An absent file gives an empty Data. Used by one thread at a time.
template <typename Data>
class CachedFileReader {
 public:
  CachedFileReader(std::shared_ptr<FileSource> src, FileParser<Data> parse)
      : src_(std::move(src)), parse_(parse) {}

  Result<std::shared_ptr<const Data>> operator()() {
    // Settled and stamped as at the last good read: the same bytes, not read.
    const std::optional<FileStamp> stamp = src_->Stamp();
    if (last_ && stamp && stamp == last_stamp_) return last_;
    auto text = src_->Read();
    if (!text.ok()) return MakeError(text.error());
    if (text->has_value()) {
      // ReadWholeFile already refuses larger files; this holds for any source.
      if (auto e = TooBig(src_->Where() + ": file is", (*text)->size(), kMaxStateFileBytes);
          !e.empty()) {
        return MakeError(e);
      }
    }
    // Absent: fingerprint of size max, so it differs from any content.
    Fingerprint fp = text->has_value() ? FingerprintOf(**text) : Fingerprint{SIZE_MAX, 0};
    if (last_ && last_text_ == fp) {
      last_stamp_ = stamp;
      return last_;
    }
    if (!text->has_value()) {
      last_ = std::make_shared<const Data>();
    } else {
      auto parsed = parse_(**text, src_->Where());
      if (!parsed.ok()) return MakeError(parsed.error());
      last_ = std::make_shared<const Data>(std::move(*parsed));
    }
    last_text_ = fp;
    last_stamp_ = stamp;
    return last_;
  }

  // The last result when the file's quick stamp (FileSource::StampIfQuick)
  // is still the one taken before it was read; null otherwise. Called from
  // the poller's thread while operator() does not run.
  std::shared_ptr<const Data> LastIfUnchanged() const {
    if (!last_ || !last_stamp_) return nullptr;
    return src_->StampIfQuick() == last_stamp_ ? last_ : nullptr;
  }

 private:
  std::shared_ptr<FileSource> src_;
  FileParser<Data> parse_;
  std::optional<Fingerprint> last_text_;
  std::optional<FileStamp> last_stamp_;  // taken before the read that gave last_
  std::shared_ptr<const Data> last_;
};

template <typename Data>
class FileBackedSource final : public TypedSource<FileSource, Data> {
 public:
  struct Spec {
    SourceKey<FileSource, Data> key;
    std::string file;                     // its name in a capture and by default
    std::string LiveOptions::*path_flag;  // the flag that names it live ("" = default)
    FileParser<Data> parse;
    // Where the file is by default when it is not one of the CNI's state
    // files (those are found in the CNI's state directory, LiveContext).
    PlatformPaths default_path = {};
  };

  explicit FileBackedSource(Spec spec) : TypedSource<FileSource, Data>(spec.key), spec_(spec) {}

  std::string_view capture_part() const override { return spec_.file; }

  OpenedRaw OpenLive(LiveContext& live) const override {
    const std::string& flag = live.options().*spec_.path_flag;
    const std::string& default_path = PathOnThisPlatform(spec_.default_path);
    if (default_path.empty()) return OpenedRaw::Of(live.CniStateFile(spec_.file, flag));
    return OpenedRaw::Of(MakePathFileSource(flag.empty() ? default_path : flag));
  }
  OpenedRaw OpenReplay(const std::string& dir) const override {
    return OpenedRaw::Of(MakePathFileSource(dir + "/" + spec_.file));
  }

 protected:
  typename TypedSource<FileSource, Data>::Reader ReaderFor(
      std::shared_ptr<FileSource> raw) const override {
    auto reader = std::make_shared<CachedFileReader<Data>>(std::move(raw), spec_.parse);
    return {[reader] { return (*reader)(); }, [reader] { return reader->LastIfUnchanged(); }};
  }

  void CaptureFrom(FileSource& src, CaptureWriter& out) const override {
    auto r = src.Read();
    if (!r.ok()) {
      out.Error(spec_.file + ": " + r.error());
    } else if (!r->has_value()) {
      out.Skipped(spec_.file + ": not present (" + src.Where() + ")");
    } else {
      out.Write(spec_.file, **r);
    }
  }

 private:
  Spec spec_;
};

}  // namespace winnet
