// containerd sandbox specs and HCN v2 endpoint properties: the parsers, the
// directory source, the caching collector, and the pod mapping they feed
// (docs/hns.md, "Mapping endpoints to pods"), on tests/fixtures/containerd-node.
#include "collectors/containerd/containerd.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "collectors/cni/cni_source.h"
#include "collectors/containerd/containerd_source.h"
#include "collectors/hns/hcn.h"
#include "collectors/hns/hns_reader.h"
#include "collectors/hns/hns_source.h"
#include "collectors/registry.h"
#include "exporter/join.h"
#include "tests/temp_dir.h"
#include "tests/test_util.h"

namespace winnet {
namespace {

using ::testing::HasSubstr;

namespace fs = std::filesystem;

std::string NodeDir() { return testing::FixtureDir() + "/containerd-node"; }

constexpr const char* kSandbox = R"({
  "ociVersion": "1.1.0",
  "annotations": {
    "io.kubernetes.cri.container-type": "sandbox",
    "io.kubernetes.cri.sandbox-id": "A756B816907386B045DBB706C14AA09F5A4E27850DDA050B3A0E82EB321E33C6",
    "io.kubernetes.cri.sandbox-name": "web-0",
    "io.kubernetes.cri.sandbox-namespace": "shop",
    "io.kubernetes.cri.sandbox-uid": "0c7d1c55-6b7a-4f0e-9a51-1d2f3e4a5b61"
  },
  "windows": {"network": {"networkNamespace": "{7D3E2F1A-0B4C-4D5E-8F6A-7B8C9D0E1F2A}"}}
})";

TEST(ContainerdSpec, ReadsTheCriAnnotationsAndTheNetworkNamespace) {
  auto s = ParseContainerdSpec(kSandbox, "config.json");
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_EQ(s->container_type, "sandbox");
  EXPECT_EQ(s->sandbox_id, "a756b816907386b045dbb706c14aa09f5a4e27850dda050b3a0e82eb321e33c6");
  EXPECT_EQ(s->sandbox_name, "web-0");
  EXPECT_EQ(s->sandbox_namespace, "shop");
  EXPECT_EQ(s->sandbox_uid, "0c7d1c55-6b7a-4f0e-9a51-1d2f3e4a5b61");
  EXPECT_EQ(s->network_namespace, "7d3e2f1a-0b4c-4d5e-8f6a-7b8c9d0e1f2a");
  EXPECT_TRUE(s->HasPod());
}

TEST(ContainerdSpec, AContainerNotMadeByKubernetesHasNoPod) {
  auto s =
      ParseContainerdSpec(R"({"ociVersion":"1.1.0","process":{"args":["cmd.exe"]}})", "c.json");
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_FALSE(s->HasPod());
  EXPECT_EQ(s->network_namespace, "");
}

TEST(ContainerdSpec, ErrorsNameTheFileAndTheField) {
  struct Case {
    const char* text;
    const char* want;
  } cases[] = {
      {"[]", "c.json: field (top level): expected an object"},
      {R"({"annotations": ["x"]})", "c.json: field annotations: expected an object"},
      {R"({"annotations": {"io.kubernetes.cri.sandbox-name": 7}})",
       "c.json: field annotations[\"io.kubernetes.cri.sandbox-name\"]: expected a string, got "
       "number"},
      {R"({"annotations": {"other": true}})",
       "c.json: field annotations.other: expected a string, got boolean"},
      {R"({"windows": {"network": {"networkNamespace": "host"}}})",
       "c.json: field windows.network.networkNamespace: \"host\" is not a GUID"},
      {R"({"windows": {"network": "x"}})", "c.json: field windows.network: expected an object"},
      {R"({"annotations": {"io.kubernetes.cri.sandbox-na)", "c.json: invalid JSON"},
  };
  for (const auto& c : cases) {
    auto s = ParseContainerdSpec(c.text, "c.json");
    ASSERT_FALSE(s.ok()) << c.text;
    EXPECT_NE(s.error().find(c.want), std::string::npos) << s.error();
  }
}

