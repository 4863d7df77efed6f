#include "collectors/common/serial_caller.h"

#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "collectors/common/netaddr.h"

namespace winnet {

namespace {
constexpr size_t kNone = static_cast<size_t>(-1);
}  // namespace

struct SerialCaller::Batch {
  std::shared_ptr<const std::vector<std::string>> keys;
  std::function<void(size_t)> call;
  std::vector<std::optional<Outcome>> outcomes;
  size_t next = 0;     // the next key to take
  size_t decided = 0;  // outcomes set
  bool cancelled = false;
  std::shared_ptr<Slot> runner;  // the thread running the batch now

  void Decide(size_t i, Outcome o) {
    if (outcomes[i]) return;
    outcomes[i] = o;
    ++decided;
  }
  // Every key not decided yet gets `o` (the batch ends).
  void DecideRest(Outcome o) {
    cancelled = true;
    for (size_t i = 0; i < outcomes.size(); ++i) Decide(i, o);
  }
};

// One thread: idle, or running a batch, or held by a call given up.
struct SerialCaller::Slot {
  std::thread thread;
  std::shared_ptr<Batch> batch;  // null when idle
  size_t current = kNone;        // the key index being called
  Clock::time_point started;
  bool given_up = false;  // its call overran; it leaves the batch when the call returns
};

struct SerialCaller::State {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::shared_ptr<Slot>> slots;
  struct Started {
    Clock::time_point at;
    std::chrono::system_clock::time_point wall;
  };
  // Key → call start; the key is the batch's, held by the slot while its
  // call runs.
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view key) const { return std::hash<std::string_view>{}(key); }
  };
  std::unordered_map<std::string_view, Started, KeyHash, std::equal_to<>> running;
  bool stop = false;

  // Runs the batch's keys on `slot` until it ends or the slot is given up.
  void RunOn(std::unique_lock<std::mutex>& lock, Slot& slot, Batch& batch) {
    while (!batch.cancelled && !slot.given_up && batch.next < batch.keys->size()) {
      const size_t i = batch.next++;
      const std::string_view key = (*batch.keys)[i];
      if (running.count(key) != 0) {
        batch.Decide(i, Outcome::kStillRunning);
        continue;
      }
      slot.current = i;
      slot.started = Clock::now();
      running.emplace(key, Started{slot.started, std::chrono::system_clock::now()});
      lock.unlock();
      batch.call(i);
      lock.lock();
      running.erase(key);
      slot.current = kNone;
      if (!slot.given_up) batch.Decide(i, Outcome::kAnswered);
    }
  }

  void Loop(const std::shared_ptr<Slot>& slot) {
    std::unique_lock<std::mutex> lock(mu);
    for (;;) {
      cv.wait(lock, [&] { return stop || slot->batch; });
      if (!slot->batch) return;
      std::shared_ptr<Batch> batch = slot->batch;
      RunOn(lock, *slot, *batch);
      slot->batch.reset();
      slot->given_up = false;
      cv.notify_all();
    }
  }
};

SerialCaller::SerialCaller(Limits limits) : limits_(limits), state_(std::make_shared<State>()) {
  if (limits_.max_threads == 0) limits_.max_threads = 1;
}

SerialCaller::~SerialCaller() {
  std::vector<std::shared_ptr<Slot>> slots;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->stop = true;
    slots = state_->slots;
  }
  state_->cv.notify_all();
  for (auto& slot : slots) {
    bool held;
    {
      std::lock_guard<std::mutex> lock(state_->mu);
      held = slot->batch != nullptr;
    }
    // A held thread is inside a call that may never return: it owns what it
    // uses (the state, its slot, the batch), so it is let go.
    held ? slot->thread.detach() : slot->thread.join();
  }
}

bool SerialCaller::Assign(const std::shared_ptr<Batch>& batch) {
  std::shared_ptr<Slot> slot;
  for (auto& s : state_->slots) {
    if (!s->batch) {
      slot = s;
      break;
    }
  }
  if (!slot) {
    if (state_->slots.size() >= limits_.max_threads) return false;
    slot = std::make_shared<Slot>();
    slot->thread = std::thread([state = state_, slot] { state->Loop(slot); });
    state_->slots.push_back(slot);
  }
  slot->batch = batch;
  batch->runner = slot;
  state_->cv.notify_all();
  return true;
}

