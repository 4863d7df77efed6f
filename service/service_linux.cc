#include <cstdio>

#include "service/service.h"

namespace winnet {

int RunServer(const Config&, const std::function<int()>& serve) { return serve(); }

void NotifyServing() {}

int ServiceCommand(const Config&) {
  std::fputs(
      "winnet_exporter: error: the service command registers a Windows service; on Linux "
      "run the exporter under systemd or as a DaemonSet\n",
      stderr);
  return 2;
}

}  // namespace winnet
