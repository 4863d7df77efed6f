// Helpers shared by the unit tests.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace winnet::testing {

inline std::string SourceDir() { return WINNET_SOURCE_DIR; }
inline std::string RealSamplesDir() { return WINNET_REAL_SAMPLES_DIR; }
inline std::string FixtureDir() { return SourceDir() + "/tests/fixtures"; }
inline std::string ExampleDir() { return SourceDir() + "/examples/aks-windows-node"; }

inline std::string ReadFileOrDie(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string Fixture(const std::string& name) {
  return ReadFileOrDie(FixtureDir() + "/" + name);
}

}  // namespace winnet::testing
