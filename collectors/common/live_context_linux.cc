#include "collectors/common/live_context.h"

namespace winnet {

struct LiveContext::Platform {};

const char* PlatformName() { return "linux"; }

std::string DefaultCniStatePath(const std::string& file_name) { return "/var/run/" + file_name; }

const std::string& PathOnThisPlatform(const PlatformPaths& paths) { return paths.linux_path; }

std::string DefaultContainerdStateDir() {
  return "/run/containerd/io.containerd.runtime.v2.task/k8s.io";
}

LiveContext::LiveContext(LiveOptions options) : options_(std::move(options)) {}
LiveContext::~LiveContext() = default;

std::unique_ptr<FileSource> LiveContext::CniStateFile(const std::string& file_name,
                                                      const std::string& explicit_path) {
  return MakePathFileSource(explicit_path.empty() ? DefaultCniStatePath(file_name) : explicit_path);
}

}  // namespace winnet
