// The Windows file reader and live sources (run under Wine in CI).
// clang-format off
#include <windows.h>
// clang-format on

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "collectors/adapters/adapter_source.h"
#include "collectors/cni/cni_source.h"
#include "collectors/common/file_io.h"
#include "collectors/common/win32_text_windows.h"
#include "collectors/hns/hns_source.h"
#include "collectors/ipam/ipam_source.h"
#include "collectors/registry.h"
#include "tests/temp_dir.h"

namespace winnet {
namespace {

namespace fs = std::filesystem;

class WinFileTest : public ::testing::Test {
 protected:
  testing::TempDir tmp_;  // one per test: tests run in parallel under ctest -j
  fs::path dir_ = tmp_.path();
};

TEST_F(WinFileTest, MissingFileIsNoState) {
  auto r = ReadWholeFile((dir_ / "azure-vnet.json").string());
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_FALSE(r->has_value());
  auto in_missing_dir = ReadWholeFile((dir_ / "nope" / "azure-vnet.json").string());
  ASSERT_TRUE(in_missing_dir.ok()) << in_missing_dir.error();
  EXPECT_FALSE(in_missing_dir->has_value());
}

TEST_F(WinFileTest, ReadsBytesExactly) {
  std::string bytes = "{\r\n\t\"a\": 1\r\n}\0tail";
  bytes += std::string(200000, 'x');
  std::ofstream(dir_ / "f.json", std::ios::binary) << bytes;
  auto r = ReadWholeFile((dir_ / "f.json").string());
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ(**r, bytes);
}

TEST_F(WinFileTest, DirectoryAndOversizeAreErrors) {
  auto d = ReadWholeFile(dir_.string());
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.error().find("is a directory"), std::string::npos) << d.error();
  std::ofstream(dir_ / "big.json", std::ios::binary) << std::string(1000, 'x');
  auto big = ReadWholeFile((dir_ / "big.json").string(), 999);
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.error().find("over the limit of 999 bytes"), std::string::npos) << big.error();
  auto exact = ReadWholeFile((dir_ / "big.json").string(), 1000);
  ASSERT_TRUE(exact.ok()) << exact.error();
}

