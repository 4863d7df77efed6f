#include "collectors/ipam/ipam_state.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <utility>

#include "collectors/common/json_read.h"
#include "collectors/common/netaddr.h"
#include "collectors/common/state_file_parse.h"

namespace winnet {

using jsonr::Ctx;
using jsonr::Json;

namespace {

// The address records of the pools, streamed out of the document while it is
// parsed (65,536 of them in a /16 pool): per pool, the records and the first
// bad one's error, reported where the DOM walk would have found it.
struct TakenAddresses {
  size_t count = 0;
  std::vector<IpamAddress> in_use;
  std::string error_key, error;
};
using TakenPools = std::map<std::pair<std::string, std::string>, TakenAddresses>;  // (space, cidr)

const std::vector<std::string> kAddressPath = {"IPAM", "AddressSpaces", "*", "Pools",
                                               "*",    "Addresses",     "*"};

// Records come pool by pool: `last` saves a map lookup for each.
struct TakenState {
  TakenPools pools;
  std::string last_space, last_cidr;
  TakenAddresses* last = nullptr;
};

void TakeAddress(TakenState& state, std::string_view space, std::string_view cidr, const Ctx& rctx,
                 std::string_view ip_key, const Json& rec) {
  if (state.last == nullptr || state.last_space != space || state.last_cidr != cidr) {
    state.last_space = space;
    state.last_cidr = cidr;
    state.last = &state.pools[{state.last_space, state.last_cidr}];
  }
  TakenAddresses& t = *state.last;
  const std::string ip(ip_key);
  try {
    jsonr::AsObject(rec, rctx);
    std::string id = jsonr::OptString(rec, "ID", rctx);
    bool in_use = jsonr::OptBool(rec, "InUse", rctx);
    std::string addr = jsonr::OptString(rec, "Addr", rctx);
    if (!addr.empty() && addr != ip) {
      rctx.Field("Addr").Fail("\"" + addr + "\" differs from its key \"" + ip + "\"");
    }
    ++t.count;
    if (in_use) t.in_use.push_back(IpamAddress{ip, std::move(id)});
  } catch (const jsonr::FieldError& e) {
    if (t.error.empty() || ip < t.error_key) {  // the DOM walks keys in order
      t.error_key = ip;
      t.error = e.what();
    }
  }
}

IpamPool ParsePool(const std::string& space, const std::string& cidr, const Json& pj,
                   const Ctx& ctx, TakenPools& taken) {
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
  // Addresses must be an object (its records were taken out while parsing).
  jsonr::OptObject(pj, "Addresses", ctx);
  if (auto it = taken.find({space, cidr}); it != taken.end()) {
    if (!it->second.error.empty()) throw jsonr::FieldError(it->second.error);
    pool.capacity = it->second.count;
    pool.in_use = std::move(it->second.in_use);
    auto by_ip = [](const IpamAddress& a, const IpamAddress& b) { return a.ip < b.ip; };
    if (!std::is_sorted(pool.in_use.begin(), pool.in_use.end(), by_ip)) {
      std::sort(pool.in_use.begin(), pool.in_use.end(), by_ip);
    }
    pool.in_use.shrink_to_fit();
  }
  return pool;
}

}  // namespace

Result<IpamState> ParseIpamState(std::string_view text, std::string_view file) {
  TakenState taken;
  auto parse_doc = [&] {
    return jsonr::ParseStreaming(
        text, file, kAddressPath,
        [&](const Ctx& rctx, const std::vector<std::string_view>& keys, Json&& rec) {
          // IPAM.AddressSpaces.<space>.Pools.<cidr>.Addresses.<ip>
          TakeAddress(taken, keys[2], keys[4], rctx, keys[6], rec);
        });
  };
  auto read_doc = [&](const Json& doc, const Ctx& root, IpamState& state) {
    const Json& ipam = jsonr::ReadStoreHead(doc, "IPAM", root, &state.version,
                                            &state.timestamp_text, &state.timestamp);
    Ctx ctx = root.Field("IPAM");
    state.present = true;
    const Json* spaces = jsonr::OptObject(ipam, "AddressSpaces", ctx);
    if (spaces == nullptr) return;
    Ctx sctx = ctx.Field("AddressSpaces");
    for (const auto& [space_id, space] : spaces->items()) {
      Ctx spctx = sctx.Field(space_id);
      jsonr::AsObject(space, spctx);
      const Json* pools = jsonr::OptObject(space, "Pools", spctx);
      if (pools == nullptr) continue;
      for (const auto& [cidr, pool] : pools->items()) {
        state.pools.push_back(
            ParsePool(space_id, cidr, pool, spctx.Field("Pools").Field(cidr), taken.pools));
      }
    }
  };
  return ParseStateFile<IpamState>(text, file, parse_doc, read_doc);
}

}  // namespace winnet
