// Settled file stamps on Linux (docs/architecture.md, "Unchanged files are
// not read"): a file last changed over a second ago has a stamp; any rewrite,
// even of the same size with its modification time put back, changes it.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>
#include <vector>

#include "collectors/adapters/adapter_source.h"
#include "collectors/adapters/adapters.h"
#include "collectors/common/file_backed_source.h"
#include "tests/temp_dir.h"

namespace winnet {
namespace {

namespace fs = std::filesystem;

void SetModifiedAgo(const std::string& path, std::chrono::seconds ago) {
  fs::last_write_time(path, fs::file_time_type::clock::now() - ago);
}

TEST(FileStamp, AFileChangedOverASecondAgoHasAStampThatEveryRewriteChanges) {
  testing::TempDir tmp;
  const std::string path = tmp / "azure-vnet.json";
  testing::WriteInPlace(path, "one");
  EXPECT_FALSE(SettledStampOf(path).has_value()) << "written just now";
  SetModifiedAgo(path, std::chrono::seconds(10));
  // The status-change time moved with the modification time set above.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  const auto settled = SettledStampOf(path);
  ASSERT_TRUE(settled.has_value());
  EXPECT_EQ(settled, SettledStampOf(path));
  EXPECT_EQ(settled->size, 3u);

  // The same size, the modification time put back: the change time tells.
  const auto modified = fs::last_write_time(path);
  testing::WriteInPlace(path, "two");
  fs::last_write_time(path, modified);
  EXPECT_NE(SettledStampOf(path), settled);
}

TEST(FileStamp, AStateFileRewrittenInPlaceIsReadAgain) {
  testing::TempDir tmp;
  const std::string path = tmp / "azure-vnet.json";
  testing::WriteInPlace(path, "one");
  SetModifiedAgo(path, std::chrono::seconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  CachedFileReader<std::string> reader(
      MakePathFileSource(path),
      [](std::string_view t, std::string_view) -> Result<std::string> { return std::string(t); });
  EXPECT_EQ(reader.LastIfUnchanged(), nullptr) << "nothing read yet";
  EXPECT_EQ(**reader(), "one");
  EXPECT_EQ(**reader(), "one");
  const auto modified = fs::last_write_time(path);
  testing::WriteInPlace(path, "two");
  fs::last_write_time(path, modified);
  EXPECT_EQ(**reader(), "two");
}

// The poller's check on its own thread (docs/architecture.md, "Unchanged
// without a hand-off"): the last result while the file's stamp holds, on a
// file system of this machine only.
TEST(FileStamp, AStateFileIsKnownUnchangedWithoutAReadWhileItsStampHolds) {
  testing::TempDir tmp;
  const std::string path = tmp / "azure-vnet.json";
  testing::WriteInPlace(path, "one");
  SetModifiedAgo(path, std::chrono::seconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  auto file = std::shared_ptr<FileSource>(MakePathFileSource(path));
  EXPECT_FALSE(file->StampIfQuick().has_value()) << "its file system not told yet";
  CachedFileReader<std::string> reader(
      file,
      [](std::string_view t, std::string_view) -> Result<std::string> { return std::string(t); });
  auto first = reader();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(file->StampIfQuick(), file->Stamp()) << "a temporary directory is local";
  EXPECT_EQ(reader.LastIfUnchanged(), *first);

  const auto modified = fs::last_write_time(path);
  testing::WriteInPlace(path, "two");
  fs::last_write_time(path, modified);
  EXPECT_EQ(reader.LastIfUnchanged(), nullptr) << "rewritten: the worker reads it";
  EXPECT_EQ(**reader(), "two");
  fs::remove(path);
  EXPECT_EQ(reader.LastIfUnchanged(), nullptr) << "gone: the worker tells";
  EXPECT_EQ(reader()->get()->size(), 0u) << "no file: empty";
  EXPECT_EQ(file->StampIfQuick(), kNoFileStamp);
  EXPECT_EQ(reader.LastIfUnchanged(), *reader()) << "still missing: known without a read";
  testing::WriteInPlace(path, "three");
  EXPECT_EQ(reader.LastIfUnchanged(), nullptr) << "there again";
}

TEST(FileStamp, AMissingStateFileIsKnownUnchangedOnceItsDirectoryIsSeen) {
  testing::TempDir tmp;
  auto file = std::shared_ptr<FileSource>(MakePathFileSource(tmp / "azure-cns.json"));
  CachedFileReader<std::string> reader(
      file,
      [](std::string_view t, std::string_view) -> Result<std::string> { return std::string(t); });
  auto first = reader();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(reader.LastIfUnchanged(), *first) << "absent before and now";

  auto nowhere = MakePathFileSource(tmp / "no-such-dir/azure-cns.json");
  EXPECT_EQ(nowhere->Stamp(), kNoFileStamp);
  EXPECT_FALSE(nowhere->StampIfQuick().has_value()) << "its file system cannot be told";
}

// A state file that is a symbolic link is stamped by the worker (which
// follows it), never on the poller's thread: the link could lead onto a
// network file system.
TEST(FileStamp, AStateFileThatIsALinkIsOnlyStampedByTheWorker) {
  testing::TempDir tmp;
  testing::WriteInPlace(tmp / "real.json", "one");
  fs::create_symlink(tmp / "real.json", tmp / "azure-vnet.json");
  SetModifiedAgo(tmp / "real.json", std::chrono::seconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  auto file = std::shared_ptr<FileSource>(MakePathFileSource(tmp / "azure-vnet.json"));
  CachedFileReader<std::string> reader(
      file,
      [](std::string_view t, std::string_view) -> Result<std::string> { return std::string(t); });
  EXPECT_EQ(**reader(), "one");
  ASSERT_TRUE(file->Stamp().has_value()) << "the worker follows the link";
  EXPECT_FALSE(file->StampIfQuick().has_value());
  EXPECT_EQ(reader.LastIfUnchanged(), nullptr);
  EXPECT_FALSE(SettledStampOfNoLink(tmp / "azure-vnet.json").has_value());
  EXPECT_EQ(SettledStampOfNoLink(tmp / "real.json"), SettledStampOf(tmp / "real.json"));
}

TEST(FileStamp, ThePathOfAFileSystemTellsWhetherItIsLocal) {
  testing::TempDir tmp;
  EXPECT_EQ(FileSystemOf(tmp / ""), FileSystemKind::kLocal);
  EXPECT_EQ(FileSystemOf(tmp / "missing/azure-vnet.json"), FileSystemKind::kUnknown);
}

TEST(FileStamp, ACaptureAdapterTableIsUnchangedUntilItsFileIsRewritten) {
  testing::TempDir tmp;
  const std::string path = tmp / "adapters.json";
  std::vector<AdapterRow> rows(1);
  rows[0].alias = "vEthernet (a)";
  rows[0].in_octets = 1;
  testing::WriteInPlace(path, AdaptersToJson(rows));
  SetModifiedAgo(path, std::chrono::seconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  auto table = MakeAdaptersFileSource(path);
  EXPECT_FALSE(table->Unchanged()) << "not listed yet";
  EXPECT_FALSE(table->UnchangedIfQuick());
  ASSERT_TRUE(table->List().ok());
  EXPECT_TRUE(table->Unchanged());
  EXPECT_TRUE(table->UnchangedIfQuick());
  rows[0].in_octets = 2;
  testing::WriteInPlace(path, AdaptersToJson(rows));
  EXPECT_FALSE(table->Unchanged());
  EXPECT_FALSE(table->UnchangedIfQuick());
  EXPECT_EQ(table->List()->at(0).in_octets, 2u);
}

// A replay's stats directory swapped for another by renames: its stamps come
// from the directory opened at the last Check(), then from the new one.
TEST(FileStamp, AStampedDirectoryFollowsItsPathAtEachCheck) {
  testing::TempDir tmp;
  fs::create_directories(tmp / "a");
  fs::create_directories(tmp / "b");
  testing::WriteInPlace(tmp / "a/x.json", "one");
  testing::WriteInPlace(tmp / "b/x.json", "twotwo");
  SetModifiedAgo(tmp / "a/x.json", std::chrono::seconds(10));
  SetModifiedAgo(tmp / "b/x.json", std::chrono::seconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  const std::string path = tmp / "stats";
  fs::rename(tmp / "a", path);

  StampedDirectory dir(path);
  EXPECT_FALSE(dir.SettledStampOf("x.json").has_value()) << "not checked yet";
  dir.Check();
  ASSERT_TRUE(dir.SettledStampOf("x.json").has_value());
  EXPECT_EQ(dir.SettledStampOf("x.json"), SettledStampOf(path + "/x.json"));
  EXPECT_FALSE(dir.SettledStampOf("missing.json").has_value());
  EXPECT_FALSE(dir.SettledStampOf("../b/x.json").has_value()) << "not one path component";

  fs::rename(path, tmp / "old");
  fs::rename(tmp / "b", path);
  EXPECT_EQ(dir.SettledStampOf("x.json")->size, 3u) << "the open directory until the check";
  dir.Check();
  EXPECT_EQ(dir.SettledStampOf("x.json")->size, 6u);
  EXPECT_EQ(dir.SettledStampOf("x.json"), SettledStampOf(path + "/x.json"));

  fs::remove_all(path);
  dir.Check();
  EXPECT_FALSE(dir.SettledStampOf("x.json").has_value());
}

// A kept stamp holds until an event names its file: a rewrite in place, with
// the modification time put back, shows at the next Check().
TEST(FileStamp, AStampedDirectoryForgetsAStampWhenItsFileIsWritten) {
  testing::TempDir tmp;
  fs::create_directories(tmp / "stats");
  const std::string file = tmp / "stats/x.json";
  testing::WriteInPlace(file, "one");
  SetModifiedAgo(file, std::chrono::seconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  StampedDirectory dir(tmp / "stats");
  dir.Check();
  const auto settled = dir.SettledStampOf("x.json");
  ASSERT_TRUE(settled.has_value());
  dir.Check();
  EXPECT_EQ(dir.SettledStampOf("x.json"), settled) << "nothing happened";

  const auto modified = fs::last_write_time(file);
  testing::WriteInPlace(file, "two");
  fs::last_write_time(file, modified);
  dir.Check();
  EXPECT_NE(dir.SettledStampOf("x.json"), settled);
  EXPECT_EQ(dir.SettledStampOf("x.json"), SettledStampOf(file));
}

// A file changed within the settle time is stat'ed once, and not again until
// its stamp can settle, however often it is written or replaced meanwhile (a
// replay's stats rewritten every cycle): until then it has no stamp.
TEST(FileStamp, AStampedDirectoryStatsAFreshFileOnceUntilItCanSettle) {
  testing::TempDir tmp;
  fs::create_directories(tmp / "stats");
  const std::string file = tmp / "stats/x.json";
  testing::WriteInPlace(file, "one");
  StampedDirectory dir(tmp / "stats");
  dir.Check();
  EXPECT_FALSE(dir.SettledStampOf("x.json").has_value());
  EXPECT_EQ(dir.stats_taken(), 1u);
  testing::WriteInPlace(file, "two");
  dir.Check();
  EXPECT_FALSE(dir.SettledStampOf("x.json").has_value());
  EXPECT_EQ(dir.stats_taken(), 1u) << "within the settle time of the first look";
  testing::WriteInPlace(tmp / "stats/y.tmp", "three");
  fs::rename(tmp / "stats/y.tmp", file);
  dir.Check();
  EXPECT_FALSE(dir.SettledStampOf("x.json").has_value());
  EXPECT_EQ(dir.stats_taken(), 1u) << "another file at the name, changed just now too";
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  dir.Check();
  const auto settled = dir.SettledStampOf("x.json");
  EXPECT_EQ(dir.stats_taken(), 2u);
  ASSERT_TRUE(settled.has_value());
  EXPECT_EQ(settled, SettledStampOf(file));
  EXPECT_EQ(settled->size, 5u);
}

// A file rewritten every cycle, as the counters of a busy endpoint are: each
// event moves on the time it can settle, so it is stat'ed once while it keeps
// changing, and once more after it stopped.
TEST(FileStamp, AFileRewrittenEveryCycleIsStatedOnceWhileItKeepsChanging) {
  testing::TempDir tmp;
  fs::create_directories(tmp / "stats");
  const std::string file = tmp / "stats/x.json";
  testing::WriteInPlace(file, "0");
  StampedDirectory dir(tmp / "stats");
  dir.Check();
  EXPECT_FALSE(dir.SettledStampOf("x.json").has_value());
  for (int round = 1; round <= 8; ++round) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    testing::WriteInPlace(tmp / "stats/x.tmp", std::to_string(round));
    fs::rename(tmp / "stats/x.tmp", file);
    dir.Check();
    EXPECT_FALSE(dir.SettledStampOf("x.json").has_value()) << "round " << round;
  }
  EXPECT_EQ(dir.stats_taken(), 1u) << "1.6 s of rewrites, each within 1 s of the one before";
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  dir.Check();
  const auto settled = dir.SettledStampOf("x.json");
  EXPECT_EQ(dir.stats_taken(), 2u);
  ASSERT_TRUE(settled.has_value());
  EXPECT_EQ(settled, SettledStampOf(file));
}

// The reads of a round come from the directory its stamps were taken in: a
// capture swapped in by a rename is read from the next Check() on. Errors
// name the file by its path; a missing file is no file.
TEST(FileStamp, AStampedDirectoryReadsFromTheDirectoryItChecked) {
  testing::TempDir tmp;
  fs::create_directories(tmp / "stats");
  testing::WriteInPlace(tmp / "stats/x.json", "old");
  StampedDirectory dir(tmp / "stats");
  dir.Check();
  fs::create_directories(tmp / "next");
  testing::WriteInPlace(tmp / "next/x.json", "new");
  fs::rename(tmp / "stats", tmp / "gone");
  fs::rename(tmp / "next", tmp / "stats");
  auto text = dir.ReadFile("x.json");
  ASSERT_TRUE(text.ok()) << text.error();
  EXPECT_EQ(text->value_or("(none)"), "old") << "until the next Check()";
  dir.Check();
  text = dir.ReadFile("x.json");
  ASSERT_TRUE(text.ok()) << text.error();
  EXPECT_EQ(text->value_or("(none)"), "new");

  text = dir.ReadFile("missing.json");
  ASSERT_TRUE(text.ok()) << text.error();
  EXPECT_FALSE(text->has_value());
  fs::create_directories(tmp / "stats/sub.json");
  text = dir.ReadFile("sub.json");
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error(), tmp / "stats/sub.json" + ": is a directory, expected a file");
  text = dir.ReadFile("../gone/x.json");
  ASSERT_FALSE(text.ok()) << "read a file outside the directory";
  EXPECT_EQ(text.error(), tmp / "stats/../gone/x.json" + ": not one file name; not read");
  fs::remove_all(tmp / "stats");
  dir.Check();
  text = dir.ReadFile("x.json");
  ASSERT_TRUE(text.ok()) << text.error();
  EXPECT_FALSE(text->has_value()) << "the directory is gone";
}

// Reads on other threads while Check() opens the directory again and again
// (the HNS call threads and the source's worker): each read gives one of the
// two directories' files, whole (run under TSan in CI).
TEST(FileStamp, AStampedDirectoryIsReadFromOtherThreadsWhileItIsChecked) {
  testing::TempDir tmp;
  for (const char* d : {"a", "b"}) {
    fs::create_directories(tmp / d);
    testing::WriteInPlace(tmp / (std::string(d) + "/x.json"), std::string(d) + d + d);
  }
  fs::create_directory_symlink(tmp / "a", tmp / "stats");
  StampedDirectory dir(tmp / "stats");
  dir.Check();
  std::atomic<bool> stop{false};
  std::atomic<int> reads{0}, wrong{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&] {
      while (!stop) {
        auto text = dir.ReadFile("x.json");
        if (!text.ok() || !text->has_value() || (**text != "aaa" && **text != "bbb")) ++wrong;
        ++reads;
      }
    });
  }
  for (int round = 0; round < 200; ++round) {
    fs::remove(tmp / "stats");
    fs::create_directory_symlink(tmp / (round % 2 == 0 ? "b" : "a"), tmp / "stats");
    dir.Check();
  }
  stop = true;
  for (auto& r : readers) r.join();
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace winnet
