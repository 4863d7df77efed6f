// The interfaces between the OS-facing sources and the pure core. Sources only
// fetch (text or plain structs); parsers in this folder only parse. Live
// Windows, live Linux and replayed captures implement the same interfaces.
//
// Threading: each source object is used by one poller worker thread at a time.
#pragma once

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

// HNS v1 (HNSCall). Returns the raw response text, envelope included; nullopt
// when the object is not there at all (a replay capture without the file).
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

// Everything one node offers. A null source does not exist on this platform or
// in this mode; its *_unavailable text says why (logged once, shown in /healthz).
struct SourceSet {
  std::unique_ptr<FileSource> ipam;
  std::unique_ptr<FileSource> cni;
  std::unique_ptr<HnsSource> hns;
  std::unique_ptr<AdapterSource> adapters;
  std::string ipam_unavailable;
  std::string cni_unavailable;
  std::string hns_unavailable;
  std::string adapters_unavailable;
};

}  // namespace winnet
