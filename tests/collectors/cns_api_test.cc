// The cns_api source: the parser of CNS's /debug/ipaddresses answer (and its
// hostile inputs), the URL flag, and the HTTP client against a real HTTP
// server on loopback (tests/cns_standin.h) in every failure mode of
// docs/state-files.md, "CNS API"; replay and capture of the answer.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "collectors/capture.h"
#include "collectors/cns/cns_api_source.h"
#include "collectors/common/live_context.h"
#include "collectors/common/netaddr.h"
#include "collectors/registry.h"
#include "tests/cns_standin.h"
#include "tests/temp_dir.h"
#include "tests/test_util.h"

namespace winnet {
namespace {

using testing::CnsMode;
using testing::CnsStandIn;
using testing::CnsStandInOptions;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr std::string_view kWhere = "http://127.0.0.1:10090/debug/ipaddresses";

std::string Fixture() {
  return testing::ReadFileOrDie(testing::FixtureDir() + "/cns/ipaddresses.json");
}

std::string ErrorOf(std::string_view body) {
  auto r = ParseCnsIpAddresses(body, kWhere);
  return r.ok() ? std::string() : r.error();
}

// ---- the parser ----

TEST(CnsIpAddresses, ParsesEveryStatePodAndTime) {
  auto r = ParseCnsIpAddresses(Fixture(), kWhere);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_TRUE(r->present);
  ASSERT_EQ(r->ips.size(), 5u);
  const CnsIpConfig& a = r->ips[0];
  EXPECT_EQ(a.state, "Assigned");
  EXPECT_EQ(a.ip, "10.244.1.5");
  EXPECT_EQ(a.id, "0f9d6a4c-2b1e-4c31-9a57-4e1f0c2d7a11");
  EXPECT_EQ(a.nc_id, "7b0e3c52-9d4a-4f1b-8c6e-2a5d9e0f1b33");
  EXPECT_EQ(a.pod_name, "web-7d9f8b6c5d-x2x7q");
  EXPECT_EQ(a.pod_namespace, "shop");
  EXPECT_EQ(a.pod_interface_id, "3b5c0a9e-eth0");
  EXPECT_EQ(a.pod_infra_container_id.size(), 64u);
  ASSERT_TRUE(a.last_transition_unix.has_value());
  EXPECT_NEAR(*a.last_transition_unix, 1795185127.4412385, 1e-3);
  EXPECT_EQ(r->ips[1].ip, "fd00:10:244:1::5");  // "FD00:10:244:1::0005" in the answer
  EXPECT_EQ(r->ips[2].state, "Available");
  EXPECT_FALSE(r->ips[2].last_transition_unix.has_value());  // Go's zero time
  EXPECT_EQ(r->ips[2].pod_name, "");                         // PodInfo null
  EXPECT_EQ(r->ips[3].state, "PendingRelease");
  EXPECT_NEAR(*r->ips[3].last_transition_unix, 1795183304.0, 1e-3);  // +01:00
  EXPECT_EQ(r->ips[4].state, "PendingProgramming");
}

TEST(CnsIpAddresses, NonZeroReturnCodeIsAnErrorWithCodeAndMessage) {
  std::string e = ErrorOf(testing::ReadFileOrDie(testing::FixtureDir() + "/cns/returncode.json"));
  EXPECT_THAT(e, StartsWith(std::string(kWhere) + ": field Response.ReturnCode: "));
  EXPECT_THAT(e, HasSubstr("ReturnCode 23: \"InvalidRequest: failed to decode request body\""));
  EXPECT_THAT(ErrorOf(R"({"IPConfigurationStatus":[],"Response":{"ReturnCode":14}})"),
              HasSubstr("ReturnCode 14 without a message"));
}

TEST(CnsIpAddresses, EmptyListAndNullListAreNoIps) {
  for (const char* body : {R"({"IPConfigurationStatus":null,"Response":{"ReturnCode":0}})",
                           R"({"IPConfigurationStatus":[]})"}) {
    auto r = ParseCnsIpAddresses(body, kWhere);
    ASSERT_TRUE(r.ok()) << r.error();
    EXPECT_TRUE(r->present);
    EXPECT_TRUE(r->ips.empty());
  }
}

TEST(CnsIpAddresses, BadFieldsNameTheUrlAndJsonPath) {
  auto one = [](const std::string& entry) {
    return ErrorOf(R"({"IPConfigurationStatus":[{"state":"Available","IPAddress":"10.0.0.1"},)" +
                   entry + "]}");
  };
  EXPECT_THAT(one(R"({"state":"Assigned","IPAddress":"10.0.0.300"})"),
              HasSubstr("field IPConfigurationStatus[1].IPAddress: \"10.0.0.300\" is not an IP"));
  EXPECT_THAT(one(R"({"state":"Assigned"})"),
              HasSubstr("field IPConfigurationStatus[1].IPAddress"));
  EXPECT_THAT(one(R"({"IPAddress":"10.0.0.2"})"),
              HasSubstr("field IPConfigurationStatus[1].state"));
  EXPECT_THAT(
      one(R"({"state":"Assigned","IPAddress":"10.0.0.2","LastStateTransition":"yesterday"})"),
      HasSubstr("field IPConfigurationStatus[1].LastStateTransition: \"yesterday\""));
  EXPECT_THAT(one(R"({"state":"Assigned","IPAddress":"10.0.0.2","PodInfo":{"podName":7}})"),
              HasSubstr("field IPConfigurationStatus[1].PodInfo.podName"));
  EXPECT_THAT(one(R"("10.0.0.2")"), HasSubstr("field IPConfigurationStatus[1]"));
  EXPECT_THAT(ErrorOf(R"({"IPConfigurationStatus":{"a":1}})"), HasSubstr("IPConfigurationStatus"));
  EXPECT_THAT(ErrorOf(R"({"Response":{"ReturnCode":"0"}})"), HasSubstr("Response.ReturnCode"));
}

TEST(CnsIpAddresses, EmptyOrForeignBodiesAreErrors) {
  EXPECT_THAT(ErrorOf(""), StartsWith(std::string(kWhere) + ": empty answer"));
  EXPECT_THAT(ErrorOf(" \r\n"), HasSubstr("empty answer"));
  EXPECT_THAT(ErrorOf("{}"), HasSubstr("not an answer of /debug/ipaddresses"));
  EXPECT_THAT(ErrorOf("[]"), HasSubstr("expected an object"));
  EXPECT_THAT(ErrorOf("<html>busy</html>"), HasSubstr("invalid JSON"));
}

// ---- hostile answers ----

TEST(HostileCnsParse, EveryTruncationIsAnErrorNamingTheUrl) {
  const std::string body = Fixture();
  size_t checked = 0;
  for (size_t n = 0; n + 1 < body.size(); n += (n < 200 ? 1 : 37)) {
    std::string e = ErrorOf(std::string_view(body).substr(0, n));
    ASSERT_THAT(e, StartsWith(std::string(kWhere) + ": ")) << "cut at " << n;
    ++checked;
  }
  EXPECT_GT(checked, 200u);
}

TEST(HostileCnsParse, DuplicateKeysDeepNestingAndBadUtf8AreRefused) {
  EXPECT_THAT(ErrorOf(R"({"IPConfigurationStatus":[],"IPConfigurationStatus":[]})"),
              HasSubstr("duplicate key"));
  std::string deep =
      R"({"IPConfigurationStatus":[{"state":"Assigned","IPAddress":"10.0.0.1","PodInfo":)";
  for (int i = 0; i < 200; ++i) deep += "[";
  EXPECT_THAT(ErrorOf(deep), StartsWith(std::string(kWhere)));
  std::string e = ErrorOf("{\"Response\":{\"Message\":\"\xff\xfe\"}}");
  EXPECT_THAT(e, StartsWith(std::string(kWhere)));
  EXPECT_EQ(ToValidUtf8(e), e);
}

TEST(HostileCnsParse, ReturnCodeMessageIsOneShortLine) {
  std::string long_message(5000, 'm');
  std::string e =
      ErrorOf(R"({"Response":{"ReturnCode":1,"Message":"a\nb\tc)" + long_message + "\"}}");
  EXPECT_THAT(e, HasSubstr("\"a b c"));
  EXPECT_EQ(e.find('\n'), std::string::npos);
  EXPECT_LT(e.size(), 500u);
}

TEST(CanonicalIpText, Ipv4AndIpv6InRfc5952Form) {
  EXPECT_EQ(CanonicalIpText("10.244.1.5"), "10.244.1.5");
  EXPECT_EQ(CanonicalIpText("010.001.1.5"), "10.1.1.5");
  EXPECT_EQ(CanonicalIpText("FD00:10:244:1::0005"), "fd00:10:244:1::5");
  EXPECT_EQ(CanonicalIpText("2001:0db8:0000:0000:0000:0000:0000:0001"), "2001:db8::1");
  EXPECT_EQ(CanonicalIpText("2001:db8:0:1:0:0:0:1"), "2001:db8:0:1::1");    // the longest run
  EXPECT_EQ(CanonicalIpText("2001:db8:0:0:1:0:0:1"), "2001:db8::1:0:0:1");  // the first of equals
  EXPECT_EQ(CanonicalIpText("2001:db8:0:1:1:1:1:1"), "2001:db8:0:1:1:1:1:1");  // one zero: not ::
  EXPECT_EQ(CanonicalIpText("::"), "::");
  EXPECT_EQ(CanonicalIpText("::1"), "::1");
  EXPECT_EQ(CanonicalIpText("1::"), "1::");
  EXPECT_EQ(CanonicalIpText("::FFFF:10.0.0.1"), "::ffff:a00:1");
  EXPECT_EQ(CanonicalIpText("64:ff9b::10.0.0.1"), "64:ff9b::a00:1");
  for (const char* bad :
       {"", "10.0.0", "10.0.0.256", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "fe80::1%eth0",
        "10.0.0.0/24", ":1", "1:", "g::1", "::1.2.3", "1.2.3.4::"}) {
    EXPECT_EQ(CanonicalIpText(bad), std::nullopt) << bad;
  }
}

// ---- --cns.url ----

TEST(CnsUrl, AcceptsHttpWithAnIpAndPort) {
  auto u = ParseCnsUrl("http://127.0.0.1:10090");
  ASSERT_TRUE(u.ok()) << u.error();
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, 10090);
  EXPECT_EQ(u->text, "http://127.0.0.1:10090");
  u = ParseCnsUrl("http://[::1]:8080/");
  ASSERT_TRUE(u.ok()) << u.error();
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->text, "http://[::1]:8080");
  EXPECT_EQ(ParseCnsUrl("http://10.0.0.1")->port, 80);
}

