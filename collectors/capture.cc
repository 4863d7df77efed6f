#include "collectors/capture.h"

#include <filesystem>
#include <fstream>
#include <optional>
#include <system_error>

#include "collectors/file_io.h"
#include "collectors/hns_v1.h"

namespace winnet {

namespace {

namespace fs = std::filesystem;

// Paths are UTF-8 in the exporter; Windows needs them converted.
fs::path PathOf(const std::string& utf8) {
  return fs::path(std::u8string(utf8.begin(), utf8.end()));
}

class Writer {
 public:
  Writer(std::string dir, CaptureReport* report) : dir_(std::move(dir)), report_(report) {}

  void Write(const std::string& rel, const std::string& bytes) {
    fs::path p = PathOf(dir_) / PathOf(rel);
    std::error_code ec;
    fs::create_directories(p.parent_path(), ec);
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (ec || !out) {
      report_->errors.push_back(rel + ": cannot write into " + dir_);
    } else {
      report_->written.push_back(rel);
    }
  }

 private:
  std::string dir_;
  CaptureReport* report_;
};

void CaptureFile(FileSource* src, const std::string& unavailable, const std::string& rel, Writer& w,
                 CaptureReport& report) {
  if (src == nullptr) {
    report.skipped.push_back(rel + ": " + unavailable);
    return;
  }
  auto r = src->Read();
  if (!r.ok()) {
    report.errors.push_back(rel + ": " + r.error());
  } else if (!r->has_value()) {
    report.skipped.push_back(rel + ": not present (" + src->Where() + ")");
  } else {
    w.Write(rel, **r);
  }
}

// One HNS GET into hns/<file>; the text when it was written.
std::optional<std::string> CaptureHns(HnsSource& hns, const std::string& path,
                                      const std::string& rel, bool required, Writer& w,
                                      CaptureReport& report) {
  auto r = hns.Get(path);
  if (!r.ok()) {
    report.errors.push_back(rel + ": HNS GET " + path + ": " + r.error());
    return std::nullopt;
  }
  if (!r->has_value()) {
    (required ? report.errors : report.skipped)
        .push_back(rel + ": HNS GET " + path + ": no response");
    return std::nullopt;
  }
  w.Write(rel, **r);
  return std::move(**r);
}

}  // namespace

Result<CaptureReport> WriteCapture(SourceSet& sources, const std::string& dir) {
  std::error_code ec;
  const fs::path root = PathOf(dir);
  if (fs::exists(root, ec)) {
    if (!fs::is_directory(root, ec)) {
      return MakeError("--out: \"" + dir + "\" exists and is not a directory");
    }
    if (!fs::is_empty(root, ec)) {
      return MakeError("--out: \"" + dir + "\" is not empty; name a new directory");
    }
  }
  fs::create_directories(root, ec);
  if (ec) return MakeError("--out: cannot create \"" + dir + "\": " + ec.message());

  CaptureReport report;
  Writer w(dir, &report);
  CaptureFile(sources.ipam.get(), sources.ipam_unavailable, "azure-vnet-ipam.json", w, report);
  CaptureFile(sources.cni.get(), sources.cni_unavailable, "azure-vnet.json", w, report);

  if (!sources.hns) {
    report.skipped.push_back("hns/: " + sources.hns_unavailable);
  } else {
    HnsSource& hns = *sources.hns;
    bool hcn_missing = false;
    auto endpoints = CaptureHns(hns, "/endpoints/", "hns/endpoints.json", true, w, report);
    CaptureHns(hns, "/networks/", "hns/networks.json", true, w, report);
    CaptureHns(hns, "/policylists/", "hns/policylists.json", false, w, report);
    if (endpoints) {
      auto parsed = ParseHnsEndpoints(*endpoints, "hns/endpoints.json");
      if (!parsed.ok()) {
        report.errors.push_back("hns/endpointstats/: not captured: " + parsed.error());
      } else {
        for (const auto& e : *parsed) {
          if (e.remote) continue;  // stats exist for local endpoints only
          if (!IsSafePathComponent(e.raw_id)) {
            report.errors.push_back("hns/endpointstats/: endpoint ID \"" + e.raw_id +
                                    "\" is not a file name");
            continue;
          }
          CaptureHns(hns, "/endpointstats/" + e.raw_id, "hns/endpointstats/" + e.raw_id + ".json",
                     true, w, report);
          // HCN v2 properties (the endpoint's namespace) where v2 exists;
          // nothing to say per endpoint when it does not.
          const std::string hcn_rel = "hcn/endpoints/" + e.raw_id + ".json";
          if (auto v2 = hns.Get("hcn:/endpoints/" + e.raw_id); !v2.ok()) {
            report.errors.push_back(hcn_rel + ": " + v2.error());
          } else if (v2->has_value()) {
            w.Write(hcn_rel, **v2);
          } else {
            hcn_missing = true;
          }
        }
      }
    }
    if (hcn_missing) report.skipped.push_back("hcn/endpoints/: HCN v2 gave no endpoint properties");
  }

  if (!sources.adapters) {
    report.skipped.push_back("adapters.json: " + sources.adapters_unavailable);
  } else if (auto rows = sources.adapters->List(); !rows.ok()) {
    report.errors.push_back("adapters.json: " + rows.error());
  } else {
    w.Write("adapters.json", AdaptersToJson(*rows));
  }
  if (!sources.containerd) {
    report.skipped.push_back("containerd/: " + sources.containerd_unavailable);
  } else if (auto entries = sources.containerd->List(); !entries.ok()) {
    report.errors.push_back("containerd/: " + entries.error());
  } else {
    for (const auto& e : *entries) {
      const std::string rel = "containerd/" + e.id + "/config.json";
      if (!IsSafePathComponent(e.id)) {
        report.errors.push_back("containerd/: container id \"" + e.id + "\" is not a file name");
        continue;
      }
      auto text = sources.containerd->Read(e.id);
      if (!text.ok()) {
        report.errors.push_back(rel + ": " + text.error());
      } else if (text->has_value()) {
        w.Write(rel, **text);
      }  // gone since the listing: the container was removed
    }
  }
  return report;
}

}  // namespace winnet
