// The HNS source's bounded calls (docs/hns.md, "Bounded calls"): a hung
// /endpointstats/ call costs only its endpoint, the call durations are kept
// per kind, and --hns.stats-interval lowers the calls.
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "collectors/hns/hns_reader.h"
#include "collectors/hns/hns_source.h"
#include "tests/test_util.h"

namespace winnet {
namespace {

using std::chrono::milliseconds;
using namespace winnet::testing;

// The example capture's HNS, whose stats answers count up on every call;
// the stats call of one endpoint can be made to hang until released.
class CountingHns : public HnsClient {
 public:
  CountingHns() : replay_(MakeReplayHnsClient(ExampleDir())) {}
  ~CountingHns() override { Release(); }

  Result<std::optional<std::string>> Get(const HnsRequest& request) override {
    std::unique_lock<std::mutex> lock(mu_);
    ++calls_[request.call];
    if (request.call != HnsCall::kEndpointStats) {
      lock.unlock();
      return replay_->Get(request);
    }
    cv_.wait(lock, [&] { return request.id != hang_id_; });
    const uint64_t n = ++answered_;
    return std::optional<std::string>(
        "{\"Success\":true,\"Output\":{\"EndpointId\":\"" + request.id +
        "\",\"BytesReceived\":" + std::to_string(n) +
        ",\"BytesSent\":0,\"PacketsReceived\":0,\"PacketsSent\":0,"
        "\"DroppedPacketsIncoming\":0,\"DroppedPacketsOutgoing\":0}}");
  }
  std::string Where() const override { return "counting HNS"; }

  void HangOn(std::string raw_id) {
    std::lock_guard<std::mutex> lock(mu_);
    hang_id_ = std::move(raw_id);
  }
  void Release() {
    HangOn("");
    cv_.notify_all();
  }
  int calls(HnsCall call) {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_[call];
  }

 private:
  std::unique_ptr<HnsClient> replay_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::string hang_id_;
  std::map<HnsCall, int> calls_;
  uint64_t answered_ = 0;
};

std::map<std::string, uint64_t> BytesReceived(const HnsCollected& c) {
  std::map<std::string, uint64_t> out;
  for (const auto& [id, s] : c.stats) out[id] = s.bytes_received;
  return out;
}

std::shared_ptr<CountingHns> MakeHns(milliseconds call_timeout, milliseconds stats_interval) {
  auto hns = std::make_shared<CountingHns>();
  HnsCallLimits limits;
  limits.call_timeout = call_timeout;
  limits.stats_interval = stats_interval;
  hns->set_limits(limits);
  return hns;
}

const CallDurationStats* Find(const std::vector<CallDurationStats>& all, const std::string& call) {
  for (const auto& c : all) {
    if (c.call == call) return &c;
  }
  return nullptr;
}

TEST(HnsBoundedCalls, AHungStatsCallCostsOnlyItsEndpoint) {
  auto hns = MakeHns(milliseconds(500), milliseconds(0));
  HnsReader reader(hns);
  auto first = reader();
  ASSERT_TRUE(first.ok()) << first.error();
  const auto before = BytesReceived(**first);
  ASSERT_EQ(before.size(), 7u) << ::testing::PrintToString((*first)->item_errors);
  const HnsEndpoint* local = nullptr;
  for (const auto& e : (*first)->inventory->endpoints) {
    if (!e.remote && local == nullptr) local = &e;
  }
  ASSERT_NE(local, nullptr);
  const std::string hung = local->raw_id;
  const std::string hung_id = local->id;
  hns->HangOn(hung);

  auto second = reader();
  ASSERT_TRUE(second.ok()) << second.error();
  const auto after = BytesReceived(**second);
  ASSERT_EQ(after.size(), 7u) << "the hung endpoint keeps its last stats";
  for (const auto& [id, bytes] : after) {
    if (id == hung_id) {
      EXPECT_EQ(bytes, before.at(id)) << "hung endpoint: last stats served";
    } else {
      EXPECT_GT(bytes, before.at(id)) << id << " must be read fresh";
    }
  }
  ASSERT_EQ((*second)->item_errors.size(), 1u);
  EXPECT_THAT((*second)->item_errors[0],
              ::testing::AllOf(::testing::HasSubstr("HNS GET /endpointstats/" + hung),
                               ::testing::HasSubstr("no answer within 0.500s"),
                               ::testing::HasSubstr("serving its last stats")));

  // The hung call is not made again while it runs; the others stay fresh.
  auto third = reader();
  ASSERT_TRUE(third.ok());
  EXPECT_THAT((*third)->item_errors,
              ::testing::ElementsAre(::testing::HasSubstr("not asked again")));
  for (const auto& [id, bytes] : BytesReceived(**third)) {
    if (id != hung_id) {
      EXPECT_GT(bytes, after.at(id)) << id;
    }
  }
  EXPECT_EQ(hns->calls(HnsCall::kEndpointStats), 7 + 7 + 6);

  const auto durations = hns->durations().Snapshot();
  const auto* stats = Find(durations, "endpointstats");
  ASSERT_NE(stats, nullptr);
  EXPECT_EQ(stats->timeouts, 1u);
  EXPECT_EQ(stats->hung, 1u);
  EXPECT_EQ(stats->count, 7u + 6u + 6u) << "the hung call is observed only when it returns";
  ASSERT_NE(Find(durations, "endpoints"), nullptr);
  EXPECT_EQ(Find(durations, "endpoints")->count, 3u);

  hns->Release();
  for (int i = 0; i < 200 && hns->durations().Snapshot().size() > 0 &&
                  Find(hns->durations().Snapshot(), "endpointstats")->count < 20;
       ++i) {
    std::this_thread::sleep_for(milliseconds(5));
  }
  auto fourth = reader();
  ASSERT_TRUE(fourth.ok());
  EXPECT_TRUE((*fourth)->item_errors.empty());
  EXPECT_GT(BytesReceived(**fourth).at(hung_id), before.at(hung_id));
}

TEST(HnsBoundedCalls, StatsIntervalLowersTheCalls) {
  auto hns = MakeHns(milliseconds(2000), milliseconds(3600 * 1000));
  HnsReader reader(hns);
  auto first = reader();
  ASSERT_TRUE(first.ok());
  auto second = reader();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(hns->calls(HnsCall::kEndpointStats), 7) << "stats not due again within the interval";
  EXPECT_EQ(hns->calls(HnsCall::kListEndpoints), 2) << "the inventory is read every poll";
  EXPECT_EQ(BytesReceived(**second), BytesReceived(**first));

  auto every_poll = MakeHns(milliseconds(2000), milliseconds(0));
  HnsReader eager(every_poll);
  ASSERT_TRUE(eager().ok());
  ASSERT_TRUE(eager().ok());
  EXPECT_EQ(every_poll->calls(HnsCall::kEndpointStats), 14);
}

}  // namespace
}  // namespace winnet
