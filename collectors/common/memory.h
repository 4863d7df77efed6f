// Giving memory back. Parsing a large state file builds a JSON tree many
// times its size; once it is freed the allocator may keep those pages. The
// poller calls this after a cycle that parsed something.
#pragma once

namespace winnet {

// Called once at start-up (limits per-thread malloc arenas on glibc).
void TuneAllocator();
// Returns freed heap memory to the OS where the allocator can.
void ReturnFreeMemory();

}  // namespace winnet
