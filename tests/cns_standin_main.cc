// winnet_cns_standin: tests/cns_standin.h as a program, for the end-to-end
// and Wine tests. Prints "listening on 127.0.0.1:<port>" and serves until
// SIGTERM or SIGINT.
//   winnet_cns_standin --body=FILE [--mode=normal|chunked|slow|stall-body|500|
//                      truncated|huge|huge-chunked] [--delay-ms=N] [--huge-bytes=N]
#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "tests/cns_standin.h"

namespace {

volatile std::sig_atomic_t g_stop = 0;
void OnSignal(int) { g_stop = 1; }

bool Flag(const std::string& arg, const std::string& name, std::string* value) {
  if (arg.rfind("--" + name + "=", 0) != 0) return false;
  *value = arg.substr(name.size() + 3);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace winnet::testing;
  CnsStandInOptions o;
  std::string value;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (Flag(arg, "body", &value)) {
      std::ifstream in(value, std::ios::binary);
      if (!in) return std::fprintf(stderr, "cannot read %s\n", value.c_str()), 2;
      std::ostringstream text;
      text << in.rdbuf();
      o.body = text.str();
    } else if (Flag(arg, "mode", &value)) {
      if (!CnsModeFromName(value, &o.mode)) return std::fprintf(stderr, "bad --mode\n"), 2;
    } else if (Flag(arg, "delay-ms", &value)) {
      o.delay_ms = std::stoi(value);
    } else if (Flag(arg, "huge-bytes", &value)) {
      o.huge_bytes = std::stoull(value);
    } else {
      return std::fprintf(stderr, "unknown argument %s\n", arg.c_str()), 2;
    }
  }
  std::signal(SIGTERM, OnSignal);
  std::signal(SIGINT, OnSignal);
  auto server = CnsStandIn::Start(o);
  if (!server) return std::fprintf(stderr, "cannot listen\n"), 1;
  std::printf("listening on 127.0.0.1:%d\n", server->port());
  std::fflush(stdout);
  while (!g_stop) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  return 0;
}
