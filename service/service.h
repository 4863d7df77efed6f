// How the platform runs the exporter as a long-lived process. Linux: in the
// foreground (systemd or a DaemonSet supervise it; service_linux.cc). Windows:
// as a service when the Service Control Manager started it, else in the
// console, e.g. in a HostProcess pod (service_windows.cc).
#pragma once

#include <functional>

#include "service/config.h"

namespace winnet {

// Runs `serve` (which serves until WaitForStopRequest() returns, shuts down
// and returns the exit code) the platform's way; returns the exit code.
int RunServer(const Config& config, const std::function<int()>& serve);

// Called by `serve` once it accepts connections (a Windows service reports
// SERVICE_RUNNING here).
void NotifyServing();

// `winnet_exporter service install|uninstall`: registers or removes the
// Windows service. Returns the exit code; an error on other platforms.
int ServiceCommand(const Config& config);

}  // namespace winnet