TEST(HcnEndpoint, ReadsTheHostComputeEndpoint) {
  auto e = ParseHcnEndpoint(R"({"ID":"33333333-AAAA-4BBB-8CCC-000000000003","Name":"1f0d3c52-eth0",
      "HostComputeNetwork":"62F746B4-84E6-4CEB-95BD-447E7184D454",
      "HostComputeNamespace":"0A1B2C3D-4E5F-4061-8273-8495A6B7C8D9",
      "IpConfigurations":[{"IpAddress":"10.240.0.13","PrefixLength":16},{"IpAddress":"fd00::13","PrefixLength":64}],
      "MacAddress":"00-15-5D-E8-01-03","Flags":1,"SchemaVersion":{"Major":2,"Minor":0}})",
                            "hcn");
  ASSERT_TRUE(e.ok()) << e.error();
  EXPECT_EQ(e->id, "33333333-aaaa-4bbb-8ccc-000000000003");
  EXPECT_EQ(e->namespace_id, "0a1b2c3d-4e5f-4061-8273-8495a6b7c8d9");
  EXPECT_EQ(e->network_id, "62f746b4-84e6-4ceb-95bd-447e7184d454");
  EXPECT_EQ(e->ips, (std::vector<std::string>{"10.240.0.13", "fd00::13"}));
  EXPECT_EQ(e->mac, "00:15:5d:e8:01:03");
  EXPECT_TRUE(e->remote());
}

TEST(HcnEndpoint, ErrorsNameTheField) {
  struct Case {
    const char* text;
    const char* want;
  } cases[] = {
      {R"({"Name":"x"})", "hcn: field ID: missing"},
      {R"({"ID":"a","Flags":"1"})", "hcn: field Flags:"},
      {R"({"ID":"a","IpConfigurations":{"IpAddress":"10.0.0.1"}})",
       "hcn: field IpConfigurations: expected an array"},
      {R"({"ID":"a","MacAddress":"zz"})", "hcn: field MacAddress: \"zz\" is not a MAC address"},
      // HNS v1's envelope is not what v2 returns.
      {R"({"Success":true,"Output":{}})", "hcn: field ID: missing"},
  };
  for (const auto& c : cases) {
    auto e = ParseHcnEndpoint(c.text, "hcn");
    ASSERT_FALSE(e.ok()) << c.text;
    EXPECT_NE(e.error().find(c.want), std::string::npos) << e.error();
  }
}

class ContainerdDirTest : public ::testing::Test {
 protected:
  void Put(const std::string& id, const std::string& text) {
    fs::create_directories(dir_ / id);
    std::ofstream(dir_ / id / "config.json", std::ios::binary | std::ios::trunc) << text;
  }
  testing::TempDir tmp_;  // one per test: tests run in parallel under ctest -j
  fs::path dir_ = tmp_.path();
};

TEST_F(ContainerdDirTest, ListsContainersWithASpecAndRefusesPathsOutside) {
  Put("b", "{}");
  Put("a", "{}");
  fs::create_directories(dir_ / "no-spec-yet");
  std::ofstream(dir_ / "stray-file") << "x";
  auto src = MakeContainerdDirSource(dir_.string());
  auto list = src->List();
  ASSERT_TRUE(list.ok()) << list.error();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, "a");
  EXPECT_EQ((*list)[1].id, "b");
  EXPECT_EQ((*list)[0].size, 2u);
  for (const char* bad : {"..", "../a", "a/../../etc", ""}) {
    EXPECT_FALSE(src->Read(bad).ok()) << bad;
  }
  auto gone = src->Read("zzz");
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->has_value());

  auto missing = MakeContainerdDirSource((dir_ / "nope").string())->List();
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().find("nope: cannot list"), std::string::npos) << missing.error();
}