TEST(CnsUrl, RefusesWithTheReason) {
  auto err = [](std::string_view url) {
    auto u = ParseCnsUrl(url);
    return u.ok() ? std::string() : u.error();
  };
  EXPECT_THAT(err("https://127.0.0.1:10090"), HasSubstr("is not an http:// URL"));
  EXPECT_THAT(err("127.0.0.1:10090"), HasSubstr("is not an http:// URL"));
  EXPECT_THAT(err("http://localhost:10090"), HasSubstr("not an IP address"));
  EXPECT_THAT(err("http://::1:10090"), HasSubstr("not an IP address"));
  EXPECT_THAT(err("http://127.0.0.1:0"), HasSubstr("outside 1..65535"));
  EXPECT_THAT(err("http://127.0.0.1:99999"), HasSubstr("outside 1..65535"));
  EXPECT_THAT(err("http://127.0.0.1:"), HasSubstr("no valid port"));
  EXPECT_THAT(err("http://127.0.0.1:80x"), HasSubstr("no valid port"));
  EXPECT_THAT(err("http://"), HasSubstr("has no host"));
  EXPECT_THAT(err("http://127.0.0.1:10090/debug/ipaddresses"), HasSubstr("has a path"));
  EXPECT_THAT(err("http://user@127.0.0.1"), HasSubstr("has a path, query or user"));
  EXPECT_THAT(err("http://[::1"), HasSubstr("unclosed"));
}

