// The live sources of the platform this binary was built for. Exactly one of
// platform_linux.cc / platform_windows.cc is compiled.
#pragma once

#include <string>

#include "collectors/sources.h"

namespace winnet {

struct LiveOptions {
  std::string ipam_state_path;     // empty: platform default
  std::string network_state_path;  // empty: platform default
  bool adapters = true;            // --source.adapters=auto|none
  // --cni.lock=shared (Windows): read each state file under a shared,
  // non-blocking LockFileEx on the CNI's lock file beside it.
  bool lock_state_files = false;
  // containerd's task state directory; empty: platform default; "none": off.
  std::string containerd_state_dir;
};

// "linux" or "windows".
const char* PlatformName();
std::string DefaultIpamStatePath();
std::string DefaultNetworkStatePath();
std::string DefaultContainerdStateDir();

// The containerd source of live mode (shared by both platforms): off with
// "none"; unavailable when the directory does not exist at start.
void AddLiveContainerdSource(const LiveOptions& options, SourceSet& s);

SourceSet MakeLiveSources(const LiveOptions& options);

}  // namespace winnet
