// The registry: every source the exporter knows, in the order of /healthz and
// of the source series. A source is added by one line in registry.cc
// (docs/architecture.md, "Adding a source").
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "collectors/common/live_context.h"
#include "collectors/common/source.h"

namespace winnet {

const std::vector<const SourceType*>& RegisteredSources();

// Every registered source opened on this node.
SourceSet MakeLiveSources(const LiveOptions& options);
// Every registered source opened on a replay capture (docs/capture-format.md);
// files are re-read on every call, so a changed capture shows on the next
// poll. An error when `dir` is not a readable directory.
Result<SourceSet> MakeReplaySources(const std::string& dir);

// Every registered source, none opened (tests build their own).
SourceSet UnopenedSources();

// Reads the source of `key` once through its reader (tests, tools).
template <typename Raw, typename Data>
Result<std::shared_ptr<const Data>> ReadOnce(const SourceSet& set,
                                             const SourceKey<Raw, Data>& key) {
  const SourceEntry* e = set.Find(key.name);
  if (e == nullptr || !e->opened.raw) return MakeError(std::string(key.name) + ": unavailable");
  auto r = e->type->MakeReader(e->opened.raw)->Read();
  if (!r.ok()) return MakeError(r.error());
  return std::static_pointer_cast<const Data>(*r);
}

}  // namespace winnet
