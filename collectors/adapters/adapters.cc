#include "collectors/adapters/adapters.h"

#include <unordered_map>

#include "collectors/common/json_read.h"
#include "collectors/common/netaddr.h"

namespace winnet {

using jsonr::Ctx;
using jsonr::Json;

Result<std::vector<AdapterRow>> ParseAdaptersJson(std::string_view text, std::string_view file) {
  auto doc = jsonr::Parse(text, file);
  if (!doc.ok()) return MakeError(doc.error());
  std::vector<AdapterRow> rows;
  try {
    Ctx root(file, "");
    jsonr::AsArray(*doc, root);
    rows.reserve(doc->size());
    for (size_t i = 0; i < doc->size(); ++i) {
      const Json& r = (*doc)[i];
      Ctx ctx = root.Index(i);
      jsonr::AsObject(r, ctx);
      AdapterRow row;
      row.alias = jsonr::ReqString(r, "Alias", ctx);
      row.description = jsonr::OptString(r, "Description", ctx);
      uint64_t index = jsonr::OptU64(r, "InterfaceIndex", ctx);
      if (index > UINT32_MAX) ctx.Field("InterfaceIndex").Fail("out of range");
      row.interface_index = static_cast<uint32_t>(index);
      std::string mac = jsonr::OptString(r, "PhysicalAddress", ctx);
      if (!mac.empty()) {
        auto norm = NormalizeMacText(mac);
        if (!norm) ctx.Field("PhysicalAddress").Fail("\"" + mac + "\" is not a MAC address");
        row.mac = *norm;
      }
      row.oper_status = jsonr::OptI64(r, "OperStatus", ctx);
      row.receive_link_speed = jsonr::OptU64(r, "ReceiveLinkSpeed", ctx);
      row.transmit_link_speed = jsonr::OptU64(r, "TransmitLinkSpeed", ctx);
      row.in_octets = jsonr::ReqU64(r, "InOctets", ctx);
      row.out_octets = jsonr::ReqU64(r, "OutOctets", ctx);
      row.in_ucast_pkts = jsonr::ReqU64(r, "InUcastPkts", ctx);
      row.in_nucast_pkts = jsonr::ReqU64(r, "InNUcastPkts", ctx);
      row.out_ucast_pkts = jsonr::ReqU64(r, "OutUcastPkts", ctx);
      row.out_nucast_pkts = jsonr::ReqU64(r, "OutNUcastPkts", ctx);
      row.in_discards = jsonr::ReqU64(r, "InDiscards", ctx);
      row.in_errors = jsonr::ReqU64(r, "InErrors", ctx);
      row.out_discards = jsonr::ReqU64(r, "OutDiscards", ctx);
      row.out_errors = jsonr::ReqU64(r, "OutErrors", ctx);
      rows.push_back(std::move(row));
    }
  } catch (const jsonr::FieldError& e) {
    return MakeError(e.what());
  }
  return rows;
}

std::string AdaptersToJson(const std::vector<AdapterRow>& rows) {
  Json out = Json::array();
  for (const auto& r : rows) {
    std::string mac = r.mac;
    for (char& c : mac) {
      if (c == ':') c = '-';
      if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
    }
    out.push_back(Json{{"Alias", r.alias},
                       {"Description", r.description},
                       {"InterfaceIndex", r.interface_index},
                       {"PhysicalAddress", mac},
                       {"OperStatus", r.oper_status},
                       {"ReceiveLinkSpeed", r.receive_link_speed},
                       {"TransmitLinkSpeed", r.transmit_link_speed},
                       {"InOctets", r.in_octets},
                       {"OutOctets", r.out_octets},
                       {"InUcastPkts", r.in_ucast_pkts},
                       {"InNUcastPkts", r.in_nucast_pkts},
                       {"OutUcastPkts", r.out_ucast_pkts},
                       {"OutNUcastPkts", r.out_nucast_pkts},
                       {"InDiscards", r.in_discards},
                       {"InErrors", r.in_errors},
                       {"OutDiscards", r.out_discards},
                       {"OutErrors", r.out_errors}});
  }
  return out.dump(1, '\t') + "\n";
}

bool SameButCounters(const AdapterRow& a, const AdapterRow& b) {
  return a.alias == b.alias && a.description == b.description &&
         a.interface_index == b.interface_index && a.mac == b.mac &&
         a.oper_status == b.oper_status && a.receive_link_speed == b.receive_link_speed &&
         a.transmit_link_speed == b.transmit_link_speed;
}

void DisambiguateAliases(std::vector<AdapterRow>& rows) {
  std::unordered_map<std::string, size_t> count;
  for (const auto& r : rows) ++count[r.alias];
  for (auto& r : rows) {
    if (count[r.alias] > 1) r.alias += " [ifindex " + std::to_string(r.interface_index) + "]";
  }
}

}  // namespace winnet