TEST(CnsApiSource, TurnedOffOrBadUrlIsUnavailableWithTheReason) {
  LiveOptions o;
  o.adapters = false;
  o.cns_url = "none";
  SourceSet s = MakeLiveSources(o);
  EXPECT_EQ(s.Get(kCnsApiSource), nullptr);
  EXPECT_EQ(s.Unavailable("cns_api"), "turned off (--cns.url=none)");
  o.cns_url = "";
  SourceSet d = MakeLiveSources(o);
  ASSERT_NE(d.Get(kCnsApiSource), nullptr);
  EXPECT_EQ(d.Get(kCnsApiSource)->Where(), "http://127.0.0.1:10090/debug/ipaddresses");
}

// ---- the HTTP client against a real server on loopback ----

std::unique_ptr<CnsStandIn> StandIn(CnsMode mode, std::string body = Fixture(), int delay_ms = 0,
                                    size_t huge_bytes = 0) {
  CnsStandInOptions o;
  o.mode = mode;
  o.body = std::move(body);
  o.delay_ms = delay_ms;
  o.huge_bytes = huge_bytes;
  auto s = CnsStandIn::Start(o);
  EXPECT_NE(s, nullptr) << "the stand-in cannot listen";
  return s;
}

std::unique_ptr<CnsApiClient> ClientOf(const CnsStandIn& s,
                                       std::chrono::milliseconds timeout = std::chrono::seconds(5),
                                       size_t max_bytes = kMaxCnsAnswerBytes) {
  auto url = ParseCnsUrl(s.url());
  EXPECT_TRUE(url.ok());
  return MakeCnsHttpClient(*url, timeout, max_bytes);
}