std::vector<SerialCaller::Outcome> SerialCaller::Run(
    std::shared_ptr<const std::vector<std::string>> keys_shared, std::function<void(size_t)> call,
    Clock::time_point deadline) {
  auto batch = std::make_shared<Batch>();
  batch->keys = std::move(keys_shared);
  const std::vector<std::string>& keys = *batch->keys;
  batch->call = std::move(call);
  batch->outcomes.resize(keys.size());
  std::unique_lock<std::mutex> lock(state_->mu);
  if (!keys.empty() && !Assign(batch)) batch->DecideRest(Outcome::kNoThread);
  while (batch->decided < keys.size()) {
    Slot& s = *batch->runner;
    const bool calling = s.current != kNone;
    const auto call_deadline = (calling ? s.started : Clock::now()) + limits_.call_timeout;
    state_->cv.wait_until(lock, std::min(call_deadline, deadline),
                          [&] { return batch->decided == keys.size(); });
    if (batch->decided == keys.size()) break;
    const auto now = Clock::now();
    if (now >= deadline) {
      s.given_up = s.current != kNone;
      batch->DecideRest(Outcome::kOutOfTime);
    } else if (s.current != kNone && now >= s.started + limits_.call_timeout) {
      batch->Decide(s.current, Outcome::kTimedOut);
      s.given_up = true;
      if (!Assign(batch)) batch->DecideRest(Outcome::kNoThread);
    }
  }
  std::vector<Outcome> out;
  out.reserve(keys.size());
  for (const auto& o : batch->outcomes) out.push_back(*o);
  return out;
}

size_t SerialCaller::threads() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->slots.size();
}

size_t SerialCaller::held() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  size_t n = 0;
  for (const auto& s : state_->slots) n += s->given_up ? 1 : 0;
  return n;
}

double SerialCaller::SecondsRunning(const std::string& key) const {
  std::lock_guard<std::mutex> lock(state_->mu);
  auto it = state_->running.find(key);
  if (it == state_->running.end()) return -1;
  return std::chrono::duration<double>(Clock::now() - it->second.at).count();
}

std::optional<std::chrono::system_clock::time_point> SerialCaller::StartedAt(
    const std::string& key) const {
  std::lock_guard<std::mutex> lock(state_->mu);
  auto it = state_->running.find(key);
  if (it == state_->running.end()) return std::nullopt;
  return it->second.wall;
}

namespace {

// "2026-11-29T17:42:11Z"
std::string UtcText(std::chrono::system_clock::time_point t) {
  return FormatRfc3339Utc(std::chrono::system_clock::to_time_t(t));
}

}  // namespace

std::string OutcomeText(SerialCaller::Outcome outcome, const SerialCaller& caller,
                        const std::string& key) {
  char buf[200];
  const double limit = std::chrono::duration<double>(caller.limits().call_timeout).count();
  const size_t max = caller.limits().max_threads;
  switch (outcome) {
    case SerialCaller::Outcome::kAnswered: return "answered";
    case SerialCaller::Outcome::kTimedOut:
      std::snprintf(buf, sizeof buf,
                    "no answer within %.3fs; the call is given up and holds one of the %zu call "
                    "threads until it returns",
                    limit, max);
      break;
    case SerialCaller::Outcome::kStillRunning: {
      // The start, not the time since: the text stays the same while the call hangs.
      auto started = caller.StartedAt(key);
      std::snprintf(buf, sizeof buf,
                    "not asked again: its call of an earlier cycle, started %s, has not returned",
                    started ? UtcText(*started).c_str() : "?");
      break;
    }
    case SerialCaller::Outcome::kNoThread:
      std::snprintf(buf, sizeof buf,
                    "not asked: all %zu call threads are held by calls that have not returned",
                    max);
      break;
    case SerialCaller::Outcome::kOutOfTime:
      std::snprintf(buf, sizeof buf, "not asked: the cycle's time for these calls ran out");
      break;
  }
  return buf;
}

}  // namespace winnet
