// Files that did not change are not read again (docs/architecture.md,
// "Unchanged files are not read"): a state file's reader and the HNS
// reader of a replay skip a read while the file's settled stamp is the one
// taken before their last read, and read again when it changes or is unknown.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "collectors/adapters/adapter_source.h"
#include "collectors/common/file_backed_source.h"
#include "collectors/common/netaddr.h"
#include "collectors/hns/hns_reader.h"
#include "collectors/hns/hns_source.h"
#include "tests/temp_dir.h"
#include "tests/test_util.h"

namespace winnet {
namespace {

FileStamp StampNumber(uint64_t n) { return FileStamp{1, n, 10, 1000, 1000}; }

// A state file whose text and stamp the test sets; counts its reads.
class StampedFile : public FileSource {
 public:
  Result<std::optional<std::string>> Read() override {
    ++reads;
    return std::optional<std::string>(text);
  }
  std::string Where() const override { return "stamped file"; }
  std::optional<FileStamp> Stamp() const override { return stamp; }

  std::string text;
  std::optional<FileStamp> stamp;
  int reads = 0;
};

Result<std::string> ParseText(std::string_view text, std::string_view) { return std::string(text); }

TEST(UnchangedFiles, AStateFileWithTheSameSettledStampIsNotReadAgain) {
  auto file = std::make_shared<StampedFile>();
  CachedFileReader<std::string> reader(file, ParseText);
  file->text = "one";
  file->stamp = StampNumber(1);
  auto first = reader();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(**first, "one");
  auto again = reader();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(file->reads, 1) << "same stamp: not read";
  EXPECT_EQ(again->get(), first->get()) << "the same result is handed on";

  file->text = "two";
  file->stamp = StampNumber(2);
  EXPECT_EQ(**reader(), "two");
  EXPECT_EQ(file->reads, 2) << "a new stamp is read";

  file->stamp.reset();  // changed just now, or no stamps on this platform
  EXPECT_EQ(**reader(), "two");
  EXPECT_EQ(**reader(), "two");
  EXPECT_EQ(file->reads, 4) << "no stamp: read every time";

  file->stamp = StampNumber(2);  // settled again: read once, then trusted
  reader();
  reader();
  EXPECT_EQ(file->reads, 5);
}

TEST(UnchangedFiles, AFailedReadIsNotTrusted) {
  auto file = std::make_shared<StampedFile>();
  CachedFileReader<std::string> reader(file, [](std::string_view text, std::string_view) {
    return text == "bad" ? Result<std::string>(MakeError("bad text")) : std::string(text);
  });
  file->text = "good";
  file->stamp = StampNumber(1);
  ASSERT_TRUE(reader().ok());
  file->text = "bad";
  file->stamp = StampNumber(2);
  EXPECT_FALSE(reader().ok());
  EXPECT_FALSE(reader().ok()) << "the error stays; the last good text is not handed on";
  EXPECT_EQ(file->reads, 3) << "a stamp whose read failed is read again";
}

TEST(UnchangedFiles, AFileChangedJustNowHasNoSettledStampAndAMissingOneTheStampOfNoFile) {
  testing::TempDir tmp;
  testing::WriteInPlace(tmp / "state.json", "{}");
  EXPECT_FALSE(SettledStampOf(tmp / "state.json").has_value());
  const auto missing = SettledStampOf(tmp / "missing.json");
  EXPECT_TRUE(!missing || *missing == kNoFileStamp) << "nothing there (no stamps on Windows)";
  EXPECT_FALSE(SettledStampOf(tmp.path()).has_value()) << "a directory";
}

// The example capture's HNS with a stamp per answer that the test sets;
// counts the answers asked for.
class StampedHns : public HnsClient {
 public:
  StampedHns() : replay_(MakeReplayHnsClient(testing::ExampleDir())) {}
  Result<std::optional<std::string>> Get(const HnsRequest& request) override {
    ++calls[request.call];
    auto it = answers.find(CapturePath(request));
    if (it != answers.end()) return std::optional<std::string>(it->second);
    return replay_->Get(request);
  }
  std::string Where() const override { return "stamped HNS"; }
  std::optional<FileStamp> AnswerStamp(const HnsRequest& request) const override {
    auto it = stamps.find(CapturePath(request));
    if (it == stamps.end()) return std::nullopt;
    return it->second;
  }
  // The poller's quick look: the same stamps, while the test says so.
  std::optional<FileStamp> ListStampIfQuick(HnsCall list) const override {
    return quick ? AnswerStamp({list, {}}) : std::nullopt;
  }
  bool StatsStampsHoldIfQuick() const override { return quick && stats_hold; }
  void StampAll(uint64_t n) {
    stamps.clear();
    for (auto call : {HnsCall::kListEndpoints, HnsCall::kListNetworks, HnsCall::kListPolicyLists}) {
      stamps[CapturePath({call, {}})] = StampNumber(n);
    }
    auto text = replay_->Get({HnsCall::kListEndpoints, {}});
    ASSERT_TRUE(text.ok() && text->has_value());
    auto endpoints = ParseHnsEndpoints(**text, "endpoints");
    ASSERT_TRUE(endpoints.ok());
    for (const HnsEndpoint& e : *endpoints) {
      if (!e.remote) stamps[CapturePath({HnsCall::kEndpointStats, e.raw_id})] = StampNumber(n);
    }
  }
  int Calls() {
    int n = 0;
    for (auto& [call, c] : calls) n += c;
    calls.clear();
    return n;
  }

