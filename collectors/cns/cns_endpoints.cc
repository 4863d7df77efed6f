#include "collectors/cns/cns_endpoints.h"

#include "collectors/common/ip_address.h"
#include "collectors/common/json_read.h"
#include "collectors/common/netaddr.h"
#include "collectors/common/state_file_parse.h"

namespace winnet {

using jsonr::Ctx;
using jsonr::Json;

namespace {

// IPv4 / IPv6: arrays of Go net.IPNet, {"IP": "10.0.0.5", "Mask": "<base64>"}.
void ReadIpNets(const Json& info, std::string_view key, const Ctx& ctx,
                std::vector<std::string>* out) {
  const Json* nets = jsonr::OptArray(info, key, ctx);
  if (nets == nullptr) return;
  Ctx nctx = ctx.Field(key);
  for (size_t i = 0; i < nets->size(); ++i) {
    Ctx one = nctx.Index(i);
    jsonr::AsObject((*nets)[i], one);
    std::string text = jsonr::OptString((*nets)[i], "IP", one);
    if (text.empty()) continue;
    auto ip = ParseIpAddress(text);
    if (!ip) one.Field("IP").Fail("\"" + text + "\" is not an IP address");
    out->push_back(FormatIpAddress(*ip));
  }
}

CnsEndpointInterface ReadInterface(const std::string& if_name, const Json& info, const Ctx& ctx) {
  jsonr::AsObject(info, ctx);
  CnsEndpointInterface i;
  i.if_name = if_name;
  ReadIpNets(info, "IPv4", ctx, &i.ips);
  ReadIpNets(info, "IPv6", ctx, &i.ips);
  i.hns_endpoint_id = NormalizeGuidReference(jsonr::OptString(info, "HnsEndpointID", ctx));
  i.hns_network_id = NormalizeGuidReference(jsonr::OptString(info, "HnsNetworkID", ctx));
  i.host_veth_name = jsonr::OptString(info, "HostVethName", ctx);
  i.mac = jsonr::OptString(info, "MacAddress", ctx);
  if (auto mac = NormalizeMacText(i.mac)) i.mac = *mac;
  i.network_container_id = jsonr::OptString(info, "NetworkContainerID", ctx);
  // NICType is a string type in CNS ("InfraNIC", "FrontendNIC", …).
  i.nic_type = jsonr::OptString(info, "NICType", ctx);
  return i;
}

CnsEndpointRecord ReadRecord(const std::string& id, const Json& rec, const Ctx& ctx) {
  jsonr::AsObject(rec, ctx);
  CnsEndpointRecord r;
  r.container_id = id;
  r.pod_name = jsonr::OptString(rec, "PodName", ctx);
  r.pod_namespace = jsonr::OptString(rec, "PodNamespace", ctx);
  if (const Json* ifs = jsonr::OptObject(rec, "IfnameToIPMap", ctx)) {
    Ctx ictx = ctx.Field("IfnameToIPMap");
    for (const auto& [name, info] : ifs->items()) {
      if (info.is_null()) continue;  // a nil *IPInfo
      r.interfaces.push_back(ReadInterface(name, info, ictx.Field(name)));
    }
  }
  return r;
}

void ReadCnsEndpoints(const Json& doc, const Ctx& root, CnsEndpoints& state) {
  jsonr::AsObject(doc, root);
  state.present = true;
  const Json* all = jsonr::OptObject(doc, "Endpoints", root);
  if (all == nullptr) return;
  for (const auto& [id, rec] : all->items()) {
    if (rec.is_null()) continue;  // a nil *EndpointInfo
    state.endpoints.push_back(ReadRecord(id, rec, root.Field("Endpoints").Field(id)));
  }
}

}  // namespace

Result<CnsEndpoints> ParseCnsEndpoints(std::string_view text, std::string_view file) {
  return ParseStateFile<CnsEndpoints>(text, file, ReadCnsEndpoints);
}

}  // namespace winnet
