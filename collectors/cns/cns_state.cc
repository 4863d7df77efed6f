#include "collectors/cns/cns_state.h"

#include <algorithm>

#include "collectors/common/ip_address.h"
#include "collectors/common/json_read.h"
#include "collectors/common/state_file_parse.h"

namespace winnet {

using jsonr::Ctx;
using jsonr::Json;

namespace {

// IPSubnet {IPAddress, PrefixLength} as a canonical CIDR; "" when unset.
std::string ReadSubnet(const Json& config, std::string_view key, const Ctx& ctx) {
  const Json* s = jsonr::OptObject(config, key, ctx);
  if (s == nullptr) return "";
  Ctx sctx = ctx.Field(key);
  std::string ip = jsonr::OptString(*s, "IPAddress", sctx);
  if (ip.empty()) return "";
  uint64_t len = jsonr::OptU64(*s, "PrefixLength", sctx);
  auto prefix = MakeIpPrefix(ip, static_cast<int>(std::min<uint64_t>(len, 255)));
  if (!prefix) {
    sctx.Fail("\"" + ip + "/" + std::to_string(len) + "\" is not an IP prefix");
  }
  return FormatIpPrefix(*prefix);
}

std::vector<std::string> ReadSecondaryIps(const Json& req, const Ctx& ctx) {
  std::vector<std::string> ips;
  const Json* secondary = jsonr::OptObject(req, "SecondaryIPConfigs", ctx);
  if (secondary == nullptr) return ips;
  Ctx sctx = ctx.Field("SecondaryIPConfigs");
  for (const auto& [key, one] : secondary->items()) {
    Ctx ictx = sctx.Field(key);
    jsonr::AsObject(one, ictx);
    std::string text = jsonr::ReqString(one, "IPAddress", ictx);
    auto ip = ParseIpAddress(text);
    if (!ip) ictx.Field("IPAddress").Fail("\"" + text + "\" is not an IP address");
    ips.push_back(FormatIpAddress(*ip));
  }
  std::sort(ips.begin(), ips.end());
  return ips;
}

CnsNetworkContainer ReadContainer(const std::string& id, const Json& status, const Ctx& ctx) {
  jsonr::AsObject(status, ctx);
  CnsNetworkContainer nc;
  nc.id = id;
  const Json* req = jsonr::OptObject(status, "CreateNetworkContainerRequest", ctx);
  if (req == nullptr) return nc;
  Ctx rctx = ctx.Field("CreateNetworkContainerRequest");
  nc.type = jsonr::OptString(*req, "NetworkContainerType", rctx);
  if (const Json* conf = jsonr::OptObject(*req, "IPConfiguration", rctx)) {
    Ctx cctx = rctx.Field("IPConfiguration");
    nc.subnet = ReadSubnet(*conf, "IPSubnet", cctx);
    nc.subnet_v6 = ReadSubnet(*conf, "IPSubnetV6", cctx);
    nc.gateway = CanonicalIp(jsonr::OptString(*conf, "GatewayIPAddress", cctx));
    nc.gateway_v6 = CanonicalIp(jsonr::OptString(*conf, "GatewayIPv6Address", cctx));
  }
  if (const Json* v6 = jsonr::OptObject(*req, "IPv6Configuration", rctx);
      v6 && nc.subnet_v6.empty()) {
    nc.subnet_v6 = ReadSubnet(*v6, "IPSubnet", rctx.Field("IPv6Configuration"));
  }
  nc.secondary_ips = ReadSecondaryIps(*req, rctx);
  return nc;
}

void ReadCnsState(const Json& doc, const Ctx& root, CnsState& state) {
  std::string version;
  const Json& cns = jsonr::ReadStoreHead(doc, "ContainerNetworkService", root, &version,
                                         &state.timestamp_text, &state.timestamp);
  Ctx ctx = root.Field("ContainerNetworkService");
  state.present = true;
  state.network_type = jsonr::OptString(cns, "NetworkType", ctx);
  if (const Json* all = jsonr::OptObject(cns, "ContainerStatus", ctx)) {
    for (const auto& [id, status] : all->items()) {
      state.containers.push_back(ReadContainer(id, status, ctx.Field("ContainerStatus").Field(id)));
    }
  }
}

}  // namespace

Result<CnsState> ParseCnsState(std::string_view text, std::string_view file) {
  return ParseStateFile<CnsState>(text, file, ReadCnsState);
}

}  // namespace winnet
