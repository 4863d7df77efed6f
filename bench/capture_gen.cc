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

namespace {

using Files = std::map<std::string, std::string>;

// Pool addresses start at 10.0.0.5; the node IP is 10.0.0.4, not a record.
constexpr uint32_t kPoolBase = (10u << 24) + 5;

struct Pod {
  std::string sandbox, name8, ep_name, hns_id, ip, ns, pod, netns;
  uint8_t mac[6];
};

std::vector<Pod> MakePods(std::mt19937_64& rng, int count) {
  std::vector<Pod> pods;
  for (int i = 0; i < count; ++i) {
    Pod p;
    p.sandbox = Hex64(rng);
    p.name8 = p.sandbox.substr(0, 8);
    p.ep_name = p.name8 + "-eth0";
    p.hns_id = Guid(rng, false);
    p.ip = Ip(kPoolBase + static_cast<uint32_t>(i));
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
  return pods;
}

// "00-15-5D-00-00-01", as HNS and Get-NetAdapter write a MAC.
std::string MacText(const uint8_t (&mac)[6]) {
  char text[20];
  std::snprintf(text, sizeof text, "%02X-%02X-%02X-%02X-%02X-%02X", mac[0], mac[1], mac[2], mac[3],
                mac[4], mac[5]);
  return text;
}

// azure-vnet-ipam.json: the first `pods` of the pool's addresses in use.
std::string IpamFile(const std::vector<Pod>& pods, int pool_size) {
  const int allocated = std::min(static_cast<int>(pods.size()), pool_size);
  // Written as text: 65,536 keys through ordered_json's linear lookup would be quadratic.
  std::vector<std::pair<std::string, int>> keys;
  for (int i = 0; i < pool_size; ++i)
    keys.emplace_back(Ip(kPoolBase + static_cast<uint32_t>(i)), i);
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
  while (prefix > 0 && (1LL << (32 - prefix)) < pool_size + 5) --prefix;
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
  return text;
}

// azure-vnet.json: one CNI endpoint per pod.
std::string NetworkStateFile(const std::vector<Pod>& pods, const std::string& net_guid) {
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
  return j.dump(1, '\t');
}

// hns/endpoints.json: the pods' endpoints, then `remote` remote ones, whose
// ids go to `remote_ids`.
std::string HnsEndpointsFile(std::mt19937_64& rng, const std::vector<Pod>& pods, int remote,
                             const std::string& net_guid, std::vector<std::string>& remote_ids) {
  Json out = Json::array();
  for (const auto& p : pods) {
    out.push_back({{"ID", Upper(p.hns_id)},
                   {"IPAddress", p.ip},
                   {"MacAddress", MacText(p.mac)},
                   {"Name", p.ep_name},
                   {"Namespace", {{"ID", Upper(p.netns)}}},
                   {"PrefixLength", 16},
                   {"SharedContainers", {p.sandbox, Hex64(rng)}},
                   {"State", 3},
                   {"Type", "L2Bridge"},
                   {"VirtualNetwork", Upper(net_guid)},
                   {"VirtualNetworkName", "azure"}});
  }
  for (int i = 0; i < remote; ++i) {
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
  return Envelope(out);
}

std::string HnsNetworksFile(std::mt19937_64& rng, const std::string& net_guid) {
  return Envelope(Json::array(
      {{{"ID", Upper(net_guid)},
        {"Name", "azure"},
        {"Type", "L2Bridge"},
        {"Subnets",
         Json::array({{{"AddressPrefix", "10.0.0.0/8"}, {"GatewayAddress", "10.0.0.1"}}})}},
       {{"ID", Guid(rng, true)},
        {"Name", "nat"},
        {"Type", "nat"},
        {"Subnets", Json::array({{{"AddressPrefix", "172.21.64.0/20"}}})}}}));
}

// hns/policylists.json: load balancers, each referring to three remote endpoints.
std::string PolicyListsFile(std::mt19937_64& rng, int load_balancers,
                            const std::vector<std::string>& remote_ids) {
  Json out = Json::array();
  for (int i = 0; i < load_balancers; ++i) {
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
  return Envelope(out);
}

// One row of adapters.json.
Json AdapterRowJson(const std::string& alias, const std::string& description, size_t index,
                    const std::string& mac, uint64_t link_speed, uint64_t in_octets,
                    uint64_t out_octets) {
  return {{"Alias", alias},
          {"Description", description},
          {"InterfaceIndex", index},
          {"PhysicalAddress", mac},
          {"OperStatus", 1},
          {"ReceiveLinkSpeed", link_speed},
          {"TransmitLinkSpeed", link_speed},
          {"InOctets", in_octets},
          {"OutOctets", out_octets}};
}

// Each pod's hns/endpointstats/<ID>.json and adapters.json (its vEthernet
// adapter and four host adapters): the counters, from `size.counter_seed`.
void AddCounterFiles(const std::vector<Pod>& pods, uint64_t counter_seed, Files& files) {
  Json adapters = Json::array();
  std::uniform_int_distribution<uint64_t> bytes(1'000'000, 5'000'000'000ULL);
  std::mt19937_64 counters(counter_seed);
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
    Json row = AdapterRowJson("vEthernet (" + p.ep_name + ")",
                              "Hyper-V Virtual Ethernet Adapter #" + std::to_string(i + 3), 20 + i,
                              MacText(p.mac), 100000000000ULL, rx + 4096, tx + 2048);
    row.update({{"InUcastPkts", rx / 900},
                {"InNUcastPkts", 40},
                {"OutUcastPkts", tx / 700},
                {"OutNUcastPkts", 20},
                {"InDiscards", rx % 17},
                {"InErrors", 0},
                {"OutDiscards", 0},
                {"OutErrors", 0}});
    adapters.push_back(std::move(row));
  }
  for (const char* host :
       {"Ethernet 2", "vEthernet (Ethernet 2)", "vEthernet (nat)", "Loopback Pseudo-Interface 1"}) {
    const uint64_t in = bytes(counters);
    const uint64_t out = bytes(counters);
    Json row =
        AdapterRowJson(host, "host adapter", adapters.size() + 1, "00-0D-3A-55-FE-7D", 0, in, out);
    row.update({{"InUcastPkts", 1000},
                {"InNUcastPkts", 10},
                {"OutUcastPkts", 900},
                {"OutNUcastPkts", 9},
                {"InDiscards", 0},
                {"InErrors", 0},
                {"OutDiscards", 0},
                {"OutErrors", 0}});
    adapters.push_back(std::move(row));
  }
  files["adapters.json"] = adapters.dump(1, '\t');
}

}  // namespace

std::map<std::string, std::string> GenerateCapture(const CaptureSize& size) {
  // One random stream, drawn in this order, so that a seed gives one capture.
  std::mt19937_64 rng(size.seed);
  Files files;
  const std::string net_guid = Guid(rng, false);
  const std::vector<Pod> pods = MakePods(rng, size.pods);
  files["azure-vnet-ipam.json"] = IpamFile(pods, size.pool);
  files["azure-vnet.json"] = NetworkStateFile(pods, net_guid);
  std::vector<std::string> remote_ids;
  files["hns/endpoints.json"] = HnsEndpointsFile(rng, pods, size.remote, net_guid, remote_ids);
  files["hns/networks.json"] = HnsNetworksFile(rng, net_guid);
  files["hns/policylists.json"] = PolicyListsFile(rng, size.load_balancers, remote_ids);
  AddCounterFiles(pods, size.counter_seed, files);
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

std::map<std::string, std::string> GenerateCounterFiles(const CaptureSize& size) {
  // The draws of GenerateCapture up to the pods, so that the pods are the same.
  std::mt19937_64 rng(size.seed);
  Guid(rng, false);
  const std::vector<Pod> pods = MakePods(rng, size.pods);
  Files files;
  AddCounterFiles(pods, size.counter_seed, files);
  return files;
}

std::string RewriteCounters(const std::string& dir, const CaptureSize& size) {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (const auto& [rel, content] : GenerateCounterFiles(size)) {
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
