#include "collectors/cns/cns_api_source.h"

#include <cstdint>
#include <filesystem>
#include <system_error>

#include "collectors/common/capture_writer.h"
#include "collectors/common/file_io.h"
#include "collectors/common/fingerprint.h"
#include "collectors/common/live_context.h"
#include "collectors/common/netaddr.h"

namespace winnet {

namespace {

// The port of "host:port" ("" when there is none), 1..65535.
Result<int> PortOf(std::string_view text) {
  if (text.empty() || text.size() > 5) return MakeError("has no valid port");
  int port = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return MakeError("has no valid port");
    port = port * 10 + (c - '0');
  }
  if (port < 1 || port > 65535) return MakeError("has a port outside 1..65535");
  return port;
}

// Splits "host[:port]" or "[v6][:port]".
Status SplitAuthority(std::string_view authority, CnsUrl& url) {
  std::string_view host = authority, port;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return MakeError("has an unclosed [ in its host");
    host = authority.substr(1, close - 1);
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return MakeError("has text after its [host]");
    if (!rest.empty()) port = rest.substr(1);
    if (!rest.empty() && port.empty()) return MakeError("has no valid port");
  } else if (size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    if (port.empty()) return MakeError("has no valid port");
  }
  if (host.empty()) return MakeError("has no host");
  auto ip = CanonicalIpText(host);
  if (!ip || (authority.front() == '[') != (ip->find(':') != std::string::npos)) {
    return MakeError("has host \"" + std::string(host) +
                     "\", which is not an IP address (IPv6 in brackets)");
  }
  url.host = *ip;
  if (!port.empty()) {
    auto p = PortOf(port);
    if (!p.ok()) return MakeError(p.error());
    url.port = *p;
  }
  return Ok();
}

// A capture's cns/ipaddresses.json, read whole like a state file.
class CnsFileClient : public CnsApiClient {
 public:
  explicit CnsFileClient(std::string path) : path_(std::move(path)) {}
  Result<std::string> Fetch() override {
    auto text = ReadWholeFile(path_, kMaxCnsAnswerBytes);
    if (!text.ok()) return MakeError(text.error());
    if (!text->has_value()) return MakeError(path_ + ": missing from the capture");
    return std::move(**text);
  }
  std::string Where() const override { return path_; }

 private:
  std::string path_;
};

class CnsApiSourceType final : public TypedSource<CnsApiClient, CnsIpAddresses> {
 public:
  CnsApiSourceType() : TypedSource(kCnsApiSource) {}

  std::string_view capture_part() const override { return kCnsCaptureFile; }

  OpenedRaw OpenLive(LiveContext& live) const override {
    const std::string& flag = live.options().cns_url;
    if (flag == "none") return OpenedRaw::Unavailable("turned off (--cns.url=none)");
    auto url = ParseCnsUrl(flag.empty() ? kDefaultCnsUrl : flag);
    if (!url.ok()) return OpenedRaw::Unavailable(url.error());
    return OpenedRaw::Of(MakeCnsHttpClient(std::move(*url), live.options().cns_timeout));
  }

  OpenedRaw OpenReplay(const std::string& dir) const override {
    const std::string path = dir + "/" + std::string(kCnsCaptureFile);
    std::error_code ec;
    if (!std::filesystem::exists(PathFromUtf8(path), ec)) {
      return OpenedRaw::Unavailable("the capture has no " + std::string(kCnsCaptureFile));
    }
    return OpenedRaw::Of(MakeCnsFileClient(path));
  }

 protected:
  // Parses only when the answer's bytes changed; the same pointer otherwise.
  Reader ReaderFor(std::shared_ptr<CnsApiClient> client) const override {
    struct Last {
      Fingerprint body{SIZE_MAX, 0};
      std::shared_ptr<const CnsIpAddresses> data;
    };
    auto last = std::make_shared<Last>();
    return [client, last]() -> Result<std::shared_ptr<const CnsIpAddresses>> {
      auto body = client->Fetch();
      if (!body.ok()) return MakeError(body.error());
      Fingerprint fp = FingerprintOf(*body);
      if (last->data && last->body == fp) return last->data;
      auto parsed = ParseCnsIpAddresses(*body, client->Where());
      if (!parsed.ok()) return MakeError(parsed.error());
      last->data = std::make_shared<const CnsIpAddresses>(std::move(*parsed));
      last->body = fp;
      return last->data;
    };
  }

  // The answer's body byte for byte. CNS not listening is no error of the
  // capture: a node-subnet node runs no CNS.
  void CaptureFrom(CnsApiClient& client, CaptureWriter& out) const override {
    const std::string file(kCnsCaptureFile);
    auto body = client.Fetch();
    if (body.ok()) {
      out.Write(file, *body);
    } else if (body.error().find(kCnsCannotConnect) != std::string::npos) {
      out.Skipped(file + ": " + body.error());
    } else {
      out.Error(file + ": " + body.error());
    }
  }
};

}  // namespace

Result<CnsUrl> ParseCnsUrl(std::string_view url) {
  auto bad = [&](const std::string& why) {
    return MakeError("\"" + std::string(url) + "\" " + why);
  };
  constexpr std::string_view kScheme = "http://";
  if (url.substr(0, kScheme.size()) != kScheme) {
    return bad("is not an http:// URL (CNS serves plain HTTP; or none)");
  }
  std::string_view rest = url.substr(kScheme.size());
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find_first_of("/?#@") != std::string_view::npos) {
    return bad("has a path, query or user: give only http://host:port");
  }
  CnsUrl out;
  if (auto split = SplitAuthority(rest, out); !split.ok()) return bad(split.error());
  out.text = std::string(kScheme) + std::string(rest);
  return out;
}

const SourceType& CnsApiRegistration() {
  static const CnsApiSourceType type;
  return type;
}

std::unique_ptr<CnsApiClient> MakeCnsFileClient(std::string path) {
  return std::make_unique<CnsFileClient>(std::move(path));
}

}  // namespace winnet
