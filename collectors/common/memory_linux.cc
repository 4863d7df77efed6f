#include <malloc.h>

#include "collectors/common/memory.h"

namespace winnet {

void TuneAllocator() {
  // Each worker thread would otherwise get its own 64 MiB arena and keep the
  // peak of its largest parse resident.
  mallopt(M_ARENA_MAX, 2);
}

void ReturnFreeMemory() { malloc_trim(0); }

}  // namespace winnet
