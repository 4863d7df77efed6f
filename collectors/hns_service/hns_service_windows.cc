// The HNS service through the Service Control Manager, and its process
// (docs/hns.md, "HNS service health"). Every handle is owned by a scope
// guard, so each is closed on every path.
//
// Threads come from a Toolhelp process snapshot (PROCESSENTRY32W.cntThreads):
// a documented kernel32 API, where NtQuerySystemInformation would need the
// undocumented layout of SYSTEM_PROCESS_INFORMATION for the same number.
// clang-format off
#include <windows.h>
#include <psapi.h>
#include <tlhelp32.h>
// clang-format on

#include "collectors/common/win32_text_windows.h"
#include "collectors/hns_service/hns_service_source.h"

namespace winnet {

namespace {

using win32::ServiceHandle;

// 100 ns ticks since 1601 to Unix seconds.
double UnixSecondsOf(const FILETIME& t) {
  constexpr uint64_t kTicksTo1970 = 116444736000000000ULL;
  uint64_t ticks = (static_cast<uint64_t>(t.dwHighDateTime) << 32) | t.dwLowDateTime;
  if (ticks < kTicksTo1970) return 0;
  return static_cast<double>(ticks - kTicksTo1970) / 1e7;
}

// The thread count of `pid` from a Toolhelp snapshot of every process.
Result<uint64_t> ThreadsOf(DWORD pid) {
  win32::Handle snap(CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0));
  if (!snap.valid()) {
    return MakeError("CreateToolhelp32Snapshot: " + win32::ErrorText(GetLastError()));
  }
  PROCESSENTRY32W entry{};
  entry.dwSize = sizeof entry;
  for (BOOL more = Process32FirstW(snap.get(), &entry); more;
       more = Process32NextW(snap.get(), &entry)) {
    if (entry.th32ProcessID == pid) return static_cast<uint64_t>(entry.cntThreads);
  }
  return MakeError("process " + std::to_string(pid) + " is not in the process snapshot");
}

// Start time, threads and working set of the service's process; a failure
// leaves the figures absent and says why in process_error.
void ReadProcess(HnsServiceStatus& s) {
  const DWORD pid = s.process_id;
  win32::Handle process(OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid));
  const std::string what = "process " + std::to_string(pid) + " of service " + s.name;
  if (!process.valid()) {
    s.process_error = what + ": OpenProcess: " + win32::ErrorText(GetLastError());
    return;
  }
  FILETIME created, exited, kernel, user;
  if (!GetProcessTimes(process.get(), &created, &exited, &kernel, &user)) {
    s.process_error = what + ": GetProcessTimes: " + win32::ErrorText(GetLastError());
    return;
  }
  s.start_time_unix = UnixSecondsOf(created);
  PROCESS_MEMORY_COUNTERS memory{};
  if (!K32GetProcessMemoryInfo(process.get(), &memory, sizeof memory)) {
    s.process_error = what + ": GetProcessMemoryInfo: " + win32::ErrorText(GetLastError());
    return;
  }
  s.working_set_bytes = memory.WorkingSetSize;
  auto threads = ThreadsOf(pid);
  if (!threads.ok()) {
    s.process_error = what + ": " + threads.error();
    return;
  }
  s.threads = *threads;
}

class ScmHnsService : public HnsServiceProbe {
 public:
  explicit ScmHnsService(std::string name) : name_(std::move(name)) {}

  Result<HnsServiceStatus> Query() override {
    ServiceHandle scm(OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT));
    if (scm.get() == nullptr) {
      return MakeError("OpenSCManagerW: " + win32::ErrorText(GetLastError()));
    }
    ServiceHandle service(
        OpenServiceW(scm.get(), win32::Widen(name_).c_str(), SERVICE_QUERY_STATUS));
    if (service.get() == nullptr) {
      return MakeError("OpenServiceW(" + name_ + "): " + win32::ErrorText(GetLastError()));
    }
    SERVICE_STATUS_PROCESS st{};
    DWORD needed = 0;
    if (!QueryServiceStatusEx(service.get(), SC_STATUS_PROCESS_INFO, reinterpret_cast<LPBYTE>(&st),
                              sizeof st, &needed)) {
      return MakeError("QueryServiceStatusEx(" + name_ + "): " + win32::ErrorText(GetLastError()));
    }
    HnsServiceStatus s;
    s.name = name_;
    s.state = HnsServiceStateName(st.dwCurrentState);
    if (s.state.empty()) {
      return MakeError("QueryServiceStatusEx(" + name_ + "): unknown state " +
                       std::to_string(st.dwCurrentState));
    }
    s.process_id = st.dwProcessId;
    if (s.process_id != 0) ReadProcess(s);
    return s;
  }

  std::string Where() const override { return "Service Control Manager: " + name_; }

 private:
  std::string name_;
};

}  // namespace

// A node without the service (no Containers feature) has no HNS: the source
// is unavailable there, as the HNS source is without vmcompute.dll. Any other
// error is left to the polls, which report it.
std::unique_ptr<HnsServiceProbe> MakeLiveHnsServiceProbe(const std::string& service_name,
                                                         std::string* why_not) {
  ServiceHandle scm(OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT));
  if (scm.get() != nullptr) {
    ServiceHandle service(
        OpenServiceW(scm.get(), win32::Widen(service_name).c_str(), SERVICE_QUERY_STATUS));
    if (service.get() == nullptr && GetLastError() == ERROR_SERVICE_DOES_NOT_EXIST) {
      *why_not = "no service named " + service_name + " (--hns.service-name)";
      return nullptr;
    }
  }
  return std::make_unique<ScmHnsService>(service_name);
}

}  // namespace winnet
