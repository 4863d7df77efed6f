// A thread that runs one job at a time. A job that never returns (a hung HNS
// call) keeps the worker busy; the poller posts nothing more to it, so hangs
// do not pile up threads. On destruction an idle worker is joined; a busy one
// is detached after a short grace period (its job owns what it uses).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace winnet {

class Worker {
 public:
  explicit Worker(const std::string& name);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Queues the job behind the running one; false (job dropped) when one is
  // already queued.
  bool Post(std::function<void()> job);
  bool Busy() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
  std::thread thread_;
};

}  // namespace winnet
