#include "collectors/common/serial_caller.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <regex>
#include <set>
#include <thread>

#include "tests/test_util.h"

namespace winnet {
namespace {

using Outcome = SerialCaller::Outcome;
using std::chrono::milliseconds;

// Calls that hang for the keys a test names, until released.
class Callee {
 public:
  void HangOn(std::string key) {
    std::lock_guard<std::mutex> lock(mu_);
    hang_.insert(std::move(key));
  }
  void ReleaseAll() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      hang_.clear();
    }
    cv_.notify_all();
  }
  void Call(const std::string& key) {
    std::unique_lock<std::mutex> lock(mu_);
    order_.push_back(key);
    ++concurrent_;
    max_concurrent_ = std::max(max_concurrent_, concurrent_ - hung_);
    if (hang_.count(key) != 0) {
      ++hung_;
      cv_.wait(lock, [&] { return hang_.count(key) == 0; });
      --hung_;
    }
    --concurrent_;
  }
  std::vector<std::string> order() {
    std::lock_guard<std::mutex> lock(mu_);
    return order_;
  }
  int max_concurrent() {
    std::lock_guard<std::mutex> lock(mu_);
    return max_concurrent_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::set<std::string> hang_;
  std::vector<std::string> order_;
  int concurrent_ = 0, hung_ = 0, max_concurrent_ = 0;
};

std::vector<Outcome> RunAll(SerialCaller& caller, const std::shared_ptr<Callee>& callee,
                            const std::vector<std::string>& keys,
                            milliseconds budget = milliseconds(10000)) {
  return caller.Run(
      keys, [callee, keys](size_t i) { callee->Call(keys[i]); },
      SerialCaller::Clock::now() + budget);
}

TEST(SerialCaller, CallsEveryKeyInOrderOneAtATimeOnOneThread) {
  SerialCaller caller({4, milliseconds(2000)});
  auto callee = std::make_shared<Callee>();
  const std::vector<std::string> keys = {"a", "b", "c", "d"};
  EXPECT_EQ(RunAll(caller, callee, keys), std::vector<Outcome>(4, Outcome::kAnswered));
  EXPECT_EQ(RunAll(caller, callee, keys), std::vector<Outcome>(4, Outcome::kAnswered));
  EXPECT_EQ(callee->order(), (std::vector<std::string>{"a", "b", "c", "d", "a", "b", "c", "d"}));
  EXPECT_EQ(callee->max_concurrent(), 1);
  EXPECT_EQ(caller.threads(), 1u);
  EXPECT_TRUE(RunAll(caller, callee, {}).empty());
}

TEST(SerialCaller, AHungCallCostsOnlyItsOwnKey) {
  // Deadlines leave the calls that do answer a wide margin on a loaded machine.
  SerialCaller caller({4, milliseconds(300)});
  auto callee = std::make_shared<Callee>();
  callee->HangOn("b");
  auto first = RunAll(caller, callee, {"a", "b", "c"});
  EXPECT_EQ(first,
            (std::vector<Outcome>{Outcome::kAnswered, Outcome::kTimedOut, Outcome::kAnswered}));
  EXPECT_EQ(caller.threads(), 2u);
  EXPECT_EQ(caller.held(), 1u);
  EXPECT_EQ(OutcomeText(Outcome::kTimedOut, caller, "b"),
            "no answer within 0.300s; the call is given up and holds one of the 4 call threads "
            "until it returns");
  // The next batch does not ask "b" again while its call runs, and needs no
  // new thread.
  auto second = RunAll(caller, callee, {"a", "b", "c"});
  EXPECT_EQ(second,
            (std::vector<Outcome>{Outcome::kAnswered, Outcome::kStillRunning, Outcome::kAnswered}));
  EXPECT_EQ(caller.threads(), 2u);
  EXPECT_GE(caller.SecondsRunning("b"), 0.3);
  // std::regex: gtest's own regex on Windows has no character classes.
  const std::string still = OutcomeText(Outcome::kStillRunning, caller, "b");
  EXPECT_TRUE(
      std::regex_match(still, std::regex("not asked again: its call of an earlier cycle, started "
                                         "[0-9-]+T[0-9:]+Z, has not returned")))
      << still;
  callee->ReleaseAll();
  for (int i = 0; i < 200 && caller.held() > 0; ++i) std::this_thread::sleep_for(milliseconds(5));
  EXPECT_EQ(caller.held(), 0u);
  EXPECT_LT(caller.SecondsRunning("b"), 0);
  EXPECT_EQ(RunAll(caller, callee, {"b"}), std::vector<Outcome>{Outcome::kAnswered});
  EXPECT_EQ(caller.threads(), 2u);
}

TEST(SerialCaller, ThreadsNeverExceedTheLimit) {
  SerialCaller caller({2, milliseconds(200)});
  auto callee = std::make_shared<Callee>();
  callee->HangOn("x");
  callee->HangOn("y");
  auto outcomes = RunAll(caller, callee, {"x", "y", "z"});
  EXPECT_EQ(outcomes,
            (std::vector<Outcome>{Outcome::kTimedOut, Outcome::kTimedOut, Outcome::kNoThread}));
  EXPECT_EQ(caller.threads(), 2u);
  EXPECT_EQ(RunAll(caller, callee, {"z"}), std::vector<Outcome>{Outcome::kNoThread});
  EXPECT_EQ(OutcomeText(Outcome::kNoThread, caller, "z"),
            "not asked: all 2 call threads are held by calls that have not returned");
  callee->ReleaseAll();
}

TEST(SerialCaller, TheBatchDeadlineEndsTheBatch) {
  SerialCaller caller({4, milliseconds(5000)});
  auto callee = std::make_shared<Callee>();
  callee->HangOn("b");
  auto outcomes = RunAll(caller, callee, {"a", "b", "c"}, milliseconds(400));
  EXPECT_EQ(outcomes,
            (std::vector<Outcome>{Outcome::kAnswered, Outcome::kOutOfTime, Outcome::kOutOfTime}));
  callee->ReleaseAll();
}

TEST(SerialCaller, AHungThreadIsLetGoOnDestruction) {
  auto callee = std::make_shared<Callee>();
  {
    SerialCaller caller({4, milliseconds(20)});
    callee->HangOn("h");
    EXPECT_EQ(RunAll(caller, callee, {"h"}), std::vector<Outcome>{Outcome::kTimedOut});
  }  // must return although "h" is still inside its call
  callee->ReleaseAll();
}

}  // namespace
}  // namespace winnet
