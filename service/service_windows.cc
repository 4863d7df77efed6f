// The Windows service runner (docs/windows-service.md, "Main and shutdown"): when the Service
// Control Manager started the process, ServiceMain runs the exporter and the
// control handler only requests the stop; the shutdown runs on ServiceMain's
// thread while a ticker reports STOP_PENDING with rising checkpoints. Anywhere
// else (a console, a HostProcess pod, or with --console) it runs in the
// foreground and console control events request the stop.
// clang-format off
#include <windows.h>
#include <knownfolders.h>
#include <objbase.h>
#include <shlobj.h>
// clang-format on

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/win_eventlog_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <cstdio>
#include <iterator>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "collectors/common/win32_text_windows.h"
#include "service/service.h"
#include "service/stop_windows.h"

namespace winnet {

namespace {

constexpr const wchar_t* kServiceName = L"winnet_exporter";
constexpr const wchar_t* kDisplayName = L"winnet_exporter";
constexpr const wchar_t* kDescription =
    L"Prometheus exporter for the networking of Kubernetes Windows nodes on Azure CNI: HNS "
    L"endpoints, "
    L"vEthernet adapter counters and the Azure CNI IP pool.";
constexpr DWORD kStopWaitHintMs = 15000;
constexpr const wchar_t* kEventLogKey =
    L"SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\winnet_exporter";

// What ServiceMain needs from RunServer (the dispatcher passes no context).
struct ServiceRun {
  const std::function<int()>* serve = nullptr;
  SERVICE_STATUS_HANDLE handle = nullptr;
  std::mutex mu;
  SERVICE_STATUS status{};
  int exit_code = 0;
};
ServiceRun g_service;
std::atomic<bool> g_in_service{false};

void Report(DWORD state, DWORD wait_hint = 0, int exit_code = 0) {
  std::lock_guard<std::mutex> lock(g_service.mu);
  SERVICE_STATUS& s = g_service.status;
  s.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
  s.dwCurrentState = state;
  s.dwControlsAccepted = state == SERVICE_RUNNING ? SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN |
                                                        SERVICE_ACCEPT_PRESHUTDOWN
                                                  : 0;
  s.dwCheckPoint =
      (state == SERVICE_START_PENDING || state == SERVICE_STOP_PENDING) ? s.dwCheckPoint + 1 : 0;
  s.dwWaitHint = wait_hint;
  s.dwWin32ExitCode = exit_code == 0 ? NO_ERROR : ERROR_SERVICE_SPECIFIC_ERROR;
  s.dwServiceSpecificExitCode = static_cast<DWORD>(exit_code);
  SetServiceStatus(g_service.handle, &s);
}

// Runs on the dispatcher (main) thread: request, never do, the shutdown.
DWORD WINAPI ControlHandler(DWORD control, DWORD, LPVOID, LPVOID) {
  switch (control) {
    case SERVICE_CONTROL_STOP:
    case SERVICE_CONTROL_SHUTDOWN:
    case SERVICE_CONTROL_PRESHUTDOWN:
      Report(SERVICE_STOP_PENDING, kStopWaitHintMs);
      winstop::Request(control == SERVICE_CONTROL_STOP       ? "service stop"
                       : control == SERVICE_CONTROL_SHUTDOWN ? "system shutdown (service)"
                                                             : "system pre-shutdown (service)");
      return NO_ERROR;
    case SERVICE_CONTROL_INTERROGATE: return NO_ERROR;
    default: return ERROR_CALL_NOT_IMPLEMENTED;
  }
}

// The known folder, not %ProgramData%: a service's environment need not have it.
std::string ProgramDataDir() {
  PWSTR path = nullptr;
  std::string out = "C:\\ProgramData";
  if (SUCCEEDED(SHGetKnownFolderPath(FOLDERID_ProgramData, 0, nullptr, &path)) && path != nullptr) {
    out = win32::Narrow(path);
  }
  CoTaskMemFree(path);
  return out;
}

// A service has no console: logs also go to a rotating file under
// %ProgramData%\winnet_exporter (3 files of 10 MiB) and to the Application
// event log (source winnet_exporter, registered by `service install`).
void AddServiceLogFile() {
  try {
    auto events = std::make_shared<spdlog::sinks::win_eventlog_sink_mt>("winnet_exporter");
    events->set_pattern("%v");
    spdlog::default_logger()->sinks().push_back(events);
  } catch (const spdlog::spdlog_ex& e) {
    spdlog::warn("no Event Log: {}", e.what());
  }
  std::string dir = ProgramDataDir() + "\\winnet_exporter";
  CreateDirectoryW(win32::Widen(dir).c_str(), nullptr);
  std::string path = dir + "\\winnet_exporter.log";
  try {
    auto sink = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(path, 10u << 20, 3);
    sink->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l %v");
    auto logger = spdlog::default_logger();
    logger->sinks().push_back(sink);  // before any other thread logs
    logger->flush_on(spdlog::level::info);
    spdlog::info("running as the Windows service {}; log file {}", win32::Narrow(kServiceName),
                 path);
  } catch (const spdlog::spdlog_ex& e) {
    spdlog::warn("cannot open the log file {}: {}", path, e.what());
  }
}

void WINAPI ServiceMain(DWORD, LPWSTR*) {
  g_service.handle = RegisterServiceCtrlHandlerExW(kServiceName, ControlHandler, nullptr);
  if (g_service.handle == nullptr) {
    g_service.exit_code = 1;
    return;
  }
  g_in_service = true;
  Report(SERVICE_START_PENDING, 30000);
  AddServiceLogFile();

  // While the shutdown runs, tell the SCM we are making progress.
  win32::Handle done(CreateEventW(nullptr, TRUE, FALSE, nullptr));
  std::thread ticker([&done] {
    HANDLE h = done.get();
    while (!winstop::WaitRequested(250)) {
      if (WaitForSingleObject(h, 0) == WAIT_OBJECT_0) return;
    }
    while (WaitForSingleObject(h, 1000) == WAIT_TIMEOUT) {
      Report(SERVICE_STOP_PENDING, kStopWaitHintMs);
    }
  });
  int rc = (*g_service.serve)();
  winstop::MarkShutdownFinished();
  SetEvent(done.get());
  ticker.join();
  g_service.exit_code = rc;
  spdlog::default_logger()->flush();
  Report(SERVICE_STOPPED, 0, rc);
}

int RunInConsole(const std::function<int()>& serve) {
  winstop::InstallConsoleHandler();
  int rc = serve();
  winstop::MarkShutdownFinished();
  return rc;
}

// One argument quoted the way CommandLineToArgvW and the CRT split it.
std::wstring QuoteArg(const std::wstring& arg) {
  if (!arg.empty() && arg.find_first_of(L" \t\n\v\"") == std::wstring::npos) return arg;
  std::wstring out = L"\"";
  size_t backslashes = 0;
  for (wchar_t ch : arg) {
    if (ch == L'\\') {
      ++backslashes;
      continue;
    }
    if (ch == L'"') {
      out.append(backslashes * 2 + 1, L'\\');
    } else {
      out.append(backslashes, L'\\');
    }
    backslashes = 0;
    out += ch;
  }
  out.append(backslashes * 2, L'\\');
  return out + L"\"";
}

// The service starts in System32: flags naming files must be absolute.
std::wstring Absolute(const std::wstring& path) {
  wchar_t buf[MAX_PATH * 4];
  DWORD n = GetFullPathNameW(path.c_str(), static_cast<DWORD>(std::size(buf)), buf, nullptr);
  if (n == 0 || n >= std::size(buf)) return path;
  return std::wstring(buf, n);
}

std::wstring ServiceCommandLine(const std::vector<std::string>& args) {
  wchar_t exe[MAX_PATH * 4];
  DWORD n = GetModuleFileNameW(nullptr, exe, static_cast<DWORD>(std::size(exe)));
  std::wstring line = QuoteArg(std::wstring(exe, n)) + L" run";
  auto absolute = [](const std::string& p) { return win32::Narrow(Absolute(win32::Widen(p))); };
  for (const auto& a : WithAbsolutePaths(args, absolute)) line += L" " + QuoteArg(win32::Widen(a));
  return line;
}

using win32::ServiceHandle;

int Fail(const std::string& what, DWORD err) {
  std::string msg = "winnet_exporter: error: service " + what + ": " + win32::ErrorText(err);
  if (err == ERROR_ACCESS_DENIED) msg += "; run it from an elevated (Administrator) prompt";
  std::fprintf(stderr, "%s\n", msg.c_str());
  return 1;
}

// The Event Log source. EventCreate.exe's message table maps event IDs 1-1000
// to "%1", so the Event Viewer shows each line as logged (spdlog's sink writes
// ID 1000).
bool RegisterEventLogSource() {
  HKEY key = nullptr;
  LSTATUS rc = RegCreateKeyExW(HKEY_LOCAL_MACHINE, kEventLogKey, 0, nullptr, 0, KEY_SET_VALUE,
                               nullptr, &key, nullptr);
  if (rc == ERROR_SUCCESS) {
    const std::wstring file = L"%SystemRoot%\\System32\\EventCreate.exe";
    const DWORD types = EVENTLOG_ERROR_TYPE | EVENTLOG_WARNING_TYPE | EVENTLOG_INFORMATION_TYPE;
    rc = RegSetValueExW(key, L"EventMessageFile", 0, REG_EXPAND_SZ,
                        reinterpret_cast<const BYTE*>(file.c_str()),
                        static_cast<DWORD>((file.size() + 1) * sizeof(wchar_t)));
    if (rc == ERROR_SUCCESS) {
      rc = RegSetValueExW(key, L"TypesSupported", 0, REG_DWORD,
                          reinterpret_cast<const BYTE*>(&types), sizeof types);
    }
    RegCloseKey(key);
  }
  if (rc != ERROR_SUCCESS) {
    std::fprintf(
        stderr,
        "winnet_exporter: warning: service install: cannot register the Event Log source: %s\n",
        win32::ErrorText(static_cast<DWORD>(rc)).c_str());
  }
  return rc == ERROR_SUCCESS;
}

// Optional settings: a failure is reported, the service stays installed.
bool Configure(SC_HANDLE svc, DWORD level, void* info, const char* what) {
  if (ChangeServiceConfig2W(svc, level, info)) return true;
  std::fprintf(stderr, "winnet_exporter: warning: service install: cannot set %s: %s\n", what,
               win32::ErrorText(GetLastError()).c_str());
  return false;
}

int Install(const Config& config) {
  ServiceHandle scm(
      OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT | SC_MANAGER_CREATE_SERVICE));
  if (scm.get() == nullptr) {
    return Fail("install: opening the Service Control Manager", GetLastError());
  }
  std::wstring command_line = ServiceCommandLine(config.service_args);
  ServiceHandle svc(CreateServiceW(scm.get(), kServiceName, kDisplayName, SERVICE_ALL_ACCESS,
                                   SERVICE_WIN32_OWN_PROCESS, SERVICE_AUTO_START,
                                   SERVICE_ERROR_NORMAL, command_line.c_str(), nullptr, nullptr,
                                   nullptr, nullptr /* LocalSystem */, nullptr));
  if (svc.get() == nullptr) {
    DWORD err = GetLastError();
    if (err == ERROR_SERVICE_EXISTS) {
      std::fputs(
          "winnet_exporter: error: service install: the service winnet_exporter already exists; "
          "run `winnet_exporter service uninstall` first\n",
          stderr);
      return 1;
    }
    return Fail("install: CreateServiceW", err);
  }
  SERVICE_DESCRIPTIONW description{const_cast<wchar_t*>(kDescription)};
  Configure(svc.get(), SERVICE_CONFIG_DESCRIPTION, &description, "the description");
  // Delayed: start after the boot-critical services, HNS among them.
  SERVICE_DELAYED_AUTO_START_INFO delayed{TRUE};
  bool is_delayed = Configure(svc.get(), SERVICE_CONFIG_DELAYED_AUTO_START_INFO, &delayed,
                              "delayed automatic start");
  SC_ACTION actions[3] = {
      {SC_ACTION_RESTART, 10000}, {SC_ACTION_RESTART, 30000}, {SC_ACTION_RESTART, 60000}};
  SERVICE_FAILURE_ACTIONSW failure{};
  failure.dwResetPeriod = 24 * 3600;
  failure.cActions = 3;
  failure.lpsaActions = actions;
  bool restarts =
      Configure(svc.get(), SERVICE_CONFIG_FAILURE_ACTIONS, &failure, "restart on failure");
  // Also restart after a non-zero exit code, not only after a crash.
  SERVICE_FAILURE_ACTIONS_FLAG on_exit_code{TRUE};
  Configure(svc.get(), SERVICE_CONFIG_FAILURE_ACTIONS_FLAG, &on_exit_code,
            "restart on a failure exit code");
  SERVICE_PRESHUTDOWN_INFO preshutdown{kStopWaitHintMs};
  Configure(svc.get(), SERVICE_CONFIG_PRESHUTDOWN_INFO, &preshutdown, "the pre-shutdown timeout");
  bool event_log = RegisterEventLogSource();
  std::printf(
      "service winnet_exporter installed (automatic%s start%s%s):\n  %s\n"
      "start it with: sc start winnet_exporter\n",
      is_delayed ? ", delayed" : "", restarts ? "; restarts on failure" : "",
      event_log ? "; Event Log source registered" : "", win32::Narrow(command_line).c_str());
  return 0;
}

int Uninstall() {
  ServiceHandle scm(OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT));
  if (scm.get() == nullptr) {
    return Fail("uninstall: opening the Service Control Manager", GetLastError());
  }
  ServiceHandle svc(
      OpenServiceW(scm.get(), kServiceName, SERVICE_STOP | SERVICE_QUERY_STATUS | DELETE));
  if (svc.get() == nullptr) {
    DWORD err = GetLastError();
    if (err == ERROR_SERVICE_DOES_NOT_EXIST) {
      std::fputs(
          "winnet_exporter: error: service uninstall: the service winnet_exporter is not "
          "installed\n",
          stderr);
      return 1;
    }
    return Fail("uninstall: OpenServiceW", err);
  }
  SERVICE_STATUS status{};
  if (ControlService(svc.get(), SERVICE_CONTROL_STOP, &status)) {
    std::puts("stopping the service winnet_exporter");
    for (int i = 0; i < 300 && status.dwCurrentState != SERVICE_STOPPED; ++i) {
      Sleep(100);
      if (!QueryServiceStatus(svc.get(), &status)) break;
    }
    if (status.dwCurrentState != SERVICE_STOPPED) {
      std::fputs(
          "winnet_exporter: warning: the service did not stop within 30 s; deleting it anyway "
          "(removed once it stops)\n",
          stderr);
    }
  } else if (DWORD err = GetLastError(); err != ERROR_SERVICE_NOT_ACTIVE) {
    std::fprintf(stderr, "winnet_exporter: warning: service uninstall: stop: %s\n",
                 win32::ErrorText(err).c_str());
  }
  if (!DeleteService(svc.get())) return Fail("uninstall: DeleteService", GetLastError());
  RegDeleteKeyW(HKEY_LOCAL_MACHINE, kEventLogKey);  // the Event Log source, if registered
  std::puts("service winnet_exporter removed");
  return 0;
}

}  // namespace

int RunServer(const Config& config, const std::function<int()>& serve) {
  if (config.console) return RunInConsole(serve);
  g_service.serve = &serve;
  SERVICE_TABLE_ENTRYW table[] = {{const_cast<wchar_t*>(kServiceName), ServiceMain},
                                  {nullptr, nullptr}};
  if (StartServiceCtrlDispatcherW(table)) return g_service.exit_code;
  DWORD err = GetLastError();
  // Not started by the SCM: a console or a HostProcess pod.
  if (err == ERROR_FAILED_SERVICE_CONTROLLER_CONNECT) return RunInConsole(serve);
  spdlog::error("StartServiceCtrlDispatcherW: {}", win32::ErrorText(err));
  return 1;
}

void NotifyServing() {
  if (g_in_service) Report(SERVICE_RUNNING);
}

int ServiceCommand(const Config& config) {
  return config.service_action == "install" ? Install(config) : Uninstall();
}

}  // namespace winnet
