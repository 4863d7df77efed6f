// What a source is to the rest of the exporter (docs/architecture.md, "Sources
// and the registry"). A source is registered once, as a SourceType: its name
// (the `source` label), how it is opened live and from a replay capture, its
// caching reader, how it is captured, and its timeout. The poller, /healthz,
// the winnet_exporter_source_* series, capture and replay iterate over the
// registry (collectors/registry.h) and hold no per-source code.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeindex>
#include <typeinfo>
#include <utility>
#include <vector>

#include "collectors/common/call_durations.h"
#include "collectors/common/result.h"

namespace winnet {

class CaptureWriter;  // collectors/common/capture_writer.h
class LiveContext;    // collectors/common/live_context.h

// A source's name and the types it deals in: Raw is what it reads from (a
// file, HNS, the adapter table; live, replayed, or a test's fake), Data what
// its reader hands to the join. Each source's header defines its key.
template <typename Raw, typename Data>
struct SourceKey {
  std::string_view name;
};

// The parsed data of one poll: immutable and shared with the join. A reader
// returns the same pointer as before when nothing changed.
using SourceData = std::shared_ptr<const void>;

// A source's caching reader, bound to one raw source; used by one thread at a
// time (its worker).
class SourceReader {
 public:
  virtual ~SourceReader() = default;
  virtual Result<SourceData> Read() = 0;
  // Where the data comes from now (it may change: a state file found later).
  // Called from the poller's thread while a Read may be running.
  virtual std::string Where() const = 0;
  // Items of `data` that failed and were skipped (the rest is served).
  virtual std::vector<std::string> ItemErrors(const SourceData& data) const {
    (void)data;
    return {};
  }
  // How long the source's calls took so far, per kind (sources that time
  // their calls: HNS). Called from the poller's thread while a Read may run.
  virtual std::vector<CallDurationStats> CallDurations() const { return {}; }
  // The data the last Read returned, when the reader can tell without a
  // call that may wait (a stat of a file on a local file system) that a Read
  // now would return it again; null otherwise. Called from the poller's
  // thread, only while no Read runs: a source that answers here is not
  // handed to its worker that cycle (docs/architecture.md, "Unchanged
  // without a hand-off").
  virtual SourceData LastIfUnchanged() { return nullptr; }
};

// A raw source of one run, or why there is none.
struct OpenedRaw {
  std::shared_ptr<void> raw;  // null when unavailable
  std::type_index raw_type = typeid(void);
  std::string where;        // where the data comes from (logs, /healthz)
  std::string unavailable;  // why raw is null (logged once, in /healthz)

  template <typename Raw>
  static OpenedRaw Of(std::unique_ptr<Raw> raw) {
    if (!raw) return Unavailable("no source");
    OpenedRaw o;
    o.where = raw->Where();
    o.raw_type = typeid(Raw);
    o.raw = std::shared_ptr<Raw>(std::move(raw));
    return o;
  }
  static OpenedRaw Unavailable(std::string why) {
    OpenedRaw o;
    o.unavailable = std::move(why);
    return o;
  }
};

// One registration. Implementations live in each source's folder
// (collectors/<source>/<source>_source.cc) and are listed once in
// collectors/registry.cc.
class SourceType {
 public:
  virtual ~SourceType() = default;
  // The `source` label and the name in /healthz and the log.
  virtual std::string_view name() const = 0;
  // What the source adds to a capture ("azure-vnet.json", "hns/"): named
  // when the part is skipped.
  virtual std::string_view capture_part() const = 0;
  // How long one poll may take before the source counts as timed out (its
  // call keeps running on its worker and nothing more is posted to it);
  // nullopt: --poll.timeout.
  virtual std::optional<std::chrono::milliseconds> timeout() const { return std::nullopt; }

  // The type of raw source MakeReader and Capture take.
  virtual std::type_index raw_type() const = 0;

  virtual OpenedRaw OpenLive(LiveContext& live) const = 0;
  // `dir` is a replay capture directory that exists.
  virtual OpenedRaw OpenReplay(const std::string& dir) const = 0;
  virtual std::unique_ptr<SourceReader> MakeReader(std::shared_ptr<void> raw) const = 0;
  // Writes what the raw source reads into a capture, byte for byte.
  virtual void Capture(void* raw, CaptureWriter& out) const = 0;
  // True when two of this source's data (neither null) differ only in
  // counters: the same items with the same identities, so the join would
  // match everything as before and the poller only updates the counters of
  // its last snapshot (docs/architecture.md, "Only counters changed").
  virtual bool OnlyCountersDiffer(const SourceData& before, const SourceData& now) const {
    (void)before;
    (void)now;
    return false;
  }
};

// The typed base of a registration: the reader and the capture get the raw
// source as its own type, and the reader's data is the key's Data.
template <typename Raw, typename Data>
class TypedSource : public SourceType {
 public:
  using Key = SourceKey<Raw, Data>;
  using ReadFn = std::function<Result<std::shared_ptr<const Data>>()>;
  // A caching reader: `read` runs on the source's worker; `unchanged`, when
  // set, is SourceReader::LastIfUnchanged (state shared with `read`).
  struct Reader {
    template <typename F>
    requires std::is_invocable_r_v<Result<std::shared_ptr<const Data>>, F&> Reader(F read_fn)
        : read(std::move(read_fn)) {}  // NOLINT(google-explicit-constructor)
    Reader(ReadFn read_fn, std::function<std::shared_ptr<const Data>()> unchanged_fn)
        : read(std::move(read_fn)), unchanged(std::move(unchanged_fn)) {}
    ReadFn read;
    std::function<std::shared_ptr<const Data>()> unchanged;
  };

