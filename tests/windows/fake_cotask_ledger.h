// Whether the exporter frees what the stand-in HNS DLLs hand it. Every string
// a stand-in answers with is allocated with CoTaskMemAlloc and written into a
// ledger; an IMallocSpy (CoRegisterMallocSpy: COM then calls it around every
// CoTaskMemFree and CoTaskMemRealloc in the process) strikes it out when the
// caller frees it. At process exit each DLL writes what it handed out and what
// came back (WriteLedgerReport), and tests/windows/wine_test.sh fails on a
// difference.
//
// A process has one spy at most, and both stand-ins (vmcompute.dll and
// computenetwork.dll) may be loaded together: the first to answer makes the
// ledger and registers the spy, and publishes the ledger's address in a
// variable of this process's environment, named with its process id, for the
// other. Nothing here allocates with CoTaskMemAlloc, and the ledger's lock is
// never held around a CoTaskMem call (COM holds its own lock around the spy).
#pragma once

// clang-format off
#include <windows.h>
#include <objbase.h>
#include <objidl.h>
// clang-format on

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cwchar>
#include <string>

namespace winnet_fake {

enum LedgerOwner { kHnsAnswers = 0, kHcnAnswers = 1, kLedgerOwners = 2 };

struct Ledger {
  static constexpr size_t kBlocks = 4096;  // outstanding at once; the exporter frees at once
  SRWLOCK lock;
  bool spy_registered;
  size_t used;  // slots [0, used) may hold a block
  void* block[kBlocks];
  int owner[kBlocks];
  volatile LONG handed_out[kLedgerOwners];
  volatile LONG freed[kLedgerOwners];
  volatile LONG untracked[kLedgerOwners];  // no spy, or the ledger was full
};

// Strikes `p` out of the ledger if a stand-in handed it out.
inline void StrikeOut(Ledger* ledger, void* p) {
  if (p == nullptr) return;
  AcquireSRWLockExclusive(&ledger->lock);
  for (size_t i = 0; i < ledger->used; ++i) {
    if (ledger->block[i] == p) {
      ledger->block[i] = nullptr;
      InterlockedIncrement(&ledger->freed[ledger->owner[i]]);
      break;
    }
  }
  ReleaseSRWLockExclusive(&ledger->lock);
}

// Sees every CoTaskMemFree / CoTaskMemRealloc of the process; changes nothing.
class LedgerSpy : public IMallocSpy {
 public:
  explicit LedgerSpy(Ledger* ledger) : ledger_(ledger) {}
  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** out) override {
    if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, IID_IMallocSpy)) {
      *out = static_cast<IMallocSpy*>(this);
      return S_OK;
    }
    *out = nullptr;
    return E_NOINTERFACE;
  }
  ULONG STDMETHODCALLTYPE AddRef() override { return 2; }  // static: never deleted
  ULONG STDMETHODCALLTYPE Release() override { return 1; }
  SIZE_T STDMETHODCALLTYPE PreAlloc(SIZE_T cb) override { return cb; }
  void* STDMETHODCALLTYPE PostAlloc(void* actual) override { return actual; }
  void* STDMETHODCALLTYPE PreFree(void* request, BOOL) override {
    StrikeOut(ledger_, request);
    return request;
  }
  void STDMETHODCALLTYPE PostFree(BOOL) override {}
  // A reallocated answer counts as given back: the stand-in no longer owns it.
  SIZE_T STDMETHODCALLTYPE PreRealloc(void* request, SIZE_T cb, void** new_request, BOOL) override {
    StrikeOut(ledger_, request);
    *new_request = request;
    return cb;
  }
  void* STDMETHODCALLTYPE PostRealloc(void* actual, BOOL) override { return actual; }
  void* STDMETHODCALLTYPE PreGetSize(void* request, BOOL) override { return request; }
  SIZE_T STDMETHODCALLTYPE PostGetSize(SIZE_T actual, BOOL) override { return actual; }
  void* STDMETHODCALLTYPE PreDidAlloc(void* request, BOOL) override { return request; }
  int STDMETHODCALLTYPE PostDidAlloc(void*, BOOL, int actual) override { return actual; }
  void STDMETHODCALLTYPE PreHeapMinimize() override {}
  void STDMETHODCALLTYPE PostHeapMinimize() override {}

 private:
  Ledger* ledger_;
};

