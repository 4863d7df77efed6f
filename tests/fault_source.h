// Fault injection around any source: a wrapper passes calls to the real source
// until the test tells it to fail, hang (until released, or for a while), or
// return some other text (garbage, a huge output); Pass() recovers. The mode
// can change at any time, from any thread; a hung call then carries on in the
// new mode.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "collectors/adapters/adapter_source.h"
#include "collectors/adapters/adapters.h"
#include "collectors/cni/cni_source.h"
#include "collectors/hns/hns_source.h"
#include "collectors/ipam/ipam_source.h"
#include "collectors/registry.h"

namespace winnet::testing {

class Fault {
 public:
  enum class Mode { kPass, kFail, kHang, kReturn };

  // Back to the real source; hung calls carry on.
  void Pass() { Set(Mode::kPass); }
  // Calls return an error with this text.
  void Fail(std::string message = "injected failure") { Set(Mode::kFail, std::move(message)); }
  // Calls block until the mode changes.
  void Hang() { Set(Mode::kHang); }
  // Calls block for `d` (or until the mode changes), then go to the real source.
  void HangFor(std::chrono::milliseconds d) { Set(Mode::kHang, {}, d); }
  // Calls return this text instead of the source's (garbage, huge output).
  void Return(std::string text) { Set(Mode::kReturn, std::move(text)); }

  int calls() const { return calls_.load(); }
  int hung() const { return hung_.load(); }  // calls blocked right now

  // Waits until `n` calls are blocked; false after `limit`.
  bool WaitHung(int n, std::chrono::milliseconds limit = std::chrono::seconds(5)) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, limit, [&] { return hung_.load() >= n; });
  }

  // Runs one call: `real` gives the source's own answer.
  template <typename T, typename Real>
  Result<T> Call(Real&& real, const std::function<Result<T>(const std::string&)>& from_text) {
    ++calls_;
    std::unique_lock<std::mutex> lock(mu_);
    if (mode_ == Mode::kHang) {
      ++hung_;
      cv_.notify_all();
      uint64_t gen = generation_;
      auto until_changed = [&] { return generation_ != gen; };
      if (hang_for_) {
        cv_.wait_for(lock, *hang_for_, until_changed);
      } else {
        cv_.wait(lock, until_changed);
      }
      --hung_;
      cv_.notify_all();
    }
    switch (mode_) {
      case Mode::kFail: return MakeError(*text_);
      case Mode::kReturn: {
        std::shared_ptr<const std::string> text = text_;  // no copy of a huge text
        lock.unlock();
        return from_text(*text);
      }
      default: break;
    }
    lock.unlock();
    return real();
  }

 private:
  void Set(Mode m, std::string text = {},
           std::optional<std::chrono::milliseconds> hang_for = std::nullopt) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      mode_ = m;
      text_ = std::make_shared<const std::string>(std::move(text));
      hang_for_ = hang_for;
      ++generation_;
    }
    cv_.notify_all();
  }

  std::mutex mu_;
  std::condition_variable cv_;
  Mode mode_ = Mode::kPass;
  std::shared_ptr<const std::string> text_ = std::make_shared<const std::string>();
  std::optional<std::chrono::milliseconds> hang_for_;
  uint64_t generation_ = 0;
  std::atomic<int> calls_{0};
  std::atomic<int> hung_{0};
};

class FaultyFile : public FileSource {
 public:
  FaultyFile(std::shared_ptr<FileSource> real, std::shared_ptr<Fault> fault)
      : real_(std::move(real)), fault_(std::move(fault)) {}
  Result<std::optional<std::string>> Read() override {
    return fault_->Call<std::optional<std::string>>(
        [&] { return real_->Read(); },
        [](const std::string& t) -> Result<std::optional<std::string>> {
          return std::optional<std::string>(t);
        });
  }
  std::string Where() const override { return real_->Where(); }

 private:
  std::shared_ptr<FileSource> real_;
  std::shared_ptr<Fault> fault_;
};

// Faults only the HNS requests whose path (DisplayPath) starts with `prefix`
// ("" = all).
class FaultyHns : public HnsClient {
 public:
  FaultyHns(std::shared_ptr<HnsClient> real, std::shared_ptr<Fault> fault, std::string prefix = "")
      : real_(std::move(real)), fault_(std::move(fault)), prefix_(std::move(prefix)) {}
  Result<std::optional<std::string>> Get(const HnsRequest& request) override {
    if (!DisplayPath(request).starts_with(prefix_)) return real_->Get(request);
    return fault_->Call<std::optional<std::string>>(
        [&] { return real_->Get(request); },
        [](const std::string& t) -> Result<std::optional<std::string>> {
          return std::optional<std::string>(t);
        });
  }
  std::string Where() const override { return real_->Where(); }

 private:
  std::shared_ptr<HnsClient> real_;
  std::shared_ptr<Fault> fault_;
  std::string prefix_;
};

// Text handed to an adapter source is parsed as adapters.json, as a replay would.
class FaultyAdapters : public AdapterSource {
 public:
  FaultyAdapters(std::shared_ptr<AdapterSource> real, std::shared_ptr<Fault> fault)
      : real_(std::move(real)), fault_(std::move(fault)) {}
  Result<std::vector<AdapterRow>> List() override {
    std::string where = Where();
    return fault_->Call<std::vector<AdapterRow>>(
        [&] { return real_->List(); },
        [where](const std::string& t) { return ParseAdaptersJson(t, where); });
  }
  std::string Where() const override { return real_->Where(); }

 private:
  std::shared_ptr<AdapterSource> real_;
  std::shared_ptr<Fault> fault_;
};

// Faults for each source of a set; wraps the sources that exist.
struct Faults {
  std::shared_ptr<Fault> ipam = std::make_shared<Fault>();
  std::shared_ptr<Fault> cni = std::make_shared<Fault>();
  std::shared_ptr<Fault> hns = std::make_shared<Fault>();
  std::shared_ptr<Fault> adapters = std::make_shared<Fault>();
  std::string hns_prefix;  // fault only these HNS paths ("/endpoints/": one call per poll)

  SourceSet Wrap(SourceSet s) const {
    if (auto f = s.Share(kIpamStateSource)) {
      s.Set(kIpamStateSource, std::make_shared<FaultyFile>(f, ipam));
    }
    if (auto f = s.Share(kNetworkStateSource)) {
      s.Set(kNetworkStateSource, std::make_shared<FaultyFile>(f, cni));
    }
    if (auto h = s.Share(kHnsSource)) {
      s.Set(kHnsSource, std::make_shared<FaultyHns>(h, hns, hns_prefix));
    }
    if (auto a = s.Share(kAdaptersSource)) {
      s.Set(kAdaptersSource, std::make_shared<FaultyAdapters>(a, adapters));
    }
    return s;
  }
  // Releases every hung call (call before the sources go away).
  void PassAll() const {
    for (const auto& f : {ipam, cni, hns, adapters}) f->Pass();
  }
};

}  // namespace winnet::testing