  explicit TypedSource(Key key) : key_(key) {}
  std::string_view name() const final { return key_.name; }
  std::type_index raw_type() const final { return typeid(Raw); }

  std::unique_ptr<SourceReader> MakeReader(std::shared_ptr<void> raw) const final {
    auto typed = std::static_pointer_cast<Raw>(std::move(raw));
    return std::make_unique<Adapter>(ReaderFor(typed), typed, this);
  }
  void Capture(void* raw, CaptureWriter& out) const final {
    CaptureFrom(*static_cast<Raw*>(raw), out);
  }
  bool OnlyCountersDiffer(const SourceData& before, const SourceData& now) const final {
    return OnlyCountersDifferIn(*static_cast<const Data*>(before.get()),
                                *static_cast<const Data*>(now.get()));
  }

 protected:
  // The caching reader over `raw`: the same pointer while nothing changed.
  virtual Reader ReaderFor(std::shared_ptr<Raw> raw) const = 0;
  virtual std::vector<std::string> ItemErrorsOf(const Data& data) const {
    (void)data;
    return {};
  }
  virtual void CaptureFrom(Raw& raw, CaptureWriter& out) const = 0;
  virtual bool OnlyCountersDifferIn(const Data& before, const Data& now) const {
    (void)before;
    (void)now;
    return false;
  }
  // The raw source's call durations (thread-safe), when it keeps them.
  virtual std::vector<CallDurationStats> CallDurationsOf(const Raw& raw) const {
    (void)raw;
    return {};
  }

 private:
  class Adapter : public SourceReader {
   public:
    Adapter(Reader read, std::shared_ptr<Raw> raw, const TypedSource* type)
        : read_(std::move(read)), raw_(std::move(raw)), type_(type) {}
    Result<SourceData> Read() override {
      auto r = read_.read();
      if (!r.ok()) return MakeError(r.error());
      return SourceData(std::move(*r));
    }
    SourceData LastIfUnchanged() override {
      return read_.unchanged ? SourceData(read_.unchanged()) : nullptr;
    }
    std::string Where() const override { return raw_->Where(); }
    std::vector<std::string> ItemErrors(const SourceData& data) const override {
      return type_->ItemErrorsOf(*static_cast<const Data*>(data.get()));
    }
    std::vector<CallDurationStats> CallDurations() const override {
      return type_->CallDurationsOf(*raw_);
    }

   private:
    Reader read_;
    std::shared_ptr<Raw> raw_;
    const TypedSource* type_;
  };

  Key key_;
};

// One source of a run: its registration and its raw source.
struct SourceEntry {
  const SourceType* type = nullptr;
  OpenedRaw opened;
};

// Every registered source of one run, in registry order (the order of
// /healthz and of the source series).
class SourceSet {
 public:
  std::vector<SourceEntry> entries;

  SourceEntry* Find(std::string_view name);
  const SourceEntry* Find(std::string_view name) const;

  // The raw source of `key`, or null when it is unavailable.
  template <typename Raw, typename Data>
  Raw* Get(const SourceKey<Raw, Data>& key) const {
    const SourceEntry* e = Find(key.name);
    if (e == nullptr || !e->opened.raw || e->opened.raw_type != typeid(Raw)) return nullptr;
    return static_cast<Raw*>(e->opened.raw.get());
  }
  template <typename Raw, typename Data>
  std::shared_ptr<Raw> Share(const SourceKey<Raw, Data>& key) const {
    Raw* raw = Get(key);
    if (raw == nullptr) return nullptr;
    return std::static_pointer_cast<Raw>(Find(key.name)->opened.raw);
  }
  // Replaces the raw source of `key` (tests wrap sources with faults).
  template <typename Raw, typename Data>
  void Set(const SourceKey<Raw, Data>& key, std::type_identity_t<std::shared_ptr<Raw>> raw) {
    SourceEntry* e = Find(key.name);
    if (e == nullptr) return;
    e->opened.where = raw ? raw->Where() : std::string();
    e->opened.raw_type = typeid(Raw);
    e->opened.raw = std::move(raw);
  }
  void SetUnavailable(std::string_view name, std::string why);
  // "" when the source is available (or unknown).
  std::string Unavailable(std::string_view name) const;
};

// The data of every source after a poll cycle; null for a source without data.
class SourceDataSet {
 public:
  std::vector<std::pair<std::string_view, SourceData>> data;

  template <typename Raw, typename Data>
  const Data* Get(const SourceKey<Raw, Data>& key) const {
    for (const auto& [name, d] : data) {
      if (name == key.name) return static_cast<const Data*>(d.get());
    }
    return nullptr;
  }
};

}  // namespace winnet
