// A stand-in for the `hns` Windows service in the Wine tests
// (tests/windows/wine_test.sh registers it in Wine's Service Control Manager
// under the name the exporter watches). It does nothing but run: on start it
// starts kExtraThreads threads that wait for the stop request, so the
// exporter's winnet_hns_process_threads shows a count no idle process has.
//   winnet_fake_hns_service.exe [SERVICE_NAME]     default "hns"
// clang-format off
#include <windows.h>
// clang-format on

#include <cstring>
#include <string>
#include <vector>

namespace {

constexpr int kExtraThreads = 40;

std::wstring g_name = L"hns";
SERVICE_STATUS_HANDLE g_status_handle = nullptr;
HANDLE g_stop = nullptr;

void Report(DWORD state) {
  SERVICE_STATUS st{};
  st.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
  st.dwCurrentState = state;
  st.dwControlsAccepted = state == SERVICE_RUNNING ? SERVICE_ACCEPT_STOP : 0;
  st.dwWin32ExitCode = NO_ERROR;
  SetServiceStatus(g_status_handle, &st);
}

DWORD WINAPI Control(DWORD control, DWORD, LPVOID, LPVOID) {
  if (control == SERVICE_CONTROL_STOP) {
    Report(SERVICE_STOP_PENDING);
    SetEvent(g_stop);
  }
  return NO_ERROR;
}

DWORD WINAPI WaitForStop(LPVOID) {
  WaitForSingleObject(g_stop, INFINITE);
  return 0;
}

void WINAPI ServiceMain(DWORD, LPWSTR*) {
  g_status_handle = RegisterServiceCtrlHandlerExW(g_name.c_str(), Control, nullptr);
  if (g_status_handle == nullptr) return;
  g_stop = CreateEventW(nullptr, TRUE, FALSE, nullptr);
  std::vector<HANDLE> threads;
  for (int i = 0; i < kExtraThreads; ++i) {
    HANDLE t = CreateThread(nullptr, 0, WaitForStop, nullptr, 0, nullptr);
    if (t != nullptr) threads.push_back(t);
  }
  Report(SERVICE_RUNNING);
  WaitForSingleObject(g_stop, INFINITE);
  for (HANDLE t : threads) {
    WaitForSingleObject(t, 5000);
    CloseHandle(t);
  }
  CloseHandle(g_stop);
  Report(SERVICE_STOPPED);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1) g_name.assign(argv[1], argv[1] + strlen(argv[1]));  // ASCII names
  SERVICE_TABLE_ENTRYW table[] = {{g_name.data(), ServiceMain}, {nullptr, nullptr}};
  return StartServiceCtrlDispatcherW(table) ? 0 : 1;
}
