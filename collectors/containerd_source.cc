// The containerd source: a directory with one subdirectory per container, each
// holding that container's OCI spec (config.json). The same code reads the
// live state directory and a capture's containerd/ (std::filesystem and the
// platform's ReadWholeFile, which opens with full sharing on Windows).
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <system_error>

#include "collectors/file_io.h"
#include "collectors/platform.h"
#include "collectors/sources.h"

namespace winnet {

namespace {

namespace fs = std::filesystem;

// A node runs a few hundred containers at most; a directory with more entries
// than this is not containerd's, and listing it must stay bounded.
constexpr size_t kMaxContainers = 20000;
// An OCI spec is a few kilobytes (tens with many mounts or env vars).
constexpr size_t kMaxSpecBytes = 4u << 20;

// Paths are UTF-8 in the exporter; Windows needs them converted.
fs::path PathOf(const std::string& utf8) {
  return fs::path(std::u8string(utf8.begin(), utf8.end()));
}

std::string Utf8Of(const fs::path& p) {
  std::u8string u = p.u8string();
  return std::string(u.begin(), u.end());
}

class DirContainerdSource : public ContainerdSource {
 public:
  explicit DirContainerdSource(std::string dir) : dir_(std::move(dir)) {}

  Result<std::vector<Entry>> List() override {
    std::error_code ec;
    fs::directory_iterator it(PathOf(dir_), ec), end;
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
      entry.id = Utf8Of(it->path().filename());
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

void AddLiveContainerdSource(const LiveOptions& options, SourceSet& s) {
  if (options.containerd_state_dir == "none") {
    s.containerd_unavailable = "disabled by --containerd.state-dir=none";
    return;
  }
  const std::string dir = options.containerd_state_dir.empty() ? DefaultContainerdStateDir()
                                                               : options.containerd_state_dir;
  std::error_code ec;
  if (!fs::is_directory(PathOf(dir), ec)) {
    s.containerd_unavailable =
        dir + " is not a directory (no containerd on this node, or set --containerd.state-dir)";
    return;
  }
  s.containerd = MakeContainerdDirSource(dir);
}

}  // namespace winnet
