// Parses the public real-world samples kept beside the project (never copied
// into it). Complete files are parsed whole; excerpts only back single facts.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <regex>

#include "collectors/cni/cni_state.h"
#include "collectors/common/netaddr.h"
#include "collectors/hns/hns_v1.h"
#include "tests/test_util.h"

namespace winnet {
namespace {

using ::testing::HasSubstr;

class RealSamples : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::is_directory(testing::RealSamplesDir())) {
      GTEST_SKIP() << "real samples not found at " << testing::RealSamplesDir()
                   << " (they live beside the project, not in it)";
    }
  }
  std::string Sample(const std::string& rel) {
    return testing::ReadFileOrDie(testing::RealSamplesDir() + "/" + rel);
  }
};

TEST_F(RealSamples, CompleteLinuxAzureVnetJson) {
  auto r = ParseCniState(Sample("cni/acn-cni-client-testresources-azure-vnet-test.json"),
                         "azure-vnet-test.json");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->version, "v1.2.6");
  ASSERT_EQ(r->endpoints.size(), 2u);
  const CniEndpoint& ms = r->endpoints[0];
  EXPECT_EQ(ms.id, "3f813b02-eth0");
  EXPECT_EQ(ms.pod_name, "metrics-server-77c8679d7d-6ksdh");
  EXPECT_EQ(ms.pod_namespace, "kube-system");
  EXPECT_EQ(ms.host_if_name, "azvd805fb1b0f8");
  EXPECT_EQ(ms.if_name, "azvd805fb1b0f82");  // temp veth name before CNI v1.6
  EXPECT_EQ(ms.ips, std::vector<std::string>{"10.241.0.17"});
  EXPECT_EQ(ms.mac.size(), 17u);
  EXPECT_EQ(r->endpoints[1].pod_name, "tunnelfront-5d96f9b987-65xbn");
}

TEST_F(RealSamples, HnsNetworksResponseWithEnvelope) {
  // Console line-wrapped: joining the lines without a separator restores the JSON.
  std::string text = Sample("hns/hnscall-get-networks-response-wrapped.txt");
  text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());
  text.erase(std::remove(text.begin(), text.end(), '\n'), text.end());
  auto r = ParseHnsNetworks(text, "GET /networks");
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].name, "External");
  EXPECT_EQ((*r)[0].type, "overlay");
  EXPECT_EQ((*r)[0].id, "9b219d6e-6847-43fc-8258-81db4b63c09c");
  EXPECT_EQ((*r)[0].subnets, std::vector<std::string>{"192.168.255.0/30"});
  EXPECT_EQ((*r)[1].name, "nat");
  EXPECT_EQ((*r)[1].subnets, std::vector<std::string>{"172.25.192.0/20"});
}

TEST_F(RealSamples, FlannelRemoteEndpointObject) {
  std::string obj = Sample("hns/flannel-remote-endpoint-v1.json");
  auto r = ParseHnsEndpoints("{\"Success\":true,\"Output\":[" + obj + "]}", "flannel");
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_TRUE((*r)[0].remote);
  EXPECT_EQ((*r)[0].ip, "10.244.2.141");
  EXPECT_EQ((*r)[0].mac, "0e:2a:0a:f4:02:8d");  // mixed case in the capture
  EXPECT_EQ((*r)[0].state, 1);
  EXPECT_EQ((*r)[0].network_name, "vxlan0");
  EXPECT_TRUE((*r)[0].shared_containers.empty());
}

TEST_F(RealSamples, LinuxEndpointFragmentParsesAsAnEndpoint) {
  std::string frag = Sample("cni/vijayrod-k8s-cni-azure_azure-vnet.fragment.txt");
  while (!frag.empty() &&
         (std::isspace(static_cast<unsigned char>(frag.back())) || frag.back() == ',')) {
    frag.pop_back();
  }
  // The excerpt ends with the brace that closed "Endpoints"; drop unmatched ones.
  while (std::count(frag.begin(), frag.end(), '}') > std::count(frag.begin(), frag.end(), '{')) {
    frag.erase(frag.rfind('}'));
    while (!frag.empty() && std::isspace(static_cast<unsigned char>(frag.back()))) frag.pop_back();
  }
  auto r = ParseCniState(
      R"({"Network":{"ExternalInterfaces":{"eth0":{"Networks":{"azure":{"Endpoints":{)" + frag +
          "}}}}}}}",
      "fragment");
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_EQ(r->endpoints.size(), 1u);
  EXPECT_EQ(r->endpoints[0].id, "ee86fb8b-eth0");
  EXPECT_EQ(r->endpoints[0].host_if_name, "azvc440f455693");
  EXPECT_EQ(r->endpoints[0].ips, std::vector<std::string>{"10.224.0.24"});
}

TEST_F(RealSamples, ExcerptFactsWindowsBase64MacAndOffsetTimestamp) {
  std::string win = Sample("cni/acs-engine-issue-3389_windows-azure-vnet.excerpt.txt");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(win, m, std::regex(R"re("MacAddress": "([A-Za-z0-9+/=]+)")re")));
  EXPECT_EQ(FormatMac(*DecodeBase64(m[1].str())), "00:15:5d:db:d3:43");

  std::string head = Sample("cni/acn-issue-396_linux-azure-vnet-head.excerpt.txt");
  ASSERT_TRUE(std::regex_search(head, m, std::regex(R"re("TimeStamp": "([^"]+)")re")));
  auto t = ParseRfc3339(m[1].str());
  ASSERT_TRUE(t) << m[1].str();
  EXPECT_NEAR(*t, *ParseRfc3339("2019-09-03T12:45:05.745124601Z"), 1e-6);
}

// The real captures hold several of the variants of tests/fixtures/README.md.

TEST_F(RealSamples, NetworkTypeCasingDiffersBetweenCapturesAndIsNormalised) {
  // The flannel endpoint says "Overlay", the networks answer "overlay".
  auto ep = ParseHnsEndpoints(
      "{\"Success\":true,\"Output\":[" + Sample("hns/flannel-remote-endpoint-v1.json") + "]}",
      "flannel");
  ASSERT_TRUE(ep.ok()) << ep.error();
  std::string nets_text = Sample("hns/hnscall-get-networks-response-wrapped.txt");
  std::erase(nets_text, '\r');
  std::erase(nets_text, '\n');
  auto nets = ParseHnsNetworks(nets_text, "GET /networks");
  ASSERT_TRUE(nets.ok()) << nets.error();
  EXPECT_THAT(Sample("hns/flannel-remote-endpoint-v1.json"), HasSubstr("\"Overlay\""));
  EXPECT_EQ((*ep)[0].type, "overlay");
  EXPECT_EQ((*nets)[0].type, (*ep)[0].type);
}

TEST_F(RealSamples, NetworksCaptureWithFiletimesBracedGuidsAndLocalizedNamesParses) {
  std::string text = Sample("hns/hnscall-get-networks-response-wrapped.txt");
  std::erase(text, '\r');
  std::erase(text, '\n');
  // The variants are there: a FILETIME beyond 2^53, a 64-bit Version, braced
  // GUIDs, an isolation key and non-ASCII names.
  for (const char* fact : {"\"LastUpdateTime\":132062690972642312", "\"Version\":38654705666",
                           "\"{", "\"Isolation_0\"", "\xe7\xad\x9b\xe9\x80\x89"}) {
    EXPECT_THAT(text, HasSubstr(fact));
  }
  auto r = ParseHnsNetworks(text, "GET /networks");
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[1].type, "nat");
}

}  // namespace
}  // namespace winnet
