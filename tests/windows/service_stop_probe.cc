// Stops a Windows service the way `sc stop` does (ControlService) and watches
// it with QueryServiceStatus every millisecond until it is STOPPED, so that
// tests/windows/wine_test.sh can check that it stops through STOP_PENDING
// (`sc query` is one Wine process per look, too slow for a quick stop).
//   service_stop_probe NAME [TIMEOUT_MS]
// Prints the state ControlService returned, then each state seen, in order:
//   control returned: STOP_PENDING (checkpoint 1, wait hint 15000 ms)
//   states seen: STOP_PENDING STOPPED
//   exit code: 0
// Exit 0 once STOPPED is seen; 1 when the control fails or the time is up.
// clang-format off
#include <windows.h>
// clang-format on

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

const char* StateName(DWORD state) {
  switch (state) {
    case SERVICE_STOPPED: return "STOPPED";
    case SERVICE_START_PENDING: return "START_PENDING";
    case SERVICE_STOP_PENDING: return "STOP_PENDING";
    case SERVICE_RUNNING: return "RUNNING";
    case SERVICE_CONTINUE_PENDING: return "CONTINUE_PENDING";
    case SERVICE_PAUSE_PENDING: return "PAUSE_PENDING";
    case SERVICE_PAUSED: return "PAUSED";
    default: return "UNKNOWN";
  }
}

int Failed(const char* what) {
  std::printf("%s failed: error %lu\n", what, GetLastError());
  return 1;
}

// Polls until STOPPED or `timeout_ms`; prints every change of state.
int WatchUntilStopped(SC_HANDLE service, DWORD timeout_ms) {
  const ULONGLONG until = GetTickCount64() + timeout_ms;
  std::string seen;
  DWORD last = 0;
  SERVICE_STATUS status{};
  for (;;) {
    if (!QueryServiceStatus(service, &status)) return Failed("QueryServiceStatus");
    if (status.dwCurrentState != last) {
      last = status.dwCurrentState;
      seen += std::string(seen.empty() ? "" : " ") + StateName(last);
    }
    if (last == SERVICE_STOPPED || GetTickCount64() > until) break;
    Sleep(1);
  }
  std::printf("states seen: %s\n", seen.c_str());
  if (last != SERVICE_STOPPED) {
    std::printf("not STOPPED after %lu ms\n", timeout_ms);
    return 1;
  }
  std::printf("exit code: %lu\n", status.dwWin32ExitCode);
  return 0;
}

int StopAndWatch(SC_HANDLE service, DWORD timeout_ms) {
  SERVICE_STATUS status{};
  if (!ControlService(service, SERVICE_CONTROL_STOP, &status)) return Failed("ControlService");
  std::printf("control returned: %s (checkpoint %lu, wait hint %lu ms)\n",
              StateName(status.dwCurrentState), status.dwCheckPoint, status.dwWaitHint);
  return WatchUntilStopped(service, timeout_ms);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::printf("usage: service_stop_probe NAME [TIMEOUT_MS]\n");
    return 2;
  }
  const DWORD timeout_ms = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 20000;
  SC_HANDLE manager = OpenSCManagerA(nullptr, nullptr, SC_MANAGER_CONNECT);
  if (manager == nullptr) return Failed("OpenSCManager");
  SC_HANDLE service = OpenServiceA(manager, argv[1], SERVICE_STOP | SERVICE_QUERY_STATUS);
  int rc = service != nullptr ? StopAndWatch(service, timeout_ms) : Failed("OpenService");
  if (service != nullptr) CloseServiceHandle(service);
  CloseServiceHandle(manager);
  std::fflush(stdout);
  return rc;
}
