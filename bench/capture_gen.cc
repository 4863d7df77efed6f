#include "bench/capture_gen.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

namespace winnet::bench {

namespace {

using Json = nlohmann::ordered_json;

std::string Ip(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", v >> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255);
  return buf;
}

std::string Guid(std::mt19937_64& rng, bool upper) {
  uint64_t a = rng(), b = rng();
  char buf[40];
  std::snprintf(
      buf, sizeof buf, upper ? "%08X-%04X-4%03X-%04X-%012llX" : "%08x-%04x-4%03x-%04x-%012llx",
      static_cast<unsigned>(a >> 32), static_cast<unsigned>((a >> 16) & 0xffff),
      static_cast<unsigned>(a & 0xfff), static_cast<unsigned>(0x8000 | (b >> 52 & 0x3fff)),
      static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return buf;
}

std::string Hex64(std::mt19937_64& rng) {
  std::string s;
  char buf[17];
  for (int i = 0; i < 4; ++i) {
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
    s += buf;
  }
  return s;
}

std::string Base64(const uint8_t* p, size_t n) {
  static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < n; i += 3) {
    uint32_t v = p[i] << 16 | (i + 1 < n ? p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
    out += t[v >> 18 & 63];
    out += t[v >> 12 & 63];
    out += i + 1 < n ? t[v >> 6 & 63] : '=';
    out += i + 2 < n ? t[v & 63] : '=';
  }
  return out;
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string Envelope(Json output) {
  Json j;
  j["Output"] = std::move(output);
  j["Success"] = true;
  return j.dump();
}

}  // namespace

std::map<std::string, std::string> GenerateCapture(const CaptureSize& size) {
  std::mt19937_64 rng(size.seed);
  std::map<std::string, std::string> files;
  // Pool: a /16 (or larger) starting at 10.0.0.0; node IP is 10.0.0.4, not a record.
  const uint32_t base = (10u << 24) + 5;
  const int allocated = std::min(size.pods, size.pool);
  const std::string net_guid = Guid(rng, false);

  struct Pod {
    std::string sandbox, name8, ep_name, hns_id, ip, ns, pod, netns;
    uint8_t mac[6];
  };
  std::vector<Pod> pods;
  for (int i = 0; i < size.pods; ++i) {
    Pod p;
    p.sandbox = Hex64(rng);
    p.name8 = p.sandbox.substr(0, 8);
    p.ep_name = p.name8 + "-eth0";
    p.hns_id = Guid(rng, false);
    p.ip = Ip(base + static_cast<uint32_t>(i));
    p.ns = "ns-" + std::to_string(i % 20);
    p.pod = "app-" + std::to_string(i) + "-" + p.sandbox.substr(8, 5);
    p.netns = Guid(rng, false);
    uint8_t mac[6] = {0x00,
                      0x15,
                      0x5d,
                      static_cast<uint8_t>(i >> 16),
                      static_cast<uint8_t>(i >> 8),
                      static_cast<uint8_t>(i)};
    std::copy(mac, mac + 6, p.mac);
    pods.push_back(p);
  }

  {  // azure-vnet-ipam.json
    // Written as text: 65,536 keys through ordered_json's linear lookup would be quadratic.
    std::vector<std::pair<std::string, int>> keys;
    for (int i = 0; i < size.pool; ++i) keys.emplace_back(Ip(base + static_cast<uint32_t>(i)), i);
    std::sort(keys.begin(), keys.end());  // Go sorts map keys bytewise
    std::string addrs = "{";
    for (size_t k = 0; k < keys.size(); ++k) {
      const auto& [ip, i] = keys[k];
      bool used = i < allocated;
      addrs += (k ? ",\n\t\t\t\t\t\"" : "\n\t\t\t\t\t\"") + ip + "\": {\"ID\": \"" +
               (used ? pods[i].sandbox : "") + "\", \"Addr\": \"" + ip +
               "\", \"InUse\": " + (used ? "true" : "false") + "}";
    }
    addrs += "}";
    int prefix = 16;
    while (prefix > 0 && (1LL << (32 - prefix)) < size.pool + 5) --prefix;
    uint32_t mask = prefix == 0 ? 0 : 0xffffffffu << (32 - prefix);
    uint8_t mb[4] = {static_cast<uint8_t>(mask >> 24), static_cast<uint8_t>(mask >> 16),
                     static_cast<uint8_t>(mask >> 8), static_cast<uint8_t>(mask)};
    std::string cidr = "10.0.0.0/" + std::to_string(prefix);
    Json pool = {{"Id", cidr},
                 {"IfName", "vEthernet (Ethernet 2)"},
                 {"Subnet", {{"IP", "10.0.0.0"}, {"Mask", Base64(mb, 4)}}},
                 {"Gateway", "10.0.0.1"},
                 {"Addresses", "@ADDRESSES@"},
                 {"IsIPv6", false},
                 {"Priority", 0},
                 {"RefCount", 1}};
    Json j = {{"IPAM",
               {{"Version", "v1.6.21"},
                {"TimeStamp", "2026-11-26T10:00:00.1234567Z"},
                {"AddressSpaces",
                 {{"local", {{"Id", "local"}, {"Scope", 0}, {"Pools", {{cidr, pool}}}}}}}}}};
    std::string text = j.dump(1, '\t');
    text.replace(text.find("\"@ADDRESSES@\""), 13, addrs);
    files["azure-vnet-ipam.json"] = std::move(text);
  }
  {  // azure-vnet.json
    Json eps = Json::object();
    for (const auto& p : pods) {
      eps[p.ep_name] = {{"Id", p.ep_name},
                        {"HnsId", p.hns_id},
                        {"SandboxKey", p.sandbox},
                        {"IfName", "eth0"},
                        {"HostIfName", ""},
                        {"MacAddress", Base64(p.mac, 6)},
                        {"IPAddresses", Json::array({{{"IP", p.ip}, {"Mask", "//8AAA=="}}})},
                        {"Gateways", {"10.0.0.1"}},
                        {"ContainerID", p.sandbox},
                        {"PODName", p.pod},
                        {"PODNameSpace", p.ns},
                        {"NetNs", p.netns},
                        {"NICType", "InfraNIC"}};
    }
    Json net = {{"Id", "azure"}, {"HnsId", net_guid}, {"Mode", "bridge"}, {"Endpoints", eps}};
    Json j = {{"Network",
               {{"Version", "v1.6.21"},
                {"TimeStamp", "2026-11-26T10:00:00Z"},
                {"ExternalInterfaces",
                 {{"vEthernet (Ethernet 2)",
                   {{"Name", "vEthernet (Ethernet 2)"}, {"Networks", {{"azure", net}}}}}}}}}};
    files["azure-vnet.json"] = j.dump(1, '\t');
  }
  std::vector<std::string> remote_ids;
  {  // hns/endpoints.json
    Json out = Json::array();
    for (const auto& p : pods) {
      char mac[20];
      std::snprintf(mac, sizeof mac, "%02X-%02X-%02X-%02X-%02X-%02X", p.mac[0], p.mac[1], p.mac[2],
                    p.mac[3], p.mac[4], p.mac[5]);
      out.push_back({{"ID", Upper(p.hns_id)},
                     {"IPAddress", p.ip},
                     {"MacAddress", mac},
                     {"Name", p.ep_name},
                     {"Namespace", {{"ID", Upper(p.netns)}}},
                     {"PrefixLength", 16},
                     {"SharedContainers", {p.sandbox, Hex64(rng)}},
                     {"State", 3},
                     {"Type", "L2Bridge"},
                     {"VirtualNetwork", Upper(net_guid)},
                     {"VirtualNetworkName", "azure"}});
    }
    for (int i = 0; i < size.remote; ++i) {
      std::string id = Guid(rng, true);
      remote_ids.push_back(id);
      std::string ip = Ip((10u << 24) + (1u << 20) + static_cast<uint32_t>(i));
      out.push_back({{"ID", id},
                     {"IPAddress", ip},
                     {"IsRemoteEndpoint", true},
                     {"MacAddress", "02-11-0A-10-00-01"},
                     {"Name", "remote_" + ip},
                     {"Policies", Json::array({{{"PA", "10.0.0.4"}, {"Type", "PA"}}})},
                     {"PrefixLength", 16},
                     {"SharedContainers", Json::array()},
                     {"State", 1},
                     {"Type", "L2Bridge"},
                     {"VirtualNetwork", Upper(net_guid)},
                     {"VirtualNetworkName", "azure"}});
    }
    files["hns/endpoints.json"] = Envelope(out);
  }
  files["hns/networks.json"] = Envelope(Json::array(
      {{{"ID", Upper(net_guid)},
        {"Name", "azure"},
        {"Type", "L2Bridge"},
        {"Subnets",
         Json::array({{{"AddressPrefix", "10.0.0.0/8"}, {"GatewayAddress", "10.0.0.1"}}})}},
       {{"ID", Guid(rng, true)},
        {"Name", "nat"},
        {"Type", "nat"},
        {"Subnets", Json::array({{{"AddressPrefix", "172.21.64.0/20"}}})}}}));
  {
    Json out = Json::array();
    for (int i = 0; i < size.load_balancers; ++i) {
      Json refs = Json::array();
      for (int k = 0; k < 3 && !remote_ids.empty(); ++k) {
        refs.push_back("/endpoints/" + remote_ids[(i * 3 + k) % remote_ids.size()]);
      }
      out.push_back({{"ID", Guid(rng, true)},
                     {"Policies", Json::array({{{"Type", "ELB"},
                                                {"Protocol", 6},
                                                {"InternalPort", 8080},
                                                {"ExternalPort", 80},
                                                {"VIPs", {Ip((10u << 24) + (200u << 16) + i)}}}})},
                     {"References", refs}});
    }
    files["hns/policylists.json"] = Envelope(out);
  }
  Json adapters = Json::array();
  std::uniform_int_distribution<uint64_t> bytes(1'000'000, 5'000'000'000ULL);
  std::mt19937_64 counters(size.counter_seed);
  for (size_t i = 0; i < pods.size(); ++i) {
    const auto& p = pods[i];
    uint64_t rx = bytes(counters), tx = bytes(counters);
    Json stats = {{"BytesReceived", rx},
                  {"BytesSent", tx},
                  {"DroppedPacketsIncoming", rx % 17},
                  {"DroppedPacketsOutgoing", tx % 5},
                  {"EndpointId", Upper(p.hns_id)},
                  {"InstanceId", "0C6D3F1E-2A4B-4C5D-8E6F-7A8B9C0D1E2F"},
                  {"PacketsReceived", rx / 900},
                  {"PacketsSent", tx / 700}};
    files["hns/endpointstats/" + Upper(p.hns_id) + ".json"] = Envelope(stats);
    char mac[20];
    std::snprintf(mac, sizeof mac, "%02X-%02X-%02X-%02X-%02X-%02X", p.mac[0], p.mac[1], p.mac[2],
                  p.mac[3], p.mac[4], p.mac[5]);
    adapters.push_back(
        {{"Alias", "vEthernet (" + p.ep_name + ")"},
         {"Description", "Hyper-V Virtual Ethernet Adapter #" + std::to_string(i + 3)},
         {"InterfaceIndex", 20 + i},
         {"PhysicalAddress", mac},
         {"OperStatus", 1},
         {"ReceiveLinkSpeed", 100000000000ULL},
         {"TransmitLinkSpeed", 100000000000ULL},
         {"InOctets", rx + 4096},
         {"OutOctets", tx + 2048},
         {"InUcastPkts", rx / 900},
         {"InNUcastPkts", 40},
         {"OutUcastPkts", tx / 700},
         {"OutNUcastPkts", 20},
         {"InDiscards", rx % 17},
         {"InErrors", 0},
         {"OutDiscards", 0},
         {"OutErrors", 0}});
  }
  for (const char* host :
       {"Ethernet 2", "vEthernet (Ethernet 2)", "vEthernet (nat)", "Loopback Pseudo-Interface 1"}) {
    adapters.push_back({{"Alias", host},
                        {"Description", "host adapter"},
                        {"InterfaceIndex", adapters.size() + 1},
                        {"PhysicalAddress", "00-0D-3A-55-FE-7D"},
                        {"OperStatus", 1},
                        {"ReceiveLinkSpeed", 0},
                        {"TransmitLinkSpeed", 0},
                        {"InOctets", bytes(counters)},
                        {"OutOctets", bytes(counters)},
                        {"InUcastPkts", 1000},
                        {"InNUcastPkts", 10},
                        {"OutUcastPkts", 900},
                        {"OutNUcastPkts", 9},
                        {"InDiscards", 0},
                        {"InErrors", 0},
                        {"OutDiscards", 0},
                        {"OutErrors", 0}});
  }
  files["adapters.json"] = adapters.dump(1, '\t');
  return files;
}

std::string WriteCapture(const std::string& dir, const CaptureSize& size) {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (const auto& [rel, content] : GenerateCapture(size)) {
    fs::path p = fs::path(dir) / rel;
    fs::create_directories(p.parent_path(), ec);
    if (ec) return p.parent_path().string() + ": " + ec.message();
    std::ofstream out(p, std::ios::binary);
    out << content;
    if (!out) return p.string() + ": write failed";
  }
  return "";
}

std::string RewriteCounters(const std::string& dir, const CaptureSize& size) {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (const auto& [rel, content] : GenerateCapture(size)) {
    if (rel != "adapters.json" && rel.rfind("hns/endpointstats/", 0) != 0) continue;
    fs::path p = fs::path(dir) / rel;
    fs::path tmp = p;
    tmp += ".tmp";
    {
      std::ofstream out(tmp, std::ios::binary);
      out << content;
      if (!out) return tmp.string() + ": write failed";
    }
    fs::rename(tmp, p, ec);
    if (ec) return p.string() + ": " + ec.message();
  }
  return "";
}

}  // namespace winnet::bench
