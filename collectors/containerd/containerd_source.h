// The containerd source: the OCI spec of every container in containerd's
// task state directory, used to name the pod of an endpoint
// (docs/hns.md, "Mapping endpoints to pods").
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "collectors/common/source.h"
#include "collectors/containerd/containerd.h"

namespace winnet {

// A directory with one entry per container, each with its config.json.
class ContainerdSource {
 public:
  struct Entry {
    std::string id;        // the container id (directory name)
    uint64_t size = 0;     // of its config.json
    int64_t mtime_ns = 0;  // of its config.json; with size, tells a rewrite
  };
  virtual ~ContainerdSource() = default;
  virtual Result<std::vector<Entry>> List() = 0;
  // The config.json of one container; nullopt when it is gone.
  virtual Result<std::optional<std::string>> Read(const std::string& id) = 0;
  virtual std::string Where() const = 0;
};

inline constexpr SourceKey<ContainerdSource, ContainerdState> kContainerdSource{"containerd"};
const SourceType& ContainerdRegistration();

// Reads `dir`/<id>/config.json; `dir` is containerd's
// state/io.containerd.runtime.v2.task/k8s.io or a capture's containerd/.
std::unique_ptr<ContainerdSource> MakeContainerdDirSource(std::string dir);

// Lists the containers each cycle and reads and parses only the specs that are
// new or rewritten (size or mtime changed); a spec is written once when its
// container is created, so a steady node costs one directory listing. Used by
// one thread at a time.
class ContainerdReader {
 public:
  explicit ContainerdReader(std::shared_ptr<ContainerdSource> src) : src_(std::move(src)) {}
  Result<std::shared_ptr<const ContainerdState>> operator()();

 private:
  struct Known {
    uint64_t size = 0;
    int64_t mtime_ns = 0;
    std::optional<ContainerdSpec> spec;  // nullopt: read or parse failed
    std::string error;
  };
  // The spec of `e`, read and parsed; false when the container is gone.
  bool ReadSpec(const ContainerdSource::Entry& e, Known& k);
  std::shared_ptr<const ContainerdState> StateOf(
      const std::vector<ContainerdSource::Entry>& entries);

  std::shared_ptr<ContainerdSource> src_;
  std::unordered_map<std::string, Known> known_;
  std::shared_ptr<const ContainerdState> last_;
};

}  // namespace winnet
