#include <malloc.h>
#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>

#include "collectors/common/memory.h"

namespace winnet {

void TuneAllocator() {
  // Each worker thread would otherwise get its own 64 MiB arena and keep the
  // peak of its largest parse resident.
  mallopt(M_ARENA_MAX, 2);
  // Blocks of 128 KiB and more (the exposition, its gzip, a file read whole,
  // the parsed lists' arrays) each get their own mapping, given back when
  // freed. By default glibc raises this threshold to the largest block freed
  // so far, and after the first freed exposition every later one is carved
  // from an arena that keeps its pages: about 2 MiB more RSS after a load of
  // scrapes at 5,000 remote endpoints (bench/README.md, "Footprint").
  mallopt(M_MMAP_THRESHOLD, 128 << 10);
}

void ReturnFreeMemory() { malloc_trim(0); }

void ReleaseUnusedStack() {
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return;
  void* stack = nullptr;
  size_t size = 0;
  const int got = pthread_attr_getstack(&attr, &stack, &size);
  pthread_attr_destroy(&attr);
  if (got != 0 || stack == nullptr) return;
  // The stack grows down from stack + size; keep 16 KiB below this frame for
  // the frames still to run (and a signal handler), give back the rest.
  const auto page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  const uintptr_t low = reinterpret_cast<uintptr_t>(stack);
  const uintptr_t here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  // Outside this thread's stack (a sanitizer's fake frame): nothing is known.
  if (here < low + (16u << 10) + page || here >= low + size) return;
  const uintptr_t high = (here - (16u << 10)) & ~(page - 1);
  madvise(reinterpret_cast<void*>(low), high - low, MADV_DONTNEED);
}

}  // namespace winnet