// Counts the reads the collector makes.
class CountingSource : public ContainerdSource {
 public:
  explicit CountingSource(std::string dir) : real_(MakeContainerdDirSource(std::move(dir))) {}
  Result<std::vector<Entry>> List() override { return real_->List(); }
  Result<std::optional<std::string>> Read(const std::string& id) override {
    ++reads;
    return real_->Read(id);
  }
  std::string Where() const override { return real_->Where(); }
  int reads = 0;

 private:
  std::unique_ptr<ContainerdSource> real_;
};

TEST_F(ContainerdDirTest, CollectorReadsOnlyNewOrRewrittenSpecsAndRetriesBrokenOnes) {
  Put("s1", kSandbox);
  Put("s2", R"({"annotations": {"io.kubernetes.cri.sandbox-na)");  // half written
  auto src = std::make_shared<CountingSource>(dir_.string());
  ContainerdReader collect(src);
  auto first = collect();
  ASSERT_TRUE(first.ok()) << first.error();
  EXPECT_EQ(src->reads, 2);
  ASSERT_EQ((*first)->specs.size(), 1u);
  EXPECT_EQ((*first)->specs[0].container_id, "s1");
  ASSERT_EQ((*first)->item_errors.size(), 1u);
  EXPECT_NE((*first)->item_errors[0].find("s2/config.json: invalid JSON"), std::string::npos);

  auto second = collect();  // s1 unchanged: not read again; s2 broken: read again
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(src->reads, 3);

  Put("s2",
      R"({"annotations": {"io.kubernetes.cri.sandbox-name": "b", "io.kubernetes.cri.sandbox-namespace": "n"}})");
  auto third = collect();
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(src->reads, 4);
  ASSERT_EQ((*third)->specs.size(), 2u);
  EXPECT_TRUE((*third)->item_errors.empty());

  auto fourth = collect();  // nothing changed: the same data, no read
  ASSERT_TRUE(fourth.ok());
  EXPECT_EQ(src->reads, 4);
  EXPECT_EQ(fourth->get(), third->get());

  fs::remove_all(dir_ / "s1");
  auto fifth = collect();
  ASSERT_TRUE(fifth.ok());
  ASSERT_EQ((*fifth)->specs.size(), 1u);
  EXPECT_EQ((*fifth)->specs[0].container_id, "s2");
}

// An HNS source over the fixture that counts HCN v2 queries.
class CountingHns : public HnsClient {
 public:
  explicit CountingHns(std::shared_ptr<HnsClient> real) : real_(std::move(real)) {}
  Result<std::optional<std::string>> Get(const HnsRequest& request) override {
    const std::string path = DisplayPath(request);
    if (request.call == HnsCall::kHcnEndpoint) v2_paths.emplace_back(path);
    if (fail_once.erase(std::string(path)) > 0) {
      return MakeError("HCN: the RPC server is unavailable");
    }
    if (request.call == HnsCall::kListPolicyLists && bad_policylists) {
      return std::optional<std::string>("{not json");
    }
    return real_->Get(request);
  }
  std::string Where() const override { return real_->Where(); }
  std::vector<std::string> v2_paths;
  std::set<std::string> fail_once;  // these paths fail on their next query
  bool bad_policylists = false;

 private:
  std::shared_ptr<HnsClient> real_;
};

