#include "collectors/cni/cni_state.h"

#include <algorithm>

#include "collectors/common/json_read.h"
#include "collectors/common/netaddr.h"
#include "collectors/common/state_file_parse.h"

namespace winnet {

using jsonr::Ctx;
using jsonr::Json;

namespace {

// An endpoint's DNS.Servers (strings).
std::vector<std::string> DnsServers(const Json& ej, const Ctx& ctx) {
  std::vector<std::string> out;
  const Json* dns = jsonr::OptObject(ej, "DNS", ctx);
  if (dns == nullptr) return out;
  const Ctx dctx = ctx.Field("DNS");
  const Json* servers = jsonr::OptArray(*dns, "Servers", dctx);
  if (servers == nullptr) return out;
  const Ctx sctx = dctx.Field("Servers");
  for (size_t i = 0; i < servers->size(); ++i) {
    if (!(*servers)[i].is_string()) {
      sctx.Index(i).Fail(std::string("expected a string, got ") + jsonr::TypeName((*servers)[i]));
    }
    out.push_back((*servers)[i].get<std::string>());
  }
  return out;
}

CniEndpoint ParseEndpoint(const std::string& key, const Json& ej, const Ctx& ctx) {
  jsonr::AsObject(ej, ctx);
  CniEndpoint ep;
  ep.id = jsonr::OptString(ej, "Id", ctx);
  if (ep.id.empty()) ep.id = key;
  ep.hns_id = NormalizeGuidReference(jsonr::OptString(ej, "HnsId", ctx));
  ep.sandbox_key = jsonr::OptString(ej, "SandboxKey", ctx);
  ep.container_id = jsonr::OptString(ej, "ContainerID", ctx);
  ep.net_ns = jsonr::OptString(ej, "NetNs", ctx);
  if (ep.net_ns.empty()) ep.net_ns = jsonr::OptString(ej, "NetworkNameSpace", ctx);
  if (IsZeroGuid(ep.net_ns)) ep.net_ns.clear();
  ep.if_name = jsonr::OptString(ej, "IfName", ctx);
  ep.host_if_name = jsonr::OptString(ej, "HostIfName", ctx);
  ep.pod_name = jsonr::OptString(ej, "PODName", ctx);
  ep.pod_namespace = jsonr::OptString(ej, "PODNameSpace", ctx);
  ep.nic_type = jsonr::OptString(ej, "NICType", ctx);
  std::string mac = jsonr::OptString(ej, "MacAddress", ctx);
  if (!mac.empty()) {
    auto bytes = DecodeBase64(mac);
    if (!bytes) ctx.Field("MacAddress").Fail("\"" + mac + "\" is not base64");
    ep.mac = FormatMac(*bytes);
  }
  if (const Json* ips = jsonr::OptArray(ej, "IPAddresses", ctx)) {
    Ctx ictx = ctx.Field("IPAddresses");
    for (size_t i = 0; i < ips->size(); ++i) {
      Ctx one = ictx.Index(i);
      jsonr::AsObject((*ips)[i], one);
      std::string ip = jsonr::OptString((*ips)[i], "IP", one);
      if (!ip.empty()) ep.ips.push_back(std::move(ip));
    }
  }
  ep.dns_servers = DnsServers(ej, ctx);
  return ep;
}

}  // namespace

std::vector<std::string> DnsServersOf(const CniState& state) {
  std::vector<std::string> out;
  for (const auto& ep : state.endpoints) {
    for (const auto& server : ep.dns_servers) {
      if (std::find(out.begin(), out.end(), server) == out.end()) out.push_back(server);
    }
  }
  return out;
}

namespace {

// One network of azure-vnet.json with its endpoints, into `state`.
void ReadNetwork(const std::string& if_key, const std::string& net_key, const Json& nj,
                 const Ctx& nctx, CniState& state) {
  jsonr::AsObject(nj, nctx);
  CniNetwork n;
  n.id = jsonr::OptString(nj, "Id", nctx);
  if (n.id.empty()) n.id = net_key;
  n.hns_id = NormalizeGuidReference(jsonr::OptString(nj, "HnsId", nctx));
  n.mode = LowerAscii(jsonr::OptString(nj, "Mode", nctx));
  n.external_interface = if_key;
  if (const Json* eps = jsonr::OptObject(nj, "Endpoints", nctx)) {
    for (const auto& [ep_key, ej] : eps->items()) {
      CniEndpoint ep = ParseEndpoint(ep_key, ej, nctx.Field("Endpoints").Field(ep_key));
      ep.network_id = n.id;
      ep.external_interface = if_key;
      state.endpoints.push_back(std::move(ep));
    }
  }
  state.networks.push_back(std::move(n));
}

void ReadCniState(const Json& doc, const Ctx& root, CniState& state) {
  const Json& net = jsonr::ReadStoreHead(doc, "Network", root, &state.version,
                                         &state.timestamp_text, &state.timestamp);
  Ctx ctx = root.Field("Network");
  state.present = true;
  const Json* ifs = jsonr::OptObject(net, "ExternalInterfaces", ctx);
  if (ifs == nullptr) return;
  Ctx ifctx = ctx.Field("ExternalInterfaces");
  for (const auto& [if_key, ifj] : ifs->items()) {
    Ctx ictx = ifctx.Field(if_key);
    jsonr::AsObject(ifj, ictx);
    const Json* nets = jsonr::OptObject(ifj, "Networks", ictx);
    if (nets == nullptr) continue;
    for (const auto& [net_key, nj] : nets->items()) {
      ReadNetwork(if_key, net_key, nj, ictx.Field("Networks").Field(net_key), state);
    }
  }
}

}  // namespace

Result<CniState> ParseCniState(std::string_view text, std::string_view file) {
  return ParseStateFile<CniState>(text, file, ReadCniState);
}

}  // namespace winnet
