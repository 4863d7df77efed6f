// Stop requests on Windows: console control events and the service control
// handler only set an event; the shutdown runs on the thread that waits in
// WaitForStopRequest().
// clang-format off
#include <windows.h>
// clang-format on

#include <fcntl.h>
#include <io.h>

#include <atomic>
#include <cstdio>

#include "service/stop_signal.h"
#include "service/stop_windows.h"

namespace winnet {

namespace {

HANDLE g_stop = nullptr;      // manual reset: set once, stays set
HANDLE g_finished = nullptr;  // manual reset
std::atomic<const char*> g_why{nullptr};

// Windows ends the process once the handler returns from CTRL_CLOSE_EVENT
// (or after ~5 s) and from CTRL_SHUTDOWN_EVENT; wait a bounded time for the
// shutdown to complete first.
constexpr DWORD kCloseWaitMs = 4500;

BOOL WINAPI ConsoleHandler(DWORD type) {
  switch (type) {
    case CTRL_C_EVENT: winstop::Request("Ctrl-C"); return TRUE;
    case CTRL_BREAK_EVENT: winstop::Request("Ctrl-Break"); return TRUE;
    case CTRL_CLOSE_EVENT:
    case CTRL_SHUTDOWN_EVENT:
      winstop::Request(type == CTRL_CLOSE_EVENT ? "console close" : "system shutdown");
      WaitForSingleObject(g_finished, kCloseWaitMs);
      return TRUE;
    default: return FALSE;  // logoff: not ours (a service must survive it)
  }
}

}  // namespace

void PrepareStopSignals() {
  // Process set-up, as on Linux: stdout in binary mode, so `dump` writes the
  // exposition format's \n line ends, not \r\n.
  _setmode(_fileno(stdout), _O_BINARY);
  if (g_stop == nullptr) g_stop = CreateEventW(nullptr, TRUE, FALSE, nullptr);
  if (g_finished == nullptr) g_finished = CreateEventW(nullptr, TRUE, FALSE, nullptr);
}

const char* WaitForStopRequest() {
  WaitForSingleObject(g_stop, INFINITE);
  const char* why = g_why.load();
  return why != nullptr ? why : "stop request";
}

namespace winstop {

void Request(const char* why) {
  const char* none = nullptr;
  g_why.compare_exchange_strong(none, why);
  SetEvent(g_stop);
}

void InstallConsoleHandler() { SetConsoleCtrlHandler(ConsoleHandler, TRUE); }

void MarkShutdownFinished() { SetEvent(g_finished); }

bool WaitRequested(unsigned long timeout_ms) {
  return WaitForSingleObject(g_stop, timeout_ms) == WAIT_OBJECT_0;
}

}  // namespace winstop
}  // namespace winnet