TEST(HnsV2, AsksV2OnlyForLocalEndpointsWithoutANamespaceAndOnlyOnce) {
  auto s = MakeReplaySources(NodeDir());
  ASSERT_TRUE(s.ok()) << s.error();
  auto hns = std::make_shared<CountingHns>(s->Share(kHnsSource));
  HnsReader collect(hns);
  auto first = collect();
  ASSERT_TRUE(first.ok()) << first.error();
  EXPECT_TRUE((*first)->item_errors.empty()) << (*first)->item_errors.front();
  // 6 local endpoints, one of which (…0002) has Namespace.ID from v1; the
  // remote one is never asked.
  EXPECT_EQ(hns->v2_paths.size(), 5u);
  for (const auto& p : hns->v2_paths) EXPECT_EQ(p.find("77777777"), std::string::npos) << p;
  const auto& eps = (*first)->inventory->endpoints;
  auto ns_of = [&](const std::string& id) {
    for (const auto& e : eps) {
      if (e.id == id) return e.namespace_id;
    }
    return std::string("?");
  };
  EXPECT_EQ(ns_of("33333333-aaaa-4bbb-8ccc-000000000003"),
            "0a1b2c3d-4e5f-4061-8273-8495a6b7c8d9");  // from v2
  EXPECT_EQ(ns_of("22222222-aaaa-4bbb-8ccc-000000000002"),
            "7d3e2f1a-0b4c-4d5e-8f6a-7b8c9d0e1f2a");  // from v1
  EXPECT_EQ(ns_of("66666666-aaaa-4bbb-8ccc-000000000006"), "");
  auto second = collect();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(hns->v2_paths.size(), 5u);  // unchanged endpoints: no new v2 query
}

TEST(HnsV2, AFailedQueryIsAskedAgainAloneAndItsErrorGoes) {
  auto s = MakeReplaySources(NodeDir());
  ASSERT_TRUE(s.ok()) << s.error();
  auto hns = std::make_shared<CountingHns>(s->Share(kHnsSource));
  const std::string failing = "hcn:/endpoints/33333333-AAAA-4BBB-8CCC-000000000003";
  hns->fail_once.insert(failing);
  hns->bad_policylists = true;  // an item error of the v1 answers, which must stay
  HnsReader collect(hns);
  auto first = collect();
  ASSERT_TRUE(first.ok()) << first.error();
  ASSERT_EQ(hns->fail_once.size(), 0u) << "the fixture's raw id differs from " << failing;
  EXPECT_EQ(hns->v2_paths.size(), 5u);
  ASSERT_EQ((*first)->item_errors.size(), 2u);
  EXPECT_THAT((*first)->item_errors[0], HasSubstr("/policylists/"));
  EXPECT_THAT((*first)->item_errors[1], HasSubstr("RPC server is unavailable"));
  auto ns_of = [](const HnsCollected& c, const std::string& id) {
    for (const auto& e : c.inventory->endpoints) {
      if (e.id == id) return e.namespace_id;
    }
    return std::string("?");
  };
  EXPECT_EQ(ns_of(**first, "33333333-aaaa-4bbb-8ccc-000000000003"), "");

  auto second = collect();  // the same v1 answers
  ASSERT_TRUE(second.ok()) << second.error();
  ASSERT_EQ(hns->v2_paths.size(), 6u);  // only the failed one again
  EXPECT_EQ(hns->v2_paths.back(), failing);
  ASSERT_EQ((*second)->item_errors.size(), 1u);
  EXPECT_THAT((*second)->item_errors[0], HasSubstr("/policylists/"));
  EXPECT_EQ(ns_of(**second, "33333333-aaaa-4bbb-8ccc-000000000003"),
            "0a1b2c3d-4e5f-4061-8273-8495a6b7c8d9");
  for (const auto& e : (*first)->inventory->endpoints) {  // the others kept what they had
    if (e.id != "33333333-aaaa-4bbb-8ccc-000000000003") {
      EXPECT_EQ(ns_of(**second, e.id), e.namespace_id) << e.id;
    }
  }

  auto third = collect();  // all answered: nothing asked again
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(hns->v2_paths.size(), 6u);
  EXPECT_EQ((*third)->inventory, (*second)->inventory);
}

