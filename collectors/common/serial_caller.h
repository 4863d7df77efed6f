// Calls that may hang (HNS), made one after another with a deadline each
// (docs/hns.md, "Bounded calls"). A batch runs on a helper thread; when a
// call overruns its deadline it is given up: it keeps its thread until it
// returns, and the rest of the batch goes on on another thread. So one hung
// call costs only its own item, the load on the callee stays one call at a
// time, and at most `max_threads` threads ever exist. A key whose call from
// an earlier batch is still running is not called again.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace winnet {

class SerialCaller {
 public:
  struct Limits {
    size_t max_threads = 4;
    std::chrono::milliseconds call_timeout{2000};
  };
  enum class Outcome {
    kAnswered,      // the call returned in time
    kTimedOut,      // given up after call_timeout; it still holds its thread
    kStillRunning,  // not called: this key's call of an earlier batch still runs
    kNoThread,      // not called: every thread is held by a call given up
    kOutOfTime,     // not called (or given up) when the batch's deadline came
  };
  using Clock = std::chrono::steady_clock;

  explicit SerialCaller(Limits limits);
  ~SerialCaller();
  SerialCaller(const SerialCaller&) = delete;
  SerialCaller& operator=(const SerialCaller&) = delete;

  // Calls call(i) for each keys[i], in order, until `deadline`, and returns
  // each key's outcome. `call` must own everything it touches: a call given
  // up returns after Run has. The keys are shared, not copied (a reader
  // passes the same list every cycle).
  std::vector<Outcome> Run(std::shared_ptr<const std::vector<std::string>> keys,
                           std::function<void(size_t)> call, Clock::time_point deadline);
  std::vector<Outcome> Run(const std::vector<std::string>& keys, std::function<void(size_t)> call,
                           Clock::time_point deadline) {
    return Run(std::make_shared<const std::vector<std::string>>(keys), std::move(call), deadline);
  }

  // Threads started so far, and how many of them a given-up call holds now.
  size_t threads() const;
  size_t held() const;
  // How long the given-up call of `key` has been running; negative when none.
  double SecondsRunning(const std::string& key) const;
  // When that call started, by the wall clock; nullopt when none runs.
  std::optional<std::chrono::system_clock::time_point> StartedAt(const std::string& key) const;

  const Limits& limits() const { return limits_; }

 private:
  struct State;
  struct Batch;
  struct Slot;
  // An idle thread for `batch` (a new one while fewer than max_threads
  // exist); false when every thread is held.
  bool Assign(const std::shared_ptr<Batch>& batch);

  Limits limits_;
  std::shared_ptr<State> state_;
};

// "timed out after 2.000s", as item errors say it.
std::string OutcomeText(SerialCaller::Outcome outcome, const SerialCaller& caller,
                        const std::string& key);

}  // namespace winnet
