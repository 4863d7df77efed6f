// The alternative to the rtnetlink dump, for comparison only: every counter
// of every interface read from /sys/class/net/<if>/statistics/* (what
// node_exporter's netdev collector used to do).
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>

#include "bench/sysfs_adapters.h"

namespace winnet::bench {

namespace {

bool ReadSmall(const std::string& path, std::string* out) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char buf[128];
  ssize_t n = ::read(fd, buf, sizeof buf - 1);
  ::close(fd);
  if (n < 0) return false;
  out->assign(buf, static_cast<size_t>(n));
  while (!out->empty() && (out->back() == '\n' || out->back() == ' ')) out->pop_back();
  return true;
}

uint64_t ReadU64(const std::string& path) {
  std::string s;
  return ReadSmall(path, &s) ? std::strtoull(s.c_str(), nullptr, 10) : 0;
}

}  // namespace

std::vector<AdapterRow> ReadSysfsAdapters() {
  std::vector<AdapterRow> rows;
  DIR* d = ::opendir("/sys/class/net");
  if (d == nullptr) return rows;
  while (dirent* e = ::readdir(d)) {
    if (e->d_name[0] == '.') continue;
    std::string base = std::string("/sys/class/net/") + e->d_name;
    AdapterRow r;
    r.alias = e->d_name;
    r.interface_index = static_cast<uint32_t>(ReadU64(base + "/ifindex"));
    ReadSmall(base + "/address", &r.mac);
    std::string oper;
    ReadSmall(base + "/operstate", &oper);
    r.oper_status = oper == "up" || oper == "unknown" ? 1 : 2;
    const std::string s = base + "/statistics/";
    r.in_octets = ReadU64(s + "rx_bytes");
    r.out_octets = ReadU64(s + "tx_bytes");
    r.in_ucast_pkts = ReadU64(s + "rx_packets");
    r.out_ucast_pkts = ReadU64(s + "tx_packets");
    r.in_errors = ReadU64(s + "rx_errors");
    r.out_errors = ReadU64(s + "tx_errors");
    r.in_discards = ReadU64(s + "rx_dropped");
    r.out_discards = ReadU64(s + "tx_dropped");
    rows.push_back(std::move(r));
  }
  ::closedir(d);
  return rows;
}

}  // namespace winnet::bench
