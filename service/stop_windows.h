// The Windows stop request shared by stop_signal_windows.cc (console control
// events, WaitForStopRequest) and service_windows.cc (SCM controls). Windows
// only.
#pragma once

namespace winnet::winstop {

// Asks the process to stop; WaitForStopRequest() returns `why` (the first one).
// Safe from any thread, including console and service control handlers.
void Request(const char* why);

// Routes Ctrl-C, Ctrl-Break, console close and system shutdown to Request().
// Installed only while serving, so `dump` keeps the default Ctrl-C behaviour.
void InstallConsoleHandler();

// The shutdown after a stop request has finished; a console handler waiting
// for it (close, shutdown) may return and let Windows end the process.
void MarkShutdownFinished();

// Waits until a stop is requested or `timeout_ms` passes; true when requested.
bool WaitRequested(unsigned long timeout_ms);

}  // namespace winnet::winstop