// The CNI holds its own handles and replaces the file with MoveFileExW: we
// must read while others have it open, and hold no handle afterwards.
TEST_F(WinFileTest, SharesWithWritersAndLeavesNoHandle) {
  const std::wstring target = (dir_ / "azure-vnet.json").wstring();
  std::ofstream(dir_ / "azure-vnet.json", std::ios::binary) << "old";
  HANDLE writer = CreateFileW(target.c_str(), GENERIC_READ | GENERIC_WRITE,
                              FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                              OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
  ASSERT_NE(writer, INVALID_HANDLE_VALUE);
  auto r = ReadWholeFile((dir_ / "azure-vnet.json").string());
  CloseHandle(writer);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(**r, "old");

  // The writer's replace (store/json.go) succeeds right after our read.
  std::ofstream(dir_ / "azure-vnet.json123", std::ios::binary) << "new";
  ASSERT_TRUE(ReadWholeFile((dir_ / "azure-vnet.json").string()).ok());
  ASSERT_TRUE(MoveFileExW((dir_ / "azure-vnet.json123").wstring().c_str(), target.c_str(),
                          MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
      << GetLastError();
  EXPECT_EQ(**ReadWholeFile((dir_ / "azure-vnet.json").string()), "new");
}

TEST_F(WinFileTest, Utf8PathsReachTheWideApi) {
  const fs::path p = dir_ / L"\u00e9tat-\u0434.json";
  std::ofstream(p, std::ios::binary) << "x";
  const std::u8string u8 = p.u8string();
  auto r = ReadWholeFile(std::string(u8.begin(), u8.end()));
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ(**r, "x");
}

// --cni.lock=shared (docs/state-files.md, "The CNI lock file"): while the CNI holds its lock
// exclusively, the previous read is kept; without a lock file, plain reads.
TEST_F(WinFileTest, SharedLockKeepsThePreviousReadWhileTheCniHoldsItsLock) {
  const fs::path state = dir_ / "azure-vnet-ipam.json";
  const fs::path lock_file = dir_ / "azure-vnet-ipam.lock";
  std::ofstream(state, std::ios::binary) << "one";
  LiveOptions o;
  o.ipam_state_path = state.string();
  o.network_state_path = (dir_ / "azure-vnet.json").string();
  o.adapters = false;
  o.lock_state_files = true;
  SourceSet s = MakeLiveSources(o);
  EXPECT_NE(s.Get(kIpamStateSource)->Where().find("shared lock"), std::string::npos)
      << s.Get(kIpamStateSource)->Where();
  EXPECT_EQ(**s.Get(kIpamStateSource)->Read(), "one");  // no lock file (CNI before v1.4.15)

  std::ofstream(lock_file, std::ios::binary) << "4242";
  HANDLE cni = CreateFileW(lock_file.wstring().c_str(), GENERIC_READ | GENERIC_WRITE,
                           FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr, OPEN_EXISTING,
                           FILE_ATTRIBUTE_NORMAL, nullptr);
  ASSERT_NE(cni, INVALID_HANDLE_VALUE);
  OVERLAPPED ov{};
  ASSERT_TRUE(LockFileEx(cni, LOCKFILE_EXCLUSIVE_LOCK, 0, MAXDWORD, MAXDWORD, &ov))
      << GetLastError();
  std::ofstream(state, std::ios::binary | std::ios::trunc) << "two";  // mid-invocation
  EXPECT_EQ(**s.Get(kIpamStateSource)->Read(), "one");
  ASSERT_TRUE(UnlockFileEx(cni, 0, MAXDWORD, MAXDWORD, &ov));
  EXPECT_EQ(**s.Get(kIpamStateSource)->Read(), "two");
  // Our lock is released after each read: the CNI locks again at once.
  ASSERT_TRUE(LockFileEx(cni, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, MAXDWORD,
                         MAXDWORD, &ov))
      << GetLastError();
  UnlockFileEx(cni, 0, MAXDWORD, MAXDWORD, &ov);
  CloseHandle(cni);
}

TEST(LiveSources, WindowsDefaultsAndHnsAvailability) {
  EXPECT_STREQ(PlatformName(), "windows");
  EXPECT_EQ(DefaultCniStatePath("azure-vnet-ipam.json"), "C:\\k\\azure-vnet-ipam.json");
  LiveOptions o;
  SourceSet s = MakeLiveSources(o);
  ASSERT_NE(s.Get(kIpamStateSource), nullptr);
  ASSERT_NE(s.Get(kNetworkStateSource), nullptr);
  EXPECT_NE(s.Get(kIpamStateSource)->Where().find("azure-vnet-ipam.json"), std::string::npos);
  ASSERT_NE(s.Get(kAdaptersSource), nullptr);
  HMODULE vmcompute = LoadLibraryExW(L"vmcompute.dll", nullptr, LOAD_LIBRARY_SEARCH_SYSTEM32);
  if (vmcompute == nullptr) {
    // Wine, or Windows without the Containers feature.
    EXPECT_EQ(s.Get(kHnsSource), nullptr);
    EXPECT_NE(s.Unavailable("hns").find("vmcompute.dll cannot be loaded from System32"),
              std::string::npos)
        << s.Unavailable("hns");
  } else if (GetProcAddress(vmcompute, "HNSCall") != nullptr) {
    EXPECT_NE(s.Get(kHnsSource), nullptr);
  }

  o.ipam_state_path = "D:\\state\\ipam.json";
  o.adapters = false;
  SourceSet t = MakeLiveSources(o);
  EXPECT_EQ(t.Get(kIpamStateSource)->Where(), "D:\\state\\ipam.json");
  EXPECT_EQ(t.Get(kAdaptersSource), nullptr);
  EXPECT_NE(t.Unavailable("adapters").find("--source.adapters=none"), std::string::npos);
}

// The state directory is chosen when a file first appears; the source's
// Where() (shown in /healthz) follows, instead of "(none there yet)" forever.
TEST(LiveSources, StateFileWhereFollowsTheDirectoryChosenLater) {
  const std::filesystem::path dir = "C:\\k";
  std::error_code ec;
  const bool had_dir = std::filesystem::exists(dir, ec);
  if (std::filesystem::exists(dir / "azure-vnet-ipam.json", ec) ||
      std::filesystem::exists(dir / "azure-vnet.json", ec)) {
    GTEST_SKIP() << "C:\\k already holds CNI state files";
  }
  LiveOptions o;
  o.adapters = false;
  SourceSet s = MakeLiveSources(o);
  FileSource* ipam = s.Get(kIpamStateSource);
  ASSERT_NE(ipam, nullptr);
  if (ipam->Where().find("(none there yet)") == std::string::npos) {
    GTEST_SKIP() << "a state file exists in System32: " << ipam->Where();
  }
  std::filesystem::create_directories(dir, ec);
  std::ofstream(dir / "azure-vnet-ipam.json", std::ios::binary) << "{}";
  ASSERT_TRUE(ipam->Read().ok());
  EXPECT_EQ(ipam->Where(), "C:\\k\\azure-vnet-ipam.json");
  std::filesystem::remove(dir / "azure-vnet-ipam.json", ec);
  if (!had_dir) std::filesystem::remove(dir, ec);
}

// HNS answers are UTF-16; their size is checked before they are converted.
TEST(Win32Text, NarrowBoundedRefusesBeforeConverting) {
  auto ok = win32::NarrowBounded(L"ab\u00e4", 4);  // 4 bytes in UTF-8
  ASSERT_TRUE(ok.ok()) << ok.error();
  EXPECT_EQ(*ok, "ab\xc3\xa4");
  auto over = win32::NarrowBounded(L"ab\u00e4", 3);
  ASSERT_FALSE(over.ok());
  EXPECT_NE(over.error().find("over the limit of 3 bytes"), std::string::npos) << over.error();
  const std::wstring huge(1 << 20, L'x');
  auto refused = win32::NarrowBounded(huge.c_str(), 1000);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().find("over 1000 bytes"), std::string::npos) << refused.error();
}

}  // namespace
}  // namespace winnet
