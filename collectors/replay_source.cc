#include "collectors/replay_source.h"

#include <filesystem>
#include <system_error>
#include <utility>

#include "collectors/file_io.h"

namespace winnet {

namespace {

namespace fs = std::filesystem;

class ReplayHns : public HnsSource {
 public:
  explicit ReplayHns(std::string root) : root_(std::move(root)) {}

  Result<std::optional<std::string>> Get(std::string_view path) override {
    std::string file = FileFor(path);
    if (file.empty()) {
      return MakeError("replay: no capture file for HNS path \"" + std::string(path) + "\"");
    }
    return ReadWholeFile(root_ + "/" + file);
  }

  std::string Where() const override { return root_ + "/hns"; }

 private:
  // The capture file of an HNS path (design.md): HNS v1 answers in hns/, HCN
  // v2 ones in hcn/. "" for any other path, and for an id that is not one
  // plain path component.
  static std::string FileFor(std::string_view path) {
    if (path == "/endpoints/" || path == "/endpoints") return "hns/endpoints.json";
    if (path == "/networks/" || path == "/networks") return "hns/networks.json";
    if (path == "/policylists/" || path == "/policylists") return "hns/policylists.json";
    static constexpr std::pair<std::string_view, std::string_view> kPerEndpoint[] = {
        {"/endpointstats/", "hns/endpointstats/"}, {"hcn:/endpoints/", "hcn/endpoints/"}};
    for (const auto& [prefix, dir] : kPerEndpoint) {
      if (!path.starts_with(prefix)) continue;
      std::string_view id = path.substr(prefix.size());
      if (!IsSafePathComponent(id)) return {};
      return std::string(dir) + std::string(id) + ".json";
    }
    return {};
  }

  std::string root_;
};

class ReplayAdapters : public AdapterSource {
 public:
  explicit ReplayAdapters(std::string path) : path_(std::move(path)) {}

  Result<std::vector<AdapterRow>> List() override {
    auto text = ReadWholeFile(path_);
    if (!text.ok()) return MakeError(text.error());
    if (!text->has_value()) return MakeError(path_ + ": missing from the capture");
    return ParseAdaptersJson(**text, path_);
  }

  std::string Where() const override { return path_; }

 private:
  std::string path_;
};

}  // namespace

Result<SourceSet> MakeReplaySources(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return MakeError("--source.replay: \"" + dir + "\" is not a directory" +
                     (ec ? " (" + ec.message() + ")" : ""));
  }
  SourceSet s;
  s.ipam = MakePathFileSource(dir + "/azure-vnet-ipam.json");
  s.cni = MakePathFileSource(dir + "/azure-vnet.json");
  if (fs::is_directory(dir + "/hns", ec)) {
    s.hns = std::make_unique<ReplayHns>(dir);
  } else {
    s.hns_unavailable = "the capture has no hns/ directory";
  }
  if (fs::exists(dir + "/adapters.json", ec)) {
    s.adapters = std::make_unique<ReplayAdapters>(dir + "/adapters.json");
  } else {
    s.adapters_unavailable = "the capture has no adapters.json";
  }
  if (fs::is_directory(dir + "/containerd", ec)) {
    s.containerd = MakeContainerdDirSource(dir + "/containerd");
  } else {
    s.containerd_unavailable = "the capture has no containerd/ directory";
  }
  return s;
}

}  // namespace winnet