std::string FetchError(CnsApiClient& c) {
  auto r = c.Fetch();
  return r.ok() ? "(no error; body of " + std::to_string(r->size()) + " bytes)" : r.error();
}

TEST(CnsHttpClient, NormalAnswerIsTheBodyVerbatimAfterAPostWithTheStateFilter) {
  auto s = StandIn(CnsMode::kNormal);
  auto c = ClientOf(*s);
  auto body = c->Fetch();
  ASSERT_TRUE(body.ok()) << body.error();
  EXPECT_EQ(*body, Fixture());
  EXPECT_EQ(s->last_request(), "POST /debug/ipaddresses " + std::string(kCnsIpAddressesRequest));
  EXPECT_EQ(c->Where(), s->url() + "/debug/ipaddresses");
}

TEST(CnsHttpClient, ChunkedAnswerAsGoWritesLargeOnes) {
  auto s = StandIn(CnsMode::kChunked);
  auto body = ClientOf(*s)->Fetch();
  ASSERT_TRUE(body.ok()) << body.error();
  EXPECT_EQ(*body, Fixture());
}

TEST(CnsHttpClient, SlowAnswerEndsAtTheTimeout) {
  auto s = StandIn(CnsMode::kSlow, Fixture(), 5000);
  auto c = ClientOf(*s, std::chrono::milliseconds(300));
  auto t0 = std::chrono::steady_clock::now();
  std::string e = FetchError(*c);
  auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_THAT(e, HasSubstr("no complete answer within 300ms"));
  EXPECT_LT(took, std::chrono::milliseconds(2000));
}

TEST(CnsHttpClient, Status500IsAnErrorWithTheStatusAndText) {
  auto s = StandIn(CnsMode::kStatus500);
  std::string e = FetchError(*ClientOf(*s));
  EXPECT_THAT(e, StartsWith(s->url() + "/debug/ipaddresses: HTTP 500 Internal Server Error"));
  EXPECT_THAT(e, HasSubstr("the IP pool is not initialized yet"));
}

TEST(CnsHttpClient, TruncatedBodyIsAnError) {
  auto s = StandIn(CnsMode::kTruncated);
  EXPECT_THAT(FetchError(*ClientOf(*s)),
              HasSubstr("truncated answer: " + std::to_string(Fixture().size() / 2) + " of " +
                        std::to_string(Fixture().size()) + " bytes"));
}

