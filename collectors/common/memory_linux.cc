#include <malloc.h>
#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>

#include "collectors/common/memory.h"

namespace winnet {

void TuneAllocator() {
  // Each worker thread would otherwise get its own 64 MiB arena and keep the
  // peak of its largest parse resident.
  mallopt(M_ARENA_MAX, 2);
}

void ReturnFreeMemory() {
  // malloc_trim walks and consolidates the whole heap: after a big parse it
  // gives megabytes back, but run on every cycle where only counters moved it
  // cost more than the cycle's join. Trim when much is free, else at most
  // every 10 s.
  using Clock = std::chrono::steady_clock;
  static Clock::time_point last_trim;
  constexpr size_t kMuchFree = 8u << 20;
  const size_t free_bytes = mallinfo2().fordblks;
  const auto now = Clock::now();
  if (free_bytes < kMuchFree && now - last_trim < std::chrono::seconds(10)) return;
  last_trim = now;
  malloc_trim(0);
}

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
  if (here < low + (16u << 10) + page) return;
  const uintptr_t high = (here - (16u << 10)) & ~(page - 1);
  madvise(reinterpret_cast<void*>(low), high - low, MADV_DONTNEED);
}

}  // namespace winnet
