// The adapters source: every network interface of the node with its
// counters (docs/hns.md, "Adapter counters").
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "collectors/adapters/adapters.h"
#include "collectors/common/source.h"

namespace winnet {

// The interface table: live (live_adapters.h), a capture's adapters.json, or
// a test's fake.
class AdapterSource {
 public:
  virtual ~AdapterSource() = default;
  virtual Result<std::vector<AdapterRow>> List() = 0;
  // True when List() would give the rows of the last List() that succeeded:
  // a capture's adapters.json whose settled stamp did not change. A live
  // table is read every time.
  virtual bool Unchanged() const { return false; }
  // Unchanged() when telling cannot wait on another machine (FileSource::
  // StampIfQuick); false otherwise. Called while no List() runs.
  virtual bool UnchangedIfQuick() const { return false; }
  virtual std::string Where() const = 0;
};

inline constexpr SourceKey<AdapterSource, std::vector<AdapterRow>> kAdaptersSource{"adapters"};
const SourceType& AdaptersRegistration();

// Reads a capture's adapters.json.
std::unique_ptr<AdapterSource> MakeAdaptersFileSource(std::string path);

}  // namespace winnet
