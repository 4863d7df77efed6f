// A temporary directory removed at scope exit, and the ways a state file gets
// written: atomically (temp file + rename, as Azure CNI does) or in place.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <string_view>

namespace winnet::testing {

class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    for (int i = 0; i < 100 && path_.empty(); ++i) {
      auto p = std::filesystem::temp_directory_path() / ("winnet_test_" + std::to_string(rd()));
      std::error_code ec;
      if (std::filesystem::create_directory(p, ec)) path_ = p.generic_string();
    }
    EXPECT_FALSE(path_.empty()) << "cannot create a temporary directory";
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string operator/(std::string_view name) const { return path_ + "/" + std::string(name); }

 private:
  std::string path_;
};

// Truncates and writes in place (what old CNI versions did).
inline void WriteInPlace(const std::string& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

// Writes a temp file beside `path` and renames it over (Azure CNI's way).
inline void WriteAtomically(const std::string& path, std::string_view text) {
  std::string tmp = path + ".tmp";
  WriteInPlace(tmp, text);
  std::filesystem::rename(tmp, path);
}

// A copy of a capture directory the test may change.
inline void CopyTree(const std::string& from, const std::string& to) {
  std::filesystem::copy(
      from, to,
      std::filesystem::copy_options::recursive | std::filesystem::copy_options::overwrite_existing);
}

}  // namespace winnet::testing