  std::map<HnsCall, int> calls;
  std::map<std::string, FileStamp> stamps;
  bool quick = true, stats_hold = true;
  std::map<std::string, std::string> answers;  // by capture path, instead of the example's

 private:
  std::unique_ptr<HnsClient> replay_;
};

TEST(UnchangedFiles, HnsAnswersWithTheSameSettledStampAreNotAskedAgain) {
  auto hns = std::make_shared<StampedHns>();
  hns->StampAll(1);
  HnsReader reader(hns);
  auto first = reader();
  ASSERT_TRUE(first.ok()) << first.error();
  ASSERT_EQ((*first)->stats.size(), 7u);
  EXPECT_EQ(hns->calls[HnsCall::kListEndpoints], 1);
  EXPECT_EQ(hns->calls[HnsCall::kEndpointStats], 7);
  hns->Calls();

  auto second = reader();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(hns->Calls(), 0) << "nothing changed: nothing read";
  EXPECT_EQ(second->get(), first->get()) << "the same result is handed on";

  // One stats answer changes: only it is asked for.
  auto changed = hns->stamps.begin();
  while (changed->first.find("endpointstats") == std::string::npos) ++changed;
  changed->second = StampNumber(2);
  ASSERT_TRUE(reader().ok());
  EXPECT_EQ(hns->calls[HnsCall::kEndpointStats], 1);
  EXPECT_EQ(hns->Calls(), 1);

  // The endpoint list changes: the three lists are read, not the stats.
  hns->stamps[CapturePath({HnsCall::kListEndpoints, {}})] = StampNumber(3);
  ASSERT_TRUE(reader().ok());
  EXPECT_EQ(hns->calls[HnsCall::kListEndpoints], 1);
  EXPECT_EQ(hns->calls[HnsCall::kListNetworks], 1);
  EXPECT_EQ(hns->calls[HnsCall::kEndpointStats], 0);
  hns->Calls();

  // Without stamps (a live HNS, or files that just changed) everything is read.
  hns->stamps.clear();
  auto unstamped = reader();
  ASSERT_TRUE(unstamped.ok());
  EXPECT_EQ(hns->calls[HnsCall::kEndpointStats], 7);
  EXPECT_EQ(hns->calls[HnsCall::kListEndpoints], 1);
  EXPECT_EQ((*unstamped)->stats, (*first)->stats);
}

// The poller's look without the worker (docs/architecture.md, "Unchanged
// without a hand-off"): the last result while every stamp holds and the last
// round had nothing to try again; nothing when it cannot tell.
TEST(UnchangedFiles, HnsIsKnownUnchangedWithoutAReadWhileEveryStampHolds) {
  auto hns = std::make_shared<StampedHns>();
  hns->StampAll(1);
  HnsReader reader(hns);
  EXPECT_EQ(reader.LastIfUnchanged(), nullptr) << "nothing read yet";
  auto first = reader();
  ASSERT_TRUE(first.ok()) << first.error();
  hns->Calls();
  EXPECT_EQ(reader.LastIfUnchanged(), *first);
  EXPECT_EQ(hns->Calls(), 0);

  hns->stats_hold = false;  // some stats file was written
  EXPECT_EQ(reader.LastIfUnchanged(), nullptr);
  hns->stats_hold = true;
  hns->stamps[CapturePath({HnsCall::kListNetworks, {}})] = StampNumber(2);
  EXPECT_EQ(reader.LastIfUnchanged(), nullptr) << "a list changed";
  ASSERT_TRUE(reader().ok());
  EXPECT_NE(reader.LastIfUnchanged(), nullptr) << "read again: known again";
  hns->quick = false;  // a network file system, or a live HNS
  EXPECT_EQ(reader.LastIfUnchanged(), nullptr);
  hns->quick = true;

  // A stats answer that failed is asked again by the worker, not skipped.
  const std::string id = "2CCD5F71-12FC-4E59-B1E9-F4FD46B1F9D2";
  const std::string path = CapturePath({HnsCall::kEndpointStats, id});
  hns->answers[path] = "not json";
  hns->stamps[path] = StampNumber(3);
  auto failed = reader();
  ASSERT_TRUE(failed.ok());
  ASSERT_EQ((*failed)->item_errors.size(), 1u);
  EXPECT_EQ(reader.LastIfUnchanged(), nullptr);

  // A stats answer without a stamp (changed just now) is never known unchanged.
  hns->answers.erase(path);
  hns->stamps.erase(path);
  ASSERT_TRUE(reader().ok());
  EXPECT_EQ(reader.LastIfUnchanged(), nullptr);
  hns->stamps[path] = StampNumber(4);
  ASSERT_TRUE(reader().ok());
  EXPECT_NE(reader.LastIfUnchanged(), nullptr);
}

// With --hns.stats-interval longer than the poll, a round that skipped an
// endpoint as not due did not look at its stamp: until a round looks at them
// all again, only the worker may tell.
TEST(UnchangedFiles, HnsIsNotKnownUnchangedAfterARoundThatSkippedAnEndpoint) {
  auto hns = std::make_shared<StampedHns>();
  hns->StampAll(1);
  HnsCallLimits limits = hns->limits();
  limits.stats_interval = std::chrono::hours(1);
  hns->set_limits(limits);
  HnsReader reader(hns);
  auto first = reader();
  ASSERT_TRUE(first.ok()) << first.error();
  EXPECT_EQ(reader.LastIfUnchanged(), *first) << "every stamp looked at";
  hns->stats_hold = false;  // a stats file was written: the poller's look fails
  EXPECT_EQ(reader.LastIfUnchanged(), nullptr);
  ASSERT_TRUE(reader().ok());  // the worker's round: every endpoint not due yet
  hns->stats_hold = true;      // no event since
  EXPECT_EQ(reader.LastIfUnchanged(), nullptr) << "the skipped stamps were not looked at";
}

std::vector<AdapterRow> OneAdapter() {
  AdapterRow row;
  row.alias = "vEthernet (a)";
  row.in_octets = 1;
  return {row};
}

// A stats answer that changed under a new stamp gives a new result with its
// counters; the same answer under a new stamp hands on the last result.
TEST(UnchangedFiles, ChangedStatsGiveANewResultAndTheSameStatsTheLastOne) {
  auto hns = std::make_shared<StampedHns>();
  hns->StampAll(1);
  HnsReader reader(hns);
  auto first = reader();
  ASSERT_TRUE(first.ok()) << first.error();
  const std::string id = "2CCD5F71-12FC-4E59-B1E9-F4FD46B1F9D2";
  const std::string path = CapturePath({HnsCall::kEndpointStats, id});
  hns->Calls();
  hns->stamps[path] = StampNumber(2);
  auto same = reader();
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(hns->calls[HnsCall::kEndpointStats], 1) << "read again";
  EXPECT_EQ(same->get(), first->get()) << "the same stats: the last result";

  hns->answers[path] = R"({"Output":{"BytesReceived":5,"BytesSent":6,"DroppedPacketsIncoming":0,)"
                       R"("DroppedPacketsOutgoing":0,"EndpointId":")" +
                       id + R"(","PacketsReceived":1,"PacketsSent":1},"Success":true})";
  hns->stamps[path] = StampNumber(3);
  auto changed = reader();
  ASSERT_TRUE(changed.ok());
  EXPECT_NE(changed->get(), first->get());
  EXPECT_THAT((*changed)->item_errors, ::testing::IsEmpty());
  bool found = false;
  for (const auto& [endpoint, stats] : (*changed)->stats) {
    if (endpoint != NormalizeGuid(id)) continue;
    found = true;
    EXPECT_EQ(stats.bytes_received, 5u);
  }
  EXPECT_TRUE(found);
}

// An interface table whose "unchanged" the test sets; counts its lists.
class CountedAdapters : public AdapterSource {
 public:
  Result<std::vector<AdapterRow>> List() override {
    ++lists;
    return rows;
  }
  bool Unchanged() const override { return unchanged; }
  std::string Where() const override { return "counted adapters"; }

  std::vector<AdapterRow> rows = OneAdapter();
  bool unchanged = false;
  int lists = 0;
};

TEST(UnchangedFiles, AnUnchangedAdapterTableIsNotListedAgain) {
  auto table = std::make_shared<CountedAdapters>();
  auto reader = AdaptersRegistration().MakeReader(table);
  auto first = reader->Read();
  ASSERT_TRUE(first.ok()) << first.error();
  table->unchanged = true;
  auto again = reader->Read();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(table->lists, 1) << "unchanged: not listed";
  EXPECT_EQ(again->get(), first->get()) << "the same rows are handed on";

  table->unchanged = false;
  table->rows[0].in_octets = 2;
  auto changed = reader->Read();
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(table->lists, 2);
  EXPECT_NE(changed->get(), first->get());
}

}  // namespace
}  // namespace winnet