inline std::wstring LedgerVariable() {
  return L"WINNET_FAKE_LEDGER_" + std::to_wstring(GetCurrentProcessId());
}

// The ledger of this process, made (and the spy registered) by the first
// caller; held by this DLL from then on.
inline Ledger* NewLedger() {
  auto* ledger =
      static_cast<Ledger*>(HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(Ledger)));
  if (ledger == nullptr) return nullptr;
  InitializeSRWLock(&ledger->lock);
  static LedgerSpy spy(ledger);
  ledger->spy_registered = SUCCEEDED(CoRegisterMallocSpy(&spy));
  const std::wstring address = std::to_wstring(reinterpret_cast<uintptr_t>(ledger));
  SetEnvironmentVariableW(LedgerVariable().c_str(), address.c_str());
  return ledger;
}

inline Ledger* FindLedger() {
  wchar_t address[32];
  DWORD n = GetEnvironmentVariableW(LedgerVariable().c_str(), address, 32);
  if (n == 0 || n >= 32) return nullptr;
  return reinterpret_cast<Ledger*>(static_cast<uintptr_t>(std::wcstoull(address, nullptr, 10)));
}

inline Ledger* TheLedger() {
  static Ledger* ledger = [] {
    // Both stand-ins may ask at once: one makes the ledger, under a mutex of this process.
    const std::wstring name = L"Local\\" + LedgerVariable();
    HANDLE mutex = CreateMutexW(nullptr, FALSE, name.c_str());
    WaitForSingleObject(mutex, INFINITE);
    Ledger* found = FindLedger();
    Ledger* out = found != nullptr ? found : NewLedger();
    ReleaseMutex(mutex);
    CloseHandle(mutex);
    return out;
  }();
  return ledger;
}

// Writes `p`, just allocated with CoTaskMemAlloc, into the ledger.
inline void WriteIntoLedger(LedgerOwner owner, void* p) {
  Ledger* ledger = TheLedger();
  if (ledger == nullptr) return;
  InterlockedIncrement(&ledger->handed_out[owner]);
  bool kept = false;
  AcquireSRWLockExclusive(&ledger->lock);
  for (size_t i = 0; ledger->spy_registered && i < Ledger::kBlocks && !kept; ++i) {
    if (ledger->block[i] != nullptr) continue;
    ledger->block[i] = p;
    ledger->owner[i] = owner;
    if (i >= ledger->used) ledger->used = i + 1;
    kept = true;
  }
  ReleaseSRWLockExclusive(&ledger->lock);
  if (!kept) InterlockedIncrement(&ledger->untracked[owner]);
}

// A copy of `text` as the real DLLs answer: CoTaskMemAlloc'd, for the caller
// to free with CoTaskMemFree; written into the ledger.
inline LPWSTR CoTaskCopy(const std::wstring& text, LedgerOwner owner) {
  TheLedger();  // the spy first, so that it sees this block freed
  auto* out = static_cast<LPWSTR>(CoTaskMemAlloc((text.size() + 1) * sizeof(wchar_t)));
  if (out == nullptr) return nullptr;
  text.copy(out, text.size());
  out[text.size()] = L'\0';
  WriteIntoLedger(owner, out);
  return out;
}

// At process exit: "handed_out=N freed=M untracked=U" into the file named by
// the environment variable `file_variable`, when it is set. No lock: another
// thread may have been ended holding it.
inline void WriteLedgerReport(LedgerOwner owner, const wchar_t* file_variable) {
  wchar_t file[2048];
  DWORD n = GetEnvironmentVariableW(file_variable, file, 2048);
  if (n == 0 || n >= 2048) return;
  Ledger* ledger = FindLedger();
  FILE* f = _wfopen(file, L"w");
  if (f == nullptr) return;
  if (ledger == nullptr) {
    std::fprintf(f, "handed_out=0 freed=0 untracked=0\n");
  } else {
    std::fprintf(f, "handed_out=%ld freed=%ld untracked=%ld\n", ledger->handed_out[owner],
                 ledger->freed[owner], ledger->untracked[owner]);
  }
  std::fclose(f);
}

}  // namespace winnet_fake