TEST(CnsHttpClient, HugeBodyIsRefusedAtTheCap) {
  auto s = StandIn(CnsMode::kHuge, "", 0, 3u << 20);
  EXPECT_THAT(FetchError(*ClientOf(*s, std::chrono::seconds(5), 1u << 20)),
              HasSubstr("the answer has 3145728 bytes, more than the limit of 1048576"));
  auto chunked = StandIn(CnsMode::kHugeChunked, "", 0, 3u << 20);
  EXPECT_THAT(FetchError(*ClientOf(*chunked, std::chrono::seconds(5), 1u << 20)),
              HasSubstr("the answer is larger than the limit of 1048576 bytes"));
}

TEST(CnsHttpClient, RefusedPortIsCannotConnect) {
  auto s = StandIn(CnsMode::kNormal);
  auto c = ClientOf(*s);
  s.reset();  // nothing listens on the port now
  EXPECT_THAT(FetchError(*c), HasSubstr(std::string(kCnsCannotConnect)));
}

// The registration's reader: parsed data, the same pointer while the answer is
// unchanged, and a non-zero ReturnCode as the source's error.
TEST(CnsApiSource, ReaderParsesCachesAndFailsOnReturnCode) {
  auto s = StandIn(CnsMode::kNormal);
  auto reader = CnsApiRegistration().MakeReader(std::shared_ptr<CnsApiClient>(ClientOf(*s)));
  auto first = reader->Read();
  ASSERT_TRUE(first.ok()) << first.error();
  auto second = reader->Read();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(first->get(), second->get());
  EXPECT_EQ(static_cast<const CnsIpAddresses*>(first->get())->ips.size(), 5u);

  auto rc = StandIn(CnsMode::kNormal,
                    testing::ReadFileOrDie(testing::FixtureDir() + "/cns/returncode.json"));
  auto failing = CnsApiRegistration().MakeReader(std::shared_ptr<CnsApiClient>(ClientOf(*rc)));
  auto r = failing->Read();
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error(), StartsWith(rc->url() + "/debug/ipaddresses: field Response.ReturnCode"));
}

// ---- capture and replay ----

TEST(CnsApiSource, CaptureWritesTheAnswerVerbatimAndReplayReadsIt) {
  testing::TempDir tmp;
  auto s = StandIn(CnsMode::kNormal);
  SourceSet set = UnopenedSources();
  set.Set(kCnsApiSource, std::shared_ptr<CnsApiClient>(ClientOf(*s)));
  auto report = WriteCapture(set, tmp / "capture");
  ASSERT_TRUE(report.ok()) << report.error();
  EXPECT_TRUE(report->errors.empty());
  EXPECT_EQ(testing::ReadFileOrDie(tmp / "capture/cns/ipaddresses.json"), Fixture());

  auto replay = MakeReplaySources(tmp / "capture");
  ASSERT_TRUE(replay.ok()) << replay.error();
  CnsApiClient* client = replay->Get(kCnsApiSource);
  ASSERT_NE(client, nullptr) << replay->Unavailable("cns_api");
  EXPECT_EQ(*client->Fetch(), Fixture());

  auto without = MakeReplaySources(testing::ExampleDir());
  ASSERT_TRUE(without.ok());
  EXPECT_EQ(without->Unavailable("cns_api"), "the capture has no cns/ipaddresses.json");
}

TEST(CnsApiSource, CaptureSkipsCnsNotListeningButReportsOtherFailures) {
  testing::TempDir tmp;
  auto gone = StandIn(CnsMode::kNormal);
  auto refused = ClientOf(*gone);
  gone.reset();
  SourceSet set = UnopenedSources();
  set.Set(kCnsApiSource, std::shared_ptr<CnsApiClient>(std::move(refused)));
  auto report = WriteCapture(set, tmp / "a");
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->errors.empty());
  std::string skipped;
  for (const auto& line : report->skipped) skipped += line + "\n";
  EXPECT_THAT(skipped, HasSubstr("cns/ipaddresses.json: http://"));

  auto s = StandIn(CnsMode::kStatus500);
  set.Set(kCnsApiSource, std::shared_ptr<CnsApiClient>(ClientOf(*s)));
  report = WriteCapture(set, tmp / "b");
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->errors.size(), 1u);
  EXPECT_THAT(report->errors[0], HasSubstr("cns/ipaddresses.json: http://"));
  EXPECT_THAT(report->errors[0], HasSubstr("HTTP 500"));
}

}  // namespace
}  // namespace winnet
