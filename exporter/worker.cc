#include "exporter/worker.h"

#include <condition_variable>
#include <mutex>

#include "exporter/thread_name.h"

namespace winnet {

struct Worker::State {
  std::mutex mu;
  std::condition_variable cv;
  std::function<void()> job;
  bool busy = false;
  bool stop = false;
  bool exited = false;
};

Worker::Worker(const std::string& name) : state_(std::make_shared<State>()) {
  thread_ = std::thread([s = state_, name] {
    NameThisThread(name);
    std::unique_lock<std::mutex> lock(s->mu);
    for (;;) {
      s->cv.wait(lock, [&] { return s->stop || s->job; });
      if (s->job) {
        auto job = std::move(s->job);
        s->job = nullptr;
        s->busy = true;
        lock.unlock();
        job();
        lock.lock();
        s->busy = false;
        s->cv.notify_all();
        continue;
      }
      if (s->stop) break;
    }
    s->exited = true;
    s->cv.notify_all();
  });
}

Worker::~Worker() {
  std::unique_lock<std::mutex> lock(state_->mu);
  state_->stop = true;
  state_->cv.notify_all();
  bool exited = state_->cv.wait_for(lock, std::chrono::seconds(2), [&] { return state_->exited; });
  lock.unlock();
  if (exited) {
    thread_.join();
  } else {
    thread_.detach();  // a hung call; the process is shutting this source down
  }
}

bool Worker::Post(std::function<void()> job) {
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    // One job may wait while the previous one finishes its last instructions
    // (its result is already delivered); more than that is refused.
    if (state_->job) return false;
    state_->job = std::move(job);
  }
  // After the unlock: a thread woken under the lock would at once block on it.
  state_->cv.notify_all();
  return true;
}

bool Worker::Busy() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->busy || state_->job;
}

}  // namespace winnet
