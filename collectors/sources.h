// The interfaces between the OS-facing sources and the pure core. Sources only
// fetch (text or plain structs); parsers in this folder only parse. Live
// Windows, live Linux and replayed captures implement the same interfaces.
//
// Threading: each source object is used by one poller worker thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/adapters.h"
#include "collectors/result.h"

namespace winnet {

// One state file (azure-vnet-ipam.json or azure-vnet.json).
class FileSource {
 public:
  virtual ~FileSource() = default;
  // The file's bytes; nullopt when it does not exist ("no state").
  virtual Result<std::optional<std::string>> Read() = 0;
  // Where the data comes from, for logs and errors.
  virtual std::string Where() const = 0;
};

// HNS. A path starting with "/" is an HNS v1 HNSCall GET ("/endpoints/",
// "/endpointstats/<ID>"): the raw response, envelope included. "hcn:/endpoints/<ID>"
// is HCN v2's HcnQueryEndpointProperties of that endpoint (kHcnQuery). nullopt
// when the object is not there at all: a replay capture without the file, or
// HCN v2 not available on this node (computenetwork.dll or an export missing).
class HnsSource {
 public:
  virtual ~HnsSource() = default;
  virtual Result<std::optional<std::string>> Get(std::string_view path) = 0;
  virtual std::string Where() const = 0;
};

// Interface counters of every adapter of the node.
class AdapterSource {
 public:
  virtual ~AdapterSource() = default;
  virtual Result<std::vector<AdapterRow>> List() = 0;
  virtual std::string Where() const = 0;
};

// containerd's task state directory: one entry per container, each with its
// OCI spec (config.json).
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

// Reads `dir`/<id>/config.json; `dir` is containerd's
// state/io.containerd.runtime.v2.task/k8s.io or a capture's containerd/.
std::unique_ptr<ContainerdSource> MakeContainerdDirSource(std::string dir);

// Everything one node offers. A null source does not exist on this platform or
// in this mode; its *_unavailable text says why (logged once, shown in /healthz).
struct SourceSet {
  std::unique_ptr<FileSource> ipam;
  std::unique_ptr<FileSource> cni;
  std::unique_ptr<HnsSource> hns;
  std::unique_ptr<AdapterSource> adapters;
  std::unique_ptr<ContainerdSource> containerd;
  std::string ipam_unavailable;
  std::string cni_unavailable;
  std::string hns_unavailable;
  std::string adapters_unavailable;
  std::string containerd_unavailable;
};

}  // namespace winnet
