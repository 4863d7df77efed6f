#include "collectors/hns/hcn.h"

#include "collectors/common/json_read.h"
#include "collectors/common/netaddr.h"

namespace winnet {

using jsonr::Ctx;
using jsonr::Json;

Result<HcnEndpoint> ParseHcnEndpoint(std::string_view text, std::string_view file) {
  auto doc = jsonr::Parse(text, file);
  if (!doc.ok()) return MakeError(doc.error());
  HcnEndpoint ep;
  try {
    Ctx root(file, "");
    jsonr::AsObject(*doc, root);
    ep.id = NormalizeGuid(jsonr::ReqString(*doc, "ID", root));
    ep.name = jsonr::OptString(*doc, "Name", root);
    ep.network_id = NormalizeGuidReference(jsonr::OptString(*doc, "HostComputeNetwork", root));
    ep.namespace_id = NormalizeGuidReference(jsonr::OptString(*doc, "HostComputeNamespace", root));
    ep.flags = jsonr::OptU64(*doc, "Flags", root);
    if (const Json* ips = jsonr::OptArray(*doc, "IpConfigurations", root)) {
      Ctx ictx = root.Field("IpConfigurations");
      for (size_t i = 0; i < ips->size(); ++i) {
        Ctx one = ictx.Index(i);
        jsonr::AsObject((*ips)[i], one);
        std::string ip = jsonr::OptString((*ips)[i], "IpAddress", one);
        if (!ip.empty()) ep.ips.push_back(std::move(ip));
      }
    }
    std::string mac = jsonr::OptString(*doc, "MacAddress", root);
    if (!mac.empty()) {
      auto norm = NormalizeMacText(mac);
      if (!norm) root.Field("MacAddress").Fail("\"" + mac + "\" is not a MAC address");
      ep.mac = *norm;
    }
  } catch (const jsonr::FieldError& e) {
    return MakeError(e.what());
  }
  return ep;
}

}  // namespace winnet
