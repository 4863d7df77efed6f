#include "exporter/node_view.h"

#include <gtest/gtest.h>

#include "collectors/registry.h"
#include "exporter/join.h"
#include "exporter/poller.h"
#include "tests/test_util.h"

namespace winnet {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::shared_ptr<const Rendered> ExampleRender() {
  auto src = MakeReplaySources(testing::ExampleDir());
  EXPECT_TRUE(src.ok()) << src.error();
  PollerOptions o;
  o.build = {"0.0.0", "test", "linux"};
  Poller p(std::move(src).value(), o);
  p.RunCycle();
  return p.Current();
}

TEST(NodePage, ShowsTheExamplePodsPoolsAndProblems) {
  auto r = ExampleRender();
  const std::string& page = r->NodePage("/metrics");
  for (const char* pod : {"wintcpserver", "wintcpclient", "iis-7d9c5b8f6-2xkqp", "web-0",
                          "ama-logs-windows-5kq7n", "csi-azurefile-node-win-8wvxz"}) {
    EXPECT_THAT(page, HasSubstr(std::string("<td>") + pod + "</td>")) << pod;
  }
  EXPECT_THAT(page,
              HasSubstr("<code>10.240.0.0/16</code>: 7 allocated, 23 available of 30, 1 leaked"));
  EXPECT_THAT(page, HasSubstr("leaked IP</span> <code>10.240.0.80 (10.240.0.0/16)</code>"));
  EXPECT_THAT(page, HasSubstr("e4d3921a724a67f66518182b5e2001591007e910f9a8eab819b343bb8a01f57a"));
  EXPECT_THAT(page, HasSubstr("orphaned endpoint</span> <code>7c930f38-eth0"));
  EXPECT_THAT(page, HasSubstr("duplicate IP</span> <code>10.240.0.41</code>"));
  EXPECT_THAT(page, HasSubstr("vEthernet (cc97a9e8-eth0)"));
  EXPECT_THAT(page, HasSubstr("944782d7-3418-42c5-9b24-10a6f0ae1284"));
  EXPECT_THAT(page, HasSubstr("3.6 GiB"));  // wintcpserver received 3,918,442,617 bytes
  EXPECT_THAT(page, HasSubstr("load balancers: 5"));
  EXPECT_THAT(page, HasSubstr("href=\"/metrics\""));
  EXPECT_THAT(page, Not(HasSubstr("http://")));  // no external assets
  EXPECT_THAT(page, Not(HasSubstr("https://")));
}

// The header says how old the data is: when nothing changed the snapshot is
// not rebuilt, but every source read it again a moment ago.
TEST(NodePage, HeaderShowsTheAgeOfTheDataNotOfTheRender) {
  NodeSnapshot snap;
  snap.build = {"0.0.0", "test", "linux"};
  const double now = 1'800'000'000;
  snap.generated_unix = now - 71;
  SourceView fresh;
  fresh.name = "ipam_state";
  fresh.ok = fresh.has_data = fresh.attempted = true;
  fresh.last_success_unix = now - 1;
  SourceView absent;  // unavailable sources say nothing about the data's age
  absent.name = "hns";
  absent.available = false;
  std::string page = RenderNodePage(snap, {fresh, absent}, "/metrics", now);
  EXPECT_THAT(page, HasSubstr("data read 1 s ago"));
  EXPECT_THAT(page, Not(HasSubstr("71 s ago")));

  SourceView stale = fresh;  // one source failing since 40 s: the data is that old
  stale.name = "network_state";
  stale.ok = false;
  stale.stale = true;
  stale.last_success_unix = now - 40;
  page = RenderNodePage(snap, {fresh, stale}, "/metrics", now);
  EXPECT_THAT(page, HasSubstr("data read 40 s ago"));
}

TEST(NodePage, EscapesEveryNodeString) {
  NodeSnapshot s;
  s.hns_known = true;
  EndpointView e;
  e.id = "e1";
  e.local = true;
  e.name = "x\"><img src=x onerror=alert(1)>";
  e.pod = {"<b>ns</b>", "<script>alert(1)</script>"};
  s.endpoints.push_back(e);
  SourceView src;
  src.name = "hns";
  src.attempted = true;
  src.error = "<script>bad()</script>";
  std::string page = RenderNodePage(s, {src}, "/metrics\"><script>", 0);
  EXPECT_THAT(page, Not(HasSubstr("<script>alert(1)")));
  EXPECT_THAT(page, Not(HasSubstr("<script>bad()")));
  EXPECT_THAT(page, Not(HasSubstr("<img")));
  EXPECT_THAT(page, Not(HasSubstr("<b>ns")));
  EXPECT_THAT(page, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_THAT(page, HasSubstr("/metrics&quot;&gt;&lt;script&gt;"));
}

TEST(Inspect, AlignedTableOfTheExample) {
  auto r = ExampleRender();
  std::string t = RenderInspect(*r->snapshot, r->sources, 0);
  EXPECT_THAT(t, HasSubstr("pool 10.240.0.0/16: 7/30 allocated, 23 available, 1 leaked"));
  EXPECT_THAT(t, HasSubstr("HNS endpoints: 7 local, 9 remote; load balancers: 5"));
  auto header = t.find("NAMESPACE");
  ASSERT_NE(header, std::string::npos);
  auto pod_col = t.find("POD", header) - header;
  auto row = t.find("default      wintcpserver");
  ASSERT_NE(row, std::string::npos) << t;
  auto line_start = t.rfind('\n', row) + 1;
  EXPECT_EQ(t.find("wintcpserver", line_start) - line_start, pod_col);  // columns align
  EXPECT_THAT(t, HasSubstr("orphaned endpoint: 7c930f38-eth0"));
  EXPECT_THAT(t, HasSubstr("hns: ok"));
}

TEST(PodRows, LinuxHostVethCountersAreSwappedToThePodsView) {
  NodeSnapshot s;
  CniEndpoint c;
  c.id = "3f813b02-eth0";
  c.pod_namespace = "kube-system";
  c.pod_name = "metrics-server";
  c.host_if_name = "azvd805fb1b0f8";
  c.ips = {"10.241.0.17"};
  s.cni_endpoints = {c};
  AdapterView a;
  a.row.alias = "azvd805fb1b0f8";
  a.row.in_octets = 100;   // host side received: the pod sent
  a.row.out_octets = 900;  // host side sent: the pod received
  s.adapters = {a};
  auto rows = BuildPodRows(s);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].pod, "metrics-server");
  EXPECT_EQ(rows[0].adapter, "azvd805fb1b0f8");
  EXPECT_EQ(*rows[0].receive_bytes, 900u);
  EXPECT_EQ(*rows[0].transmit_bytes, 100u);
  EXPECT_EQ(rows[0].counters_from, "adapter");
}

