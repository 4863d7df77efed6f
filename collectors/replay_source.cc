#include "collectors/replay_source.h"

#include <filesystem>
#include <system_error>

#include "collectors/file_io.h"

namespace winnet {

namespace {

namespace fs = std::filesystem;

class ReplayHns : public HnsSource {
 public:
  explicit ReplayHns(const std::string& root) : dir_(root + "/hns"), hcn_dir_(root + "/hcn") {}

  Result<std::optional<std::string>> Get(std::string_view path) override {
    std::string file;
    if (path == "/endpoints/" || path == "/endpoints") {
      file = "endpoints.json";
    } else if (path == "/networks/" || path == "/networks") {
      file = "networks.json";
    } else if (path == "/policylists/" || path == "/policylists") {
      file = "policylists.json";
    } else if (path.rfind("/endpointstats/", 0) == 0) {
      std::string id(path.substr(15));
      if (id.empty() || id.find_first_of("/\\.") != std::string::npos) {
        return MakeError("replay: bad endpoint id in HNS path \"" + std::string(path) + "\"");
      }
      file = "endpointstats/" + id + ".json";
    } else if (path.rfind("hcn:/endpoints/", 0) == 0) {
      // HCN v2 lives beside hns/ in the capture (hcn/endpoints/<ID>.json).
      std::string id(path.substr(15));
      if (id.empty() || id.find_first_of("/\\.") != std::string::npos) {
        return MakeError("replay: bad endpoint id in HCN path \"" + std::string(path) + "\"");
      }
      return ReadWholeFile(hcn_dir_ + "/endpoints/" + id + ".json");
    } else {
      return MakeError("replay: no capture file for HNS path \"" + std::string(path) + "\"");
    }
    return ReadWholeFile(dir_ + "/" + file);
  }

  std::string Where() const override { return dir_; }

 private:
  std::string dir_;
  std::string hcn_dir_;
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
