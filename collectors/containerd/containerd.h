// containerd's per-container OCI spec (config.json in the task state
// directory, one directory per container id): the CRI annotations that name
// the pod, and on Windows the HCN namespace the sandbox's network lives in.
// Used to find the pod of an HNS endpoint when azure-vnet.json has no pod name
// (Azure CNI before v1.5.7 on Windows; docs/hns.md, "Mapping endpoints to pods").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "collectors/common/result.h"

namespace winnet {

struct ContainerdSpec {
  std::string container_id;       // the state directory's name (set by the caller)
  std::string container_type;     // io.kubernetes.cri.container-type: "sandbox" or "container"
  std::string sandbox_id;         // io.kubernetes.cri.sandbox-id, lower case
  std::string sandbox_name;       // io.kubernetes.cri.sandbox-name: the pod
  std::string sandbox_namespace;  // io.kubernetes.cri.sandbox-namespace
  std::string sandbox_uid;        // io.kubernetes.cri.sandbox-uid
  std::string network_namespace;  // windows.network.networkNamespace, normalised GUID, or ""

  bool HasPod() const { return !sandbox_name.empty() && !sandbox_namespace.empty(); }
  bool operator==(const ContainerdSpec&) const = default;
};

// What the containerd source gave in one poll cycle.
struct ContainerdState {
  std::vector<ContainerdSpec> specs;     // sorted by container_id
  std::vector<std::string> item_errors;  // specs that could not be read or parsed
};

// Parses one config.json. Requires a JSON object; `annotations`, when present,
// must map strings to strings and `windows.network.networkNamespace` must be a
// GUID. A spec without CRI annotations (a container not made by Kubernetes)
// parses to empty pod fields.
Result<ContainerdSpec> ParseContainerdSpec(std::string_view text, std::string_view file);

}  // namespace winnet