TEST(Rates, ComputedFromThePreviousPoll) {
  NodeSnapshot prev, cur;
  prev.generated_unix = 100;
  cur.generated_unix = 110;
  EndpointView e;
  e.id = "e1";
  e.local = true;
  e.stats = HnsEndpointStats{};
  e.stats->bytes_received = 1000;
  prev.endpoints = {e};
  e.stats->bytes_received = 6000;
  e.stats->bytes_sent = 0;
  cur.endpoints = {e};
  ComputeRates(prev, &cur);
  EXPECT_DOUBLE_EQ(*cur.endpoints[0].receive_rate, 500.0);
  EXPECT_DOUBLE_EQ(*cur.endpoints[0].transmit_rate, 0.0);
}

// Endpoints and adapters that moved to another place in the list (a new
// inventory) still get their rates from their own counters before.
TEST(Rates, FollowEndpointsAndAdaptersThatMoved) {
  NodeSnapshot prev, cur;
  prev.generated_unix = 100;
  cur.generated_unix = 110;
  auto endpoint = [](std::string id, uint64_t received) {
    EndpointView e;
    e.id = std::move(id);
    e.local = true;
    e.stats = HnsEndpointStats{};
    e.stats->bytes_received = received;
    return e;
  };
  auto adapter = [](std::string alias, uint64_t in_octets) {
    AdapterView a;
    a.row.alias = std::move(alias);
    a.row.in_octets = in_octets;
    return a;
  };
  prev.endpoints = {endpoint("a", 100), endpoint("b", 1000)};
  cur.endpoints = {endpoint("b", 2000), endpoint("c", 5), endpoint("a", 200)};
  prev.adapters = {adapter("x", 10), adapter("y", 20)};
  cur.adapters = {adapter("y", 120), adapter("x", 30)};
  ComputeRates(prev, &cur);
  EXPECT_DOUBLE_EQ(*cur.endpoints[0].receive_rate, 100.0);
  EXPECT_FALSE(cur.endpoints[1].receive_rate.has_value()) << "new: no rate yet";
  EXPECT_DOUBLE_EQ(*cur.endpoints[2].receive_rate, 10.0);
  EXPECT_DOUBLE_EQ(*cur.adapters[0].receive_rate, 10.0);
  EXPECT_DOUBLE_EQ(*cur.adapters[1].receive_rate, 2.0);
}

}  // namespace
}  // namespace winnet
