// clang-format off
#include <windows.h>
// clang-format on

#include <malloc.h>

#include "collectors/common/memory.h"

namespace winnet {

// The Windows heaps need no per-thread tuning.
void TuneAllocator() {}

void ReturnFreeMemory() {
  // The CRT's heap first (malloc/new), then the process heap; both give back
  // free, uncommitted pages where they can.
  _heapmin();
  HeapCompact(GetProcessHeap(), 0);
}

// A thread's stack pages stay committed once touched on Windows, and
// decommitting below the guard page would break the stack's growth: nothing
// is given back.
void ReleaseUnusedStack() {}

}  // namespace winnet
