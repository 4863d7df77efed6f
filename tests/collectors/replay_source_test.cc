#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "collectors/adapters/adapter_source.h"
#include "collectors/cni/cni_source.h"
#include "collectors/hns/hns_source.h"
#include "collectors/ipam/ipam_source.h"
#include "collectors/registry.h"
#include "tests/temp_dir.h"
#include "tests/test_util.h"

namespace winnet {
namespace {

namespace fs = std::filesystem;

TEST(Replay, ReadsTheExampleCapture) {
  auto s = MakeReplaySources(testing::ExampleDir());
  ASSERT_TRUE(s.ok()) << s.error();
  ASSERT_TRUE(s->Get(kIpamStateSource) && s->Get(kNetworkStateSource) && s->Get(kHnsSource) &&
              s->Get(kAdaptersSource));
  auto ipam = s->Get(kIpamStateSource)->Read();
  ASSERT_TRUE(ipam.ok());
  ASSERT_TRUE(ipam->has_value());
  auto eps = s->Get(kHnsSource)->List(HnsCall::kListEndpoints);
  ASSERT_TRUE(eps.ok());
  EXPECT_TRUE(eps->has_value());
  auto rows = s->Get(kAdaptersSource)->List();
  ASSERT_TRUE(rows.ok()) << rows.error();
  EXPECT_GT(rows->size(), 4u);
}

TEST(Replay, MissingDirectoryIsAClearError) {
  auto s = MakeReplaySources("/nonexistent/capture");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().find("--source.replay: \"/nonexistent/capture\" is not a directory"),
            std::string::npos);
}

TEST(Replay, AbsentFilesAndMissingPartsAreReported) {
  testing::TempDir tmp;
  const fs::path dir = tmp.path();
  auto s = MakeReplaySources(dir.string());
  ASSERT_TRUE(s.ok());
  auto ipam = s->Get(kIpamStateSource)->Read();
  ASSERT_TRUE(ipam.ok());
  EXPECT_FALSE(ipam->has_value());  // absent: no IPAM state, not an error
  EXPECT_EQ(s->Get(kHnsSource), nullptr);
  EXPECT_NE(s->Unavailable("hns").find("no hns/"), std::string::npos);
  EXPECT_EQ(s->Get(kAdaptersSource), nullptr);
}

TEST(Replay, RejectsPathTraversalInEndpointIds) {
  auto s = MakeReplaySources(testing::ExampleDir());
  ASSERT_TRUE(s.ok());
  HnsClient& hns = *s->Get(kHnsSource);
  EXPECT_FALSE(hns.EndpointStats("../../etc/passwd").ok());
  for (const char* bad : {"", ".."}) EXPECT_FALSE(hns.EndpointStats(bad).ok()) << bad;
  for (const char* bad : {"..", "a\\b", "C:x", ""}) EXPECT_FALSE(hns.HcnEndpoint(bad).ok()) << bad;
  // Only the table's calls have a capture file.
  EXPECT_FALSE(RequestForV1Path("/globals/version").has_value());
  EXPECT_FALSE(RequestForV1Path("/endpointstats/../x").has_value());
  ASSERT_TRUE(RequestForV1Path("/endpointstats/ab.c").has_value());
  EXPECT_EQ(CapturePath(*RequestForV1Path("/endpointstats/ab.c")), "hns/endpointstats/ab.c.json");
  EXPECT_EQ(CapturePath(*RequestForV1Path("/networks")), "hns/networks.json");
  EXPECT_EQ(CapturePath({HnsCall::kHcnEndpoint, "E1"}), "hcn/endpoints/E1.json");
}

TEST(Replay, ChangedFileShowsOnNextRead) {
  testing::TempDir tmp;
  const fs::path dir = tmp.path();
  auto s = MakeReplaySources(dir.string());
  ASSERT_TRUE(s.ok());
  std::ofstream(dir / "azure-vnet-ipam.json") << "one";
  EXPECT_EQ(**s->Get(kIpamStateSource)->Read(), "one");
  std::ofstream(dir / "azure-vnet-ipam.json") << "two";
  EXPECT_EQ(**s->Get(kIpamStateSource)->Read(), "two");
}

}  // namespace
}  // namespace winnet
