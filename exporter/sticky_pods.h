// Series are a contract over time: the pod labels of an endpoint's and an
// adapter's counters may change once, from unknown to known, and never again
// while the endpoint or adapter lives (docs/metrics.md, "Labels over time").
// The join is stateless and sometimes briefly incomplete (IPAM saved before
// the endpoint record, a CNI entry missing for one poll, a half-written
// containerd spec); this remembers each identity learnt and keeps it.
#pragma once

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "exporter/snapshot.h"

namespace winnet {

class StickyPods {
 public:
  // Gives every endpoint (by id) and adapter (by name) of `snap` the pod it
  // had before when the join now names none or another one, learns the pods
  // named for the first time, forgets what is gone, and recounts the
  // endpoints still without a pod. Returns one message per new conflict (the
  // join naming another pod for an identity already known), for the log.
  std::vector<std::string> Apply(NodeSnapshot& snap);

 private:
  struct Known {
    PodRef pod;
    std::string source;    // pod_source when it was learnt
    std::string conflict;  // the other pod last reported, so each is logged once
  };
  using Memory = std::unordered_map<std::string, Known>;

  // Keeps `pod` (and `source`, when not null) for `key`; a conflict message
  // when the join names another pod than the one kept.
  std::string Stick(Memory& memory, const std::string& what, const std::string& key, PodRef& pod,
                    std::string* source);

  Memory endpoints_;  // by endpoint id
  Memory adapters_;   // by adapter name
};

}  // namespace winnet
