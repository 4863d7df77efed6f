#include "collectors/adapters/adapters.h"

#include <atomic>
#include <cstdint>
#include <iterator>
#include <optional>
#include <unordered_map>

#include "collectors/adapters/adapters_internal.h"
#include "collectors/common/flat_json.h"
#include "collectors/common/json_read.h"
#include "collectors/common/netaddr.h"

namespace winnet {

using jsonr::Ctx;
using jsonr::Json;

namespace {

// The 64-bit numbers of a row, in the order the full parser reads them (the
// first bad one is the one reported); the speeds may be absent, the counters not.
struct AdapterNumber {
  std::string_view key;
  uint64_t AdapterRow::*field;
  bool required;
};
constexpr AdapterNumber kAdapterNumbers[] = {
    {"ReceiveLinkSpeed", &AdapterRow::receive_link_speed, false},
    {"TransmitLinkSpeed", &AdapterRow::transmit_link_speed, false},
    {"InOctets", &AdapterRow::in_octets, true},
    {"OutOctets", &AdapterRow::out_octets, true},
    {"InUcastPkts", &AdapterRow::in_ucast_pkts, true},
    {"InNUcastPkts", &AdapterRow::in_nucast_pkts, true},
    {"OutUcastPkts", &AdapterRow::out_ucast_pkts, true},
    {"OutNUcastPkts", &AdapterRow::out_nucast_pkts, true},
    {"InDiscards", &AdapterRow::in_discards, true},
    {"InErrors", &AdapterRow::in_errors, true},
    {"OutDiscards", &AdapterRow::out_discards, true},
    {"OutErrors", &AdapterRow::out_errors, true},
};

// Bits of the members a row must have, for the fast path: one per number
// above that is required, and Alias.
constexpr unsigned kAliasBit = 1u << std::size(kAdapterNumbers);
constexpr unsigned RequiredBits() {
  unsigned bits = kAliasBit;
  for (size_t i = 0; i < std::size(kAdapterNumbers); ++i) {
    if (kAdapterNumbers[i].required) bits |= 1u << i;
  }
  return bits;
}
constexpr unsigned kRequiredBits = RequiredBits();

std::atomic<uint64_t> fast_reads{0};  // AdaptersJsonFastReads

// InterfaceIndex, OperStatus and the numbers above, on the fast path, `seen`
// marking those of the table read. A number the full parser reports as out of
// range gives up.
bool ReadAdapterNumber(FlatJsonReader& reader, std::string_view key, AdapterRow& row,
                       unsigned& seen) {
  for (size_t i = 0; i < std::size(kAdapterNumbers); ++i) {
    if (key == kAdapterNumbers[i].key) {
      seen |= 1u << i;
      return reader.ReadUint(&(row.*kAdapterNumbers[i].field));
    }
  }
  uint64_t n = 0;
  if (key == "InterfaceIndex") {
    if (!reader.ReadUint(&n) || n > UINT32_MAX) return false;
    row.interface_index = static_cast<uint32_t>(n);
    return true;
  }
  if (key == "OperStatus") {
    if (!reader.ReadUint(&n) || n > static_cast<uint64_t>(INT64_MAX)) return false;
    row.oper_status = static_cast<int64_t>(n);
    return true;
  }
  return false;  // a key the full parser does not read
}

// One member of a row on the fast path, `seen` marking those read.
// Only a value of the field's own type is taken: an unset marker of another
// type (the full parser's "absent"), a key the full parser does not read, and
// a MAC address it would refuse all give up.
bool ReadAdapterMember(FlatJsonReader& reader, std::string_view key, AdapterRow& row,
                       unsigned& seen) {
  if (key != "Alias" && key != "Description" && key != "PhysicalAddress") {
    return ReadAdapterNumber(reader, key, row, seen);
  }
  std::string_view text;
  if (!reader.ReadString(&text)) return false;
  if (key == "Alias") {
    seen |= kAliasBit;
    row.alias = text;
  } else if (key == "Description") {
    row.description = text;
  } else if (!text.empty()) {
    auto mac = NormalizeMacText(text);
    if (!mac) return false;
    row.mac = *std::move(mac);
  }
  return true;
}

// One row on the fast path; a missing required member gives up too.
bool ReadAdapterRow(FlatJsonReader& reader, AdapterRow& row) {
  unsigned seen = 0;
  const bool read = reader.ReadObject(
      [&](std::string_view key) { return ReadAdapterMember(reader, key, row, seen); });
  return read && (seen & kRequiredBits) == kRequiredBits;
}

}  // namespace

std::optional<std::vector<AdapterRow>> ParseAdaptersJsonFast(std::string_view text) {
  FlatJsonReader reader(text);
  std::vector<AdapterRow> rows;
  const bool read = reader.ReadArray([&] { return ReadAdapterRow(reader, rows.emplace_back()); });
  if (!read || !reader.AtEnd()) return std::nullopt;
  rows.shrink_to_fit();  // held until the next poll, like the full parser's exact-size table
  return rows;
}

Result<std::vector<AdapterRow>> ParseAdaptersJsonFull(std::string_view text,
                                                      std::string_view file) {
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
      for (const AdapterNumber& n : kAdapterNumbers) {
        row.*n.field = n.required ? jsonr::ReqU64(r, n.key, ctx) : jsonr::OptU64(r, n.key, ctx);
      }
      rows.push_back(std::move(row));
    }
  } catch (const jsonr::FieldError& e) {
    return MakeError(e.what());
  }
  return rows;
}

// The table is read at every poll (250 rows are 123 kB): as AdaptersToJson
// writes it on the fast path, which builds no document; anything else, and
// every error, by the full parser.
Result<std::vector<AdapterRow>> ParseAdaptersJson(std::string_view text, std::string_view file) {
  if (auto rows = ParseAdaptersJsonFast(text)) {
    fast_reads.fetch_add(1, std::memory_order_relaxed);
    return *std::move(rows);
  }
  return ParseAdaptersJsonFull(text, file);
}

uint64_t AdaptersJsonFastReads() { return fast_reads.load(std::memory_order_relaxed); }

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
