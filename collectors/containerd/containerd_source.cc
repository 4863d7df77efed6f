// The containerd source: a directory with one subdirectory per container, each
// holding that container's OCI spec (config.json). The same code reads the
// live state directory and a capture's containerd/ (std::filesystem and the
// platform's ReadWholeFile, which opens with full sharing on Windows).
#include "collectors/containerd/containerd_source.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <system_error>

#include "collectors/common/capture_writer.h"
#include "collectors/common/file_io.h"
#include "collectors/common/live_context.h"

namespace winnet {

namespace {

namespace fs = std::filesystem;

// A node runs a few hundred containers at most; a directory with more entries
// than this is not containerd's, and listing it must stay bounded.
constexpr size_t kMaxContainers = 20000;
// An OCI spec is a few kilobytes (tens with many mounts or env vars).
constexpr size_t kMaxSpecBytes = 4u << 20;

class DirContainerdSource : public ContainerdSource {
 public:
  explicit DirContainerdSource(std::string dir) : dir_(std::move(dir)) {}

  Result<std::vector<Entry>> List() override {
    std::error_code ec;
    fs::directory_iterator it(PathFromUtf8(dir_), ec), end;
    if (ec) return MakeError(dir_ + ": cannot list: " + ec.message());
    std::vector<Entry> out;
    size_t seen = 0;
    for (; it != end; it.increment(ec)) {
      if (ec) return MakeError(dir_ + ": cannot list: " + ec.message());
      if (++seen > kMaxContainers) {
        return MakeError(dir_ + ": more than " + std::to_string(kMaxContainers) +
                         " entries; not a containerd state directory?");
      }
      std::error_code e2;
      if (!it->is_directory(e2)) continue;
      fs::path spec = it->path() / "config.json";
      auto size = fs::file_size(spec, e2);
      if (e2) continue;  // no spec (yet): not a container, or being created
      auto mtime = fs::last_write_time(spec, e2);
      if (e2) continue;
      Entry entry;
      entry.id = Utf8FromPath(it->path().filename());
      entry.size = size;
      entry.mtime_ns =
          std::chrono::duration_cast<std::chrono::nanoseconds>(mtime.time_since_epoch()).count();
      out.push_back(std::move(entry));
    }
    std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) { return a.id < b.id; });
    return out;
  }

  Result<std::optional<std::string>> Read(const std::string& id) override {
    if (!IsSafePathComponent(id)) {
      return MakeError(dir_ + ": bad container id \"" + id + "\"");
    }
    return ReadWholeFile(dir_ + "/" + id + "/config.json", kMaxSpecBytes);
  }

  std::string Where() const override { return dir_; }

 private:
  std::string dir_;
};

}  // namespace

std::unique_ptr<ContainerdSource> MakeContainerdDirSource(std::string dir) {
  return std::make_unique<DirContainerdSource>(std::move(dir));
}

namespace {

class ContainerdRegistrationType final : public TypedSource<ContainerdSource, ContainerdState> {
 public:
  ContainerdRegistrationType() : TypedSource(kContainerdSource) {}

  std::string_view capture_part() const override { return "containerd/"; }

  // Off with "none"; unavailable when the directory does not exist at start.
  OpenedRaw OpenLive(LiveContext& live) const override {
    const std::string& flag = live.options().containerd_state_dir;
    if (flag == "none") return OpenedRaw::Unavailable("disabled by --containerd.state-dir=none");
    const std::string dir = flag.empty() ? DefaultContainerdStateDir() : flag;
    std::error_code ec;
    if (!fs::is_directory(PathFromUtf8(dir), ec)) {
      return OpenedRaw::Unavailable(
          dir + " is not a directory (no containerd on this node, or set --containerd.state-dir)");
    }
    return OpenedRaw::Of(MakeContainerdDirSource(dir));
  }

  OpenedRaw OpenReplay(const std::string& dir) const override {
    std::error_code ec;
    if (!fs::is_directory(PathFromUtf8(dir + "/containerd"), ec)) {
      return OpenedRaw::Unavailable("the capture has no containerd/ directory");
    }
    return OpenedRaw::Of(MakeContainerdDirSource(dir + "/containerd"));
  }

 protected:
  Reader ReaderFor(std::shared_ptr<ContainerdSource> raw) const override {
    return [reader = std::make_shared<ContainerdReader>(std::move(raw))] { return (*reader)(); };
  }

  std::vector<std::string> ItemErrorsOf(const ContainerdState& data) const override {
    return data.item_errors;
  }

  void CaptureFrom(ContainerdSource& src, CaptureWriter& out) const override {
    auto entries = src.List();
    if (!entries.ok()) {
      out.Error("containerd/: " + entries.error());
      return;
    }
    for (const auto& e : *entries) {
      const std::string rel = "containerd/" + e.id + "/config.json";
      if (!IsSafePathComponent(e.id)) {
        out.Error("containerd/: container id \"" + e.id + "\" is not a file name");
        continue;
      }
      auto text = src.Read(e.id);
      if (!text.ok()) {
        out.Error(rel + ": " + text.error());
      } else if (text->has_value()) {
        out.Write(rel, **text);
      }  // gone since the listing: the container was removed
    }
  }
};

}  // namespace

const SourceType& ContainerdRegistration() {
  static const ContainerdRegistrationType type;
  return type;
}

bool ContainerdReader::ReadSpec(const ContainerdSource::Entry& e, Known& k) {
  k.size = e.size;
  k.mtime_ns = e.mtime_ns;
  const std::string where = src_->Where() + "/" + e.id + "/config.json";
  auto text = src_->Read(e.id);
  if (!text.ok()) {
    k.error = text.error();
  } else if (!text->has_value()) {
    return false;  // removed since the listing
  } else if (auto spec = ParseContainerdSpec(**text, where); !spec.ok()) {
    k.error = spec.error();
  } else {
    k.spec = std::move(*spec);
    k.spec->container_id = e.id;
  }
  return true;
}

std::shared_ptr<const ContainerdState> ContainerdReader::StateOf(
    const std::vector<ContainerdSource::Entry>& entries) {
  auto out = std::make_shared<ContainerdState>();
  for (const auto& e : entries) {
    auto it = known_.find(e.id);
    if (it == known_.end()) continue;
    if (it->second.spec) {
      out->specs.push_back(*it->second.spec);
    } else {
      out->item_errors.push_back(it->second.error);
    }
  }
  return out;
}

Result<std::shared_ptr<const ContainerdState>> ContainerdReader::operator()() {
  auto entries = src_->List();
  if (!entries.ok()) return MakeError(entries.error());
  bool changed = !last_ || entries->size() != known_.size();
  std::unordered_map<std::string, Known> now;
  now.reserve(entries->size());
  for (const auto& e : *entries) {
    auto it = known_.find(e.id);
    // A spec that failed is read again each cycle: it may have been half written.
    if (it != known_.end() && it->second.size == e.size && it->second.mtime_ns == e.mtime_ns &&
        it->second.spec) {
      now.emplace(e.id, std::move(it->second));
      continue;
    }
    changed = true;
    Known k;
    if (ReadSpec(e, k)) now.emplace(e.id, std::move(k));
  }
  known_ = std::move(now);
  if (!changed && last_) return last_;
  last_ = StateOf(*entries);
  return last_;
}

}  // namespace winnet
