#include "collectors/cns/cns_ipaddresses.h"

#include <cctype>

#include "collectors/common/json_read.h"
#include "collectors/common/netaddr.h"

namespace winnet {

using jsonr::Ctx;
using jsonr::Json;

namespace {

// CNS's Response.Message as one short line of valid UTF-8: it ends up in
// /healthz and the log.
std::string OneLine(std::string_view text) {
  constexpr size_t kMaxMessage = 300;
  std::string out;
  for (char c : text.substr(0, kMaxMessage)) {
    out += std::iscntrl(static_cast<unsigned char>(c)) ? ' ' : c;
  }
  out = ToValidUtf8(out);
  if (text.size() > kMaxMessage) out += "…";
  return out;
}

// A non-zero Response.ReturnCode: CNS refused the request.
void CheckResponse(const Json& doc, const Ctx& root) {
  const Json* response = jsonr::OptObject(doc, "Response", root);
  if (response == nullptr) return;
  Ctx ctx = root.Field("Response");
  int64_t code = jsonr::OptI64(*response, "ReturnCode", ctx);
  if (code == 0) return;
  std::string message = jsonr::OptString(*response, "Message", ctx);
  ctx.Field("ReturnCode")
      .Fail(
          "CNS answered ReturnCode " + std::to_string(code) +
          (message.empty() ? std::string(" without a message") : ": \"" + OneLine(message) + "\""));
}

// PodInfo: null when no pod holds the IP; Version and SecondaryInterfaceSet
// are not read.
void ReadPodInfo(const Json& entry, const Ctx& ctx, CnsIpConfig& ip) {
  const Json* pod = jsonr::OptObject(entry, "PodInfo", ctx);
  if (pod == nullptr) return;
  Ctx pctx = ctx.Field("PodInfo");
  ip.pod_name = jsonr::OptString(*pod, "podName", pctx);
  ip.pod_namespace = jsonr::OptString(*pod, "podNamespace", pctx);
  ip.pod_infra_container_id = jsonr::OptString(*pod, "PodInfraContainerID", pctx);
  ip.pod_interface_id = jsonr::OptString(*pod, "PodInterfaceID", pctx);
}

CnsIpConfig ReadIpConfig(const Json& entry, const Ctx& ctx) {
  jsonr::AsObject(entry, ctx);
  CnsIpConfig ip;
  std::string address = jsonr::ReqString(entry, "IPAddress", ctx);
  auto canonical = CanonicalIpText(address);
  if (!canonical) ctx.Field("IPAddress").Fail("\"" + address + "\" is not an IP address");
  ip.ip = std::move(*canonical);
  ip.state = jsonr::ReqString(entry, "state", ctx);
  ip.id = jsonr::OptString(entry, "ID", ctx);
  ip.nc_id = jsonr::OptString(entry, "NCID", ctx);
  std::string transition = jsonr::OptString(entry, "LastStateTransition", ctx);
  if (!transition.empty()) {
    auto parsed = ParseRfc3339(transition);
    if (!parsed.ok()) {
      ctx.Field("LastStateTransition").Fail("\"" + transition + "\" " + parsed.error());
    }
    // Go's zero time: the transition time was never set (unknown).
    if (*parsed != kGoZeroTimeUnix) ip.last_transition_unix = *parsed;
  }
  ReadPodInfo(entry, ctx, ip);
  return ip;
}

}  // namespace

Result<CnsIpAddresses> ParseCnsIpAddresses(std::string_view body, std::string_view where) {
  size_t first = body.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    return MakeError(std::string(where) + ": empty answer (" + std::to_string(body.size()) +
                     " bytes), expected a JSON object with IPConfigurationStatus");
  }
  auto doc = jsonr::Parse(body, where);
  if (!doc.ok()) return MakeError(doc.error());
  CnsIpAddresses out;
  try {
    Ctx root(where, "");
    jsonr::AsObject(*doc, root);
    if (!doc->contains("IPConfigurationStatus") && !doc->contains("Response")) {
      root.Fail("neither IPConfigurationStatus nor Response: not an answer of /debug/ipaddresses");
    }
    CheckResponse(*doc, root);
    if (const Json* list = jsonr::OptArray(*doc, "IPConfigurationStatus", root)) {
      Ctx lctx = root.Field("IPConfigurationStatus");
      out.ips.reserve(list->size());
      for (size_t i = 0; i < list->size(); ++i) {
        out.ips.push_back(ReadIpConfig((*list)[i], lctx.Index(i)));
      }
    }
  } catch (const jsonr::FieldError& e) {
    return MakeError(e.what());
  }
  out.present = true;
  return out;
}

}  // namespace winnet