// Every strategy on the fixture node: azure-vnet.json (v1.4 style: one
// endpoint with a pod name, one with only its SandboxKey), then containerd by
// sandbox id, by the HCN namespace from v1 or from v2, by SharedContainers.
TEST(PodMapping, ContainerdNamesThePodsAzureVnetJsonDoesNot) {
  auto s = MakeReplaySources(NodeDir());
  ASSERT_TRUE(s.ok()) << s.error();
  ASSERT_NE(s->Get(kContainerdSource), nullptr) << s->Unavailable("containerd");
  auto cni = ReadOnce(*s, kNetworkStateSource);
  auto hns = ReadHnsOnce(s->Share(kHnsSource));
  auto cd = ReadOnce(*s, kContainerdSource);
  ASSERT_TRUE(cni.ok() && hns.ok() && cd.ok());
  EXPECT_EQ((*cd)->specs.size(), 5u);        // 4 pods' specs and one non-Kubernetes container
  EXPECT_EQ((*cd)->item_errors.size(), 1u);  // the half-written spec

  NodeInputs in;
  in.cni = cni->get();
  in.hns = &*hns;
  in.containerd = cd->get();
  NodeSnapshot snap;
  BuildSnapshot(in, &snap);
  std::map<std::string, std::tuple<std::string, std::string, std::string>> got;
  for (const auto& e : snap.endpoints) {
    if (e.local) got[e.name] = {e.pod.ns, e.pod.name, e.pod_source};
  }
  using T = std::tuple<std::string, std::string, std::string>;
  EXPECT_EQ(got["a756b816-eth0"], T("shop", "web-0", "containerd_sandbox"));
  EXPECT_EQ(got["86e4c7a4-eth0"], T("shop", "api-7f9c", "containerd_namespace"));
  EXPECT_EQ(got["1f0d3c52-eth0"], T("batch", "worker-x2", "containerd_namespace"));
  EXPECT_EQ(got["c0ffee01-eth0"], T("default", "legacy-0", "containerd_container"));
  EXPECT_EQ(got["5eed5eed-eth0"], T("shop", "frontend-5d8f", "network_state"));
  EXPECT_EQ(got["deadbeef-eth0"], T("", "", ""));
  EXPECT_EQ(snap.unmapped_endpoints, 1u);
  EXPECT_EQ(snap.orphaned_endpoints, 4u);  // still not in azure-vnet.json

  // Without containerd, only azure-vnet.json's pod is known.
  in.containerd = nullptr;
  NodeSnapshot without;
  BuildSnapshot(in, &without);
  EXPECT_EQ(without.unmapped_endpoints, 5u);
}

TEST(PodMapping, AzureVnetJsonWinsOverContainerd) {
  CniState cni;
  cni.present = true;
  CniEndpoint c;
  c.id = "a756b816-eth0";
  c.hns_id = "11111111-aaaa-4bbb-8ccc-000000000001";
  c.sandbox_key = "a756b816907386b045dbb706c14aa09f5a4e27850dda050b3a0e82eb321e33c6";
  c.pod_name = "from-cni";
  c.pod_namespace = "ns";
  cni.endpoints.push_back(c);
  HnsData hns;
  HnsEndpoint e;
  e.id = e.raw_id = c.hns_id;
  e.name = c.id;
  hns.endpoints.push_back(e);
  ContainerdState cd;
  auto spec = ParseContainerdSpec(kSandbox, "c");
  ASSERT_TRUE(spec.ok());
  spec->container_id = c.sandbox_key;
  cd.specs.push_back(*spec);
  NodeInputs in;
  in.cni = &cni;
  in.hns = &hns;
  in.containerd = &cd;
  NodeSnapshot snap;
  BuildSnapshot(in, &snap);
  ASSERT_EQ(snap.endpoints.size(), 1u);
  EXPECT_EQ(snap.endpoints[0].pod.name, "from-cni");
  EXPECT_EQ(snap.endpoints[0].pod_source, "network_state");
}

TEST(Replay, WithoutContainerdDirectoryTheSourceIsUnavailable) {
  auto s = MakeReplaySources(testing::ExampleDir());
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->Get(kContainerdSource), nullptr);
  EXPECT_EQ(s->Unavailable("containerd"), "the capture has no containerd/ directory");
}

}  // namespace
}  // namespace winnet
