// Giving memory back. Parsing a large state file builds a JSON tree many
// times its size; once it is freed the allocator may keep those pages. The
// poller calls this after a cycle that parsed something.
#pragma once

namespace winnet {

// Called once at start-up (glibc: limits the per-thread malloc arenas, and
// keeps large blocks in mappings of their own, given back when freed).
void TuneAllocator();
// Returns freed heap memory to the OS where the allocator can. It walks the
// whole heap: the poller calls it at most once a second, after a rebuild or
// once a text that scrapes made was replaced.
void ReturnFreeMemory();
// Gives back the pages of the calling thread's stack below the current frame
// (with a margin): a worker that once served a deep request keeps those pages
// resident otherwise. Called by the HTTP workers when a connection closes.
void ReleaseUnusedStack();

}  // namespace winnet
