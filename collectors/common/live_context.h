// What the live sources of one run share: the command-line options that
// concern sources, and the platform's way of finding the CNI's state files
// (docs/state-files.md, "Where the files live"). Exactly one of
// live_context_linux.cc / live_context_windows.cc is compiled.
#pragma once

#include <memory>
#include <string>

#include "collectors/common/file_io.h"

namespace winnet {

struct LiveOptions {
  std::string ipam_state_path;          // empty: platform default
  std::string network_state_path;       // empty: platform default
  std::string cni_conflist_path;        // --cni.conflist; empty: platform default
  std::string cns_state_path;           // --cns.state; empty: platform default
  std::string cns_endpoint_state_path;  // --cns.endpoint-state; empty: platform default
  bool adapters = true;                 // --source.adapters=auto|none
  // --cni.lock=shared (Windows): read each state file under a shared,
  // non-blocking LockFileEx on the CNI's lock file beside it.
  bool lock_state_files = false;
  // A default path on each platform.
  struct PlatformPaths {
    std::string windows;
    std::string linux_path;
  };
  // This platform's path of the two.
  const std::string& PathOnThisPlatform(const PlatformPaths& paths);

  // containerd's task state directory; empty: platform default; "none": off.
  std::string containerd_state_dir;
};

// "linux" or "windows".
const char* PlatformName();
// Where the CNI keeps `file_name` (azure-vnet.json, azure-vnet-ipam.json) by
// default: C:\k on Windows (System32 is also searched), /var/run on Linux.
std::string DefaultCniStatePath(const std::string& file_name);

// A default path on each platform.
struct PlatformPaths {
  std::string windows;
  std::string linux_path;
};
// This platform's path of the two.
const std::string& PathOnThisPlatform(const PlatformPaths& paths);

// containerd's task state directory for Kubernetes (k8s.io) containers.
std::string DefaultContainerdStateDir();

class LiveContext {
 public:
  explicit LiveContext(LiveOptions options);
  ~LiveContext();
  LiveContext(const LiveContext&) = delete;
  LiveContext& operator=(const LiveContext&) = delete;

  const LiveOptions& options() const { return options_; }

  // The CNI state file `file_name`: `explicit_path` when not empty, else the
  // file in the platform's state directory. Read under the CNI's lock when
  // --cni.lock=shared (Windows).
  std::unique_ptr<FileSource> CniStateFile(const std::string& file_name,
                                           const std::string& explicit_path);

 private:
  struct Platform;  // per platform: the state directory shared by the files
  LiveOptions options_;
  std::unique_ptr<Platform> platform_;
};

}  // namespace winnet
