#include "collectors/hns/hns_v1.h"

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <optional>

#include "collectors/common/flat_json.h"
#include "collectors/common/json_read.h"
#include "collectors/common/netaddr.h"
#include "collectors/hns/hns_v1_internal.h"

namespace winnet {

using jsonr::Ctx;
using jsonr::Json;

std::string HnsEndpointStateName(int64_t state) {
  switch (state) {
    case 0: return "uninitialized";
    case 1: return "created";
    case 2: return "attached";
    case 3: return "attached_sharing";
    case 4: return "detached";
    case 5: return "degraded";
    case 6: return "destroyed";
    default: return "unknown_" + std::to_string(state);
  }
}

namespace {

// " (HRESULT 0x803B0013)" for a failed answer's ErrorCode, written signed or
// unsigned; "" when there is none or it is no 32-bit code.
std::string HresultSuffix(const Json& doc) {
  const Json* code = jsonr::Find(doc, "ErrorCode");
  if (code == nullptr || !code->is_number_integer()) return "";
  uint32_t hresult = 0;
  if (code->is_number_unsigned()) {
    if (code->get<uint64_t>() > UINT32_MAX) return "";
    hresult = static_cast<uint32_t>(code->get<uint64_t>());
  } else {
    const int64_t value = code->get<int64_t>();
    if (value < INT32_MIN) return "";
    hresult = static_cast<uint32_t>(value);
  }
  if (hresult == 0) return "";
  char text[32];
  std::snprintf(text, sizeof text, " (HRESULT 0x%08X)", hresult);
  return text;
}

// Checks the envelope. Returns Output: an object for a single-item call; for a
// list call an array, one object (a list answer holding a single item can
// come in the shape of a single-item answer), or nullptr when Output is unset
// (an empty list).
const Json* Unwrap(const Json& doc, const Ctx& root, bool want_list) {
  jsonr::AsObject(doc, root);
  const Json* success = jsonr::Find(doc, "Success");
  if (success == nullptr) root.Field("Success").Fail("missing: not an HNS response envelope");
  if (!success->is_boolean()) {
    root.Field("Success").Fail(std::string("expected a boolean, got ") + jsonr::TypeName(*success));
  }
  if (!success->get<bool>()) {
    std::string msg = jsonr::OptString(doc, "Error", root);
    root.Fail((msg.empty() ? "HNS reported failure (Success false) without an Error message"
                           : "HNS reported failure: " + msg) +
              HresultSuffix(doc));
  }
  auto it = doc.find("Output");
  if (it == doc.end()) root.Field("Output").Fail("missing");
  if (!want_list) return &jsonr::AsObject(*it, root.Field("Output"));
  if (jsonr::IsUnset(*it)) return nullptr;
  if (it->is_object()) return &*it;
  return &jsonr::AsArray(*it, root.Field("Output"));
}

// "/endpoints/{8F109901-…}" as "/endpoints/8f109901-…": the GUID at the end of
// a policy list's reference, normalised like the ids it refers to.
std::string NormalizeReference(std::string_view path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return NormalizeGuid(path);
  return LowerAscii(path.substr(0, slash + 1)) + NormalizeGuid(path.substr(slash + 1));
}

// VIPs, Protocol and ports of an ELB policy.
void ReadLoadBalancer(const Json& policy, const Ctx& ctx, HnsPolicyList& pl) {
  if (const Json* vips = jsonr::OptArray(policy, "VIPs", ctx)) {
    Ctx vctx = ctx.Field("VIPs");
    for (size_t i = 0; i < vips->size(); ++i) {
      if (!(*vips)[i].is_string()) {
        vctx.Index(i).Fail(std::string("expected a string, got ") + jsonr::TypeName((*vips)[i]));
      }
      pl.vips.push_back((*vips)[i].get<std::string>());
    }
  }
  pl.protocol = jsonr::OptI64(policy, "Protocol", ctx);
  pl.internal_port = jsonr::OptI64(policy, "InternalPort", ctx);
  pl.external_port = jsonr::OptI64(policy, "ExternalPort", ctx);
}

std::string Mac(const Json& obj, const Ctx& ctx) {
  std::string text = jsonr::OptString(obj, "MacAddress", ctx);
  if (text.empty()) return text;
  auto mac = NormalizeMacText(text);
  if (!mac) ctx.Field("MacAddress").Fail("\"" + text + "\" is not a MAC address");
  return *mac;
}

// The items of Output are parsed as the document is read, and not kept in it
// (5,000 remote endpoints are 2.5 MB of JSON). The first bad item's error is
// reported after the envelope is checked, as a walk of the whole DOM would.
template <typename T, typename F>
Result<std::vector<T>> ParseList(std::string_view text, std::string_view file, F parse_one) {
  std::vector<T> out;
  std::string item_error;
  static const std::vector<std::string> kItems = {"Output", "[]"};
  auto doc = jsonr::ParseStreaming(
      text, file, kItems, [&](const Ctx& ictx, const std::vector<std::string_view>&, Json&& item) {
        if (!item_error.empty()) return;
        try {
          jsonr::AsObject(item, ictx);
          out.push_back(parse_one(item, ictx));
        } catch (const jsonr::FieldError& e) {
          item_error = e.what();
        }
      });
  if (!doc.ok()) return MakeError(doc.error());
  try {
    const Ctx root(file, "");
    const Json* output = Unwrap(*doc, root, true);
    if (output != nullptr && output->is_object()) {
      out.push_back(parse_one(*output, root.Field("Output")));
    }
  } catch (const jsonr::FieldError& e) {
    return MakeError(e.what());
  }
  if (!item_error.empty()) return MakeError(item_error);
  // The list is held until HNS changes: without the growth's slack (up to
  // half of it; 1.2 MB at 5,250 endpoints).
  out.shrink_to_fit();
  return out;
}

}  // namespace

Result<std::vector<HnsEndpoint>> ParseHnsEndpoints(std::string_view text, std::string_view file) {
  return ParseList<HnsEndpoint>(text, file, [](const Json& e, const Ctx& ctx) {
    HnsEndpoint ep;
    std::string raw_id = jsonr::ReqString(e, "ID", ctx);
    ep.id = NormalizeGuid(raw_id);
    ep.name = jsonr::OptString(e, "Name", ctx);
    ep.network_id = NormalizeGuidReference(jsonr::OptString(e, "VirtualNetwork", ctx));
    ep.network_name = jsonr::OptString(e, "VirtualNetworkName", ctx);
    ep.type = LowerAscii(jsonr::OptString(e, "Type", ctx));
    ep.ip = jsonr::OptString(e, "IPAddress", ctx);
    ep.ipv6 = jsonr::OptString(e, "IPv6Address", ctx);
    ep.prefix_length = jsonr::OptI64(e, "PrefixLength", ctx);
    ep.mac = Mac(e, ctx);
    ep.remote = jsonr::OptBool(e, "IsRemoteEndpoint", ctx);
    if (!ep.remote) ep.raw_id = std::move(raw_id);  // only local endpoints have stats
    ep.state = jsonr::OptI64(e, "State", ctx);
    if (const Json* ns = jsonr::OptObject(e, "Namespace", ctx)) {
      ep.namespace_id = NormalizeGuidReference(jsonr::OptString(*ns, "ID", ctx.Field("Namespace")));
    }
    if (const Json* sc = jsonr::OptArray(e, "SharedContainers", ctx)) {
      Ctx sctx = ctx.Field("SharedContainers");
      for (size_t i = 0; i < sc->size(); ++i) {
        if (!(*sc)[i].is_string()) {
          sctx.Index(i).Fail(std::string("expected a string, got ") + jsonr::TypeName((*sc)[i]));
        }
        ep.shared_containers.push_back((*sc)[i].get<std::string>());
      }
    }
    return ep;
  });
}

Result<std::vector<HnsNetwork>> ParseHnsNetworks(std::string_view text, std::string_view file) {
  return ParseList<HnsNetwork>(text, file, [](const Json& n, const Ctx& ctx) {
    HnsNetwork net;
    net.id = NormalizeGuid(jsonr::ReqString(n, "ID", ctx));
    net.name = jsonr::OptString(n, "Name", ctx);
    net.type = LowerAscii(jsonr::OptString(n, "Type", ctx));
    if (net.type.empty()) net.type = "nat";  // HNS omits the zero value, which is NAT
    if (const Json* subnets = jsonr::OptArray(n, "Subnets", ctx)) {
      Ctx sctx = ctx.Field("Subnets");
      for (size_t i = 0; i < subnets->size(); ++i) {
        Ctx one = sctx.Index(i);
        jsonr::AsObject((*subnets)[i], one);
        std::string prefix = jsonr::OptString((*subnets)[i], "AddressPrefix", one);
        if (!prefix.empty()) net.subnets.push_back(std::move(prefix));
      }
    }
    return net;
  });
}

Result<std::vector<HnsPolicyList>> ParseHnsPolicyLists(std::string_view text,
                                                       std::string_view file) {
  return ParseList<HnsPolicyList>(text, file, [](const Json& p, const Ctx& ctx) {
    HnsPolicyList pl;
    pl.id = NormalizeGuid(jsonr::ReqString(p, "ID", ctx));
    if (const Json* policies = jsonr::OptArray(p, "Policies", ctx)) {
      Ctx pctx = ctx.Field("Policies");
      for (size_t i = 0; i < policies->size(); ++i) {
        Ctx one = pctx.Index(i);
        jsonr::AsObject((*policies)[i], one);
        if (LowerAscii(jsonr::OptString((*policies)[i], "Type", one)) == "elb" &&
            !pl.load_balancer) {
          pl.load_balancer = true;
          ReadLoadBalancer((*policies)[i], one, pl);
        }
      }
    }
    if (const Json* refs = jsonr::OptArray(p, "References", ctx)) {
      for (const auto& r : *refs) {
        if (r.is_string()) pl.references.push_back(NormalizeReference(r.get<std::string>()));
      }
    }
    return pl;
  });
}

namespace {

// The counters of an endpointstats Output, all required, in the order the
// full parser reads them (the first missing one is the one reported).
struct StatsCounter {
  std::string_view key;
  uint64_t HnsEndpointStats::*field;
};
constexpr StatsCounter kStatsCounters[] = {
    {"BytesReceived", &HnsEndpointStats::bytes_received},
    {"BytesSent", &HnsEndpointStats::bytes_sent},
    {"PacketsReceived", &HnsEndpointStats::packets_received},
    {"PacketsSent", &HnsEndpointStats::packets_sent},
    {"DroppedPacketsIncoming", &HnsEndpointStats::dropped_packets_incoming},
    {"DroppedPacketsOutgoing", &HnsEndpointStats::dropped_packets_outgoing},
};
constexpr unsigned kAllStatsCounters = (1u << std::size(kStatsCounters)) - 1;

std::atomic<uint64_t> stats_fast_reads{0};  // HnsEndpointStatsFastReads

// One member of Output on the fast path, `counters` marking the counters read.
// Only a value of the field's own type is taken: an unset marker of another
// type (the full parser's "absent") gives up.
bool ReadStatsMember(FlatJsonReader& reader, std::string_view key, HnsEndpointStats& stats,
                     unsigned& counters) {
  for (size_t i = 0; i < std::size(kStatsCounters); ++i) {
    if (key == kStatsCounters[i].key) {
      counters |= 1u << i;
      return reader.ReadUint(&(stats.*kStatsCounters[i].field));
    }
  }
  if (key == "EndpointId") {
    std::string_view id;
    if (!reader.ReadString(&id)) return false;
    stats.endpoint_id = NormalizeGuidReference(id);
    return true;
  }
  // InstanceId and the like, which nothing reads. Newer HNS versions nest
  // Resources here: skipped too, the scanner checking it as strictly as the rest.
  return reader.SkipValue();
}

}  // namespace

std::optional<HnsEndpointStats> ParseHnsEndpointStatsFast(std::string_view text) {
  FlatJsonReader reader(text);
  HnsEndpointStats stats;
  bool success = false;
  unsigned counters = 0;
  const bool read = reader.ReadObject([&](std::string_view key) {
    if (key == "Success") return reader.ReadBool(&success) && success;  // a failure: full parser
    if (key == "Output") {
      return reader.ReadObject(
          [&](std::string_view k) { return ReadStatsMember(reader, k, stats, counters); });
    }
    return reader.SkipValue();  // the envelope's Error, ErrorCode and the like
  });
  // Output was read when a counter was: they are only taken inside it.
  if (!read || !reader.AtEnd() || !success || counters != kAllStatsCounters) return std::nullopt;
  return stats;
}

Result<HnsEndpointStats> ParseHnsEndpointStatsFull(std::string_view text, std::string_view file) {
  auto doc = jsonr::Parse(text, file);
  if (!doc.ok()) return MakeError(doc.error());
  HnsEndpointStats s;
  try {
    Ctx root(file, "");
    const Json& out = *Unwrap(*doc, root, false);
    Ctx ctx = root.Field("Output");
    s.endpoint_id = NormalizeGuidReference(jsonr::OptString(out, "EndpointId", ctx));
    for (const StatsCounter& c : kStatsCounters) s.*c.field = jsonr::ReqU64(out, c.key, ctx);
  } catch (const jsonr::FieldError& e) {
    return MakeError(e.what());
  }
  return s;
}

// An answer is read for every local endpoint at every poll: the usual one on
// the fast path, which builds no document; anything else, and every error, by
// the full parser.
Result<HnsEndpointStats> ParseHnsEndpointStats(std::string_view text, std::string_view file) {
  if (auto stats = ParseHnsEndpointStatsFast(text)) {
    stats_fast_reads.fetch_add(1, std::memory_order_relaxed);
    return *std::move(stats);
  }
  return ParseHnsEndpointStatsFull(text, file);
}

uint64_t HnsEndpointStatsFastReads() { return stats_fast_reads.load(std::memory_order_relaxed); }

}  // namespace winnet
