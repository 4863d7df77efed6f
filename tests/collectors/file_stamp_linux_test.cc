// Settled file stamps on Linux (docs/architecture.md, "Unchanged files are
// not read"): a file last changed over a second ago has a stamp; any rewrite,
// even of the same size with its modification time put back, changes it.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

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
  EXPECT_EQ(**reader(), "one");
  EXPECT_EQ(**reader(), "one");
  const auto modified = fs::last_write_time(path);
  testing::WriteInPlace(path, "two");
  fs::last_write_time(path, modified);
  EXPECT_EQ(**reader(), "two");
}

}  // namespace
}  // namespace winnet
