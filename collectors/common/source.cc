#include "collectors/common/source.h"

namespace winnet {

SourceEntry* SourceSet::Find(std::string_view name) {
  for (auto& e : entries) {
    if (e.type->name() == name) return &e;
  }
  return nullptr;
}

const SourceEntry* SourceSet::Find(std::string_view name) const {
  return const_cast<SourceSet*>(this)->Find(name);
}

void SourceSet::SetUnavailable(std::string_view name, std::string why) {
  if (SourceEntry* e = Find(name)) e->opened = OpenedRaw::Unavailable(std::move(why));
}

std::string SourceSet::Unavailable(std::string_view name) const {
  const SourceEntry* e = Find(name);
  return e == nullptr ? std::string() : e->opened.unavailable;
}

}  // namespace winnet
