#include "collectors/ipam_state.h"

#include <cctype>

#include "collectors/json_read.h"
#include "collectors/netaddr.h"

namespace winnet {

using jsonr::Ctx;
using jsonr::Json;

size_t IpamPool::Allocated() const {
  size_t n = 0;
  for (const auto& a : addresses) n += a.in_use ? 1 : 0;
  return n;
}

bool IsBlank(std::string_view text) {
  for (char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

namespace {

IpamPool ParsePool(const std::string& space, const std::string& cidr, const Json& pj,
                   const Ctx& ctx) {
  jsonr::AsObject(pj, ctx);
  IpamPool pool;
  pool.address_space = space;
  pool.cidr = cidr;
  pool.if_name = jsonr::OptString(pj, "IfName", ctx);
  if (const Json* subnet = jsonr::OptObject(pj, "Subnet", ctx)) {
    Ctx sctx = ctx.Field("Subnet");
    pool.subnet_ip = jsonr::OptString(*subnet, "IP", sctx);
    std::string mask = jsonr::OptString(*subnet, "Mask", sctx);
    if (!mask.empty()) {
      auto bytes = DecodeBase64(mask);
      if (!bytes) sctx.Field("Mask").Fail("\"" + mask + "\" is not base64");
      if (bytes->size() != 4 && bytes->size() != 16) {
        sctx.Field("Mask").Fail("mask has " + std::to_string(bytes->size()) +
                                " bytes, expected 4 or 16");
      }
      auto len = MaskPrefixLength(*bytes);
      if (!len) sctx.Field("Mask").Fail("\"" + mask + "\" is not a contiguous network mask");
      if (bytes->size() == 16 && IsIpv4(pool.subnet_ip)) *len -= 96;
      pool.prefix_length = *len;
    }
  }
  pool.gateway = jsonr::OptString(pj, "Gateway", ctx);
  pool.is_ipv6 = jsonr::OptBool(pj, "IsIPv6", ctx);
  pool.priority = jsonr::OptI64(pj, "Priority", ctx);
  pool.ref_count = jsonr::OptI64(pj, "RefCount", ctx);
  if (const Json* addrs = jsonr::OptObject(pj, "Addresses", ctx)) {
    Ctx actx = ctx.Field("Addresses");
    pool.addresses.reserve(addrs->size());
    for (const auto& [ip, rec] : addrs->items()) {
      Ctx rctx = actx.Field(ip);
      jsonr::AsObject(rec, rctx);
      IpamAddress a;
      a.ip = ip;
      a.id = jsonr::OptString(rec, "ID", rctx);
      a.in_use = jsonr::OptBool(rec, "InUse", rctx);
      std::string addr = jsonr::OptString(rec, "Addr", rctx);
      if (!addr.empty() && addr != ip) {
        rctx.Field("Addr").Fail("\"" + addr + "\" differs from its key \"" + ip + "\"");
      }
      pool.addresses.push_back(std::move(a));
    }
  }
  return pool;
}

}  // namespace

Result<IpamState> ParseIpamState(std::string_view text, std::string_view file) {
  IpamState state;
  if (IsBlank(text)) return state;
  auto doc = jsonr::Parse(text, file);
  if (!doc.ok()) return MakeError(doc.error());
  try {
    Ctx root(file, "");
    jsonr::AsObject(*doc, root);
    const Json& ipam = jsonr::ReqObject(*doc, "IPAM", root);
    Ctx ctx = root.Field("IPAM");
    state.present = true;
    state.version = jsonr::OptString(ipam, "Version", ctx);
    state.timestamp_text = jsonr::OptString(ipam, "TimeStamp", ctx);
    if (!state.timestamp_text.empty()) {
      state.timestamp = ParseRfc3339(state.timestamp_text);
      if (!state.timestamp) {
        ctx.Field("TimeStamp").Fail("\"" + state.timestamp_text + "\" is not an RFC 3339 time");
      }
    }
    if (const Json* spaces = jsonr::OptObject(ipam, "AddressSpaces", ctx)) {
      Ctx sctx = ctx.Field("AddressSpaces");
      for (const auto& [space_id, space] : spaces->items()) {
        Ctx spctx = sctx.Field(space_id);
        jsonr::AsObject(space, spctx);
        const Json* pools = jsonr::OptObject(space, "Pools", spctx);
        if (pools == nullptr) continue;
        for (const auto& [cidr, pool] : pools->items()) {
          state.pools.push_back(ParsePool(space_id, cidr, pool, spctx.Field("Pools").Field(cidr)));
        }
      }
    }
  } catch (const jsonr::FieldError& e) {
    return MakeError(e.what());
  }
  return state;
}

}  // namespace winnet
