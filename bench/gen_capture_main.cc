// winnet_gen_capture: writes a synthetic capture for the benchmarks.
//   winnet_gen_capture --out=DIR [--pods=250] [--remote=5000] [--pool=65536] [--lbs=200] [--seed=1]
//                      [--churn-ms=N]
// --churn-ms=N: after writing, rewrites the traffic counters (endpoint stats
// and adapters) with new values every N ms until killed (benchmarks of the
// poll cycle when counters change).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "bench/capture_gen.h"

int main(int argc, char** argv) {
  winnet::bench::CaptureSize size;
  std::string out;
  long churn_ms = 0;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto eq = a.find('=');
    std::string key = a.substr(0, eq), value = eq == std::string::npos ? "" : a.substr(eq + 1);
    char* end = nullptr;
    long n = std::strtol(value.c_str(), &end, 10);
    bool number = !value.empty() && *end == '\0' && n >= 0;
    if (key == "--out" && !value.empty()) {
      out = value;
    } else if (key == "--pods" && number) {
      size.pods = static_cast<int>(n);
    } else if (key == "--remote" && number) {
      size.remote = static_cast<int>(n);
    } else if (key == "--pool" && number) {
      size.pool = static_cast<int>(n);
    } else if (key == "--lbs" && number) {
      size.load_balancers = static_cast<int>(n);
    } else if (key == "--seed" && number) {
      size.seed = static_cast<uint32_t>(n);
    } else if (key == "--churn-ms" && number && n > 0) {
      churn_ms = n;
    } else {
      std::fprintf(stderr,
                   "winnet_gen_capture: bad argument \"%s\"\nusage: winnet_gen_capture --out=DIR "
                   "[--pods=N] [--remote=M] [--pool=P] [--lbs=L] [--seed=S] [--churn-ms=N]\n",
                   a.c_str());
      return 2;
    }
  }
  if (out.empty()) {
    std::fprintf(stderr, "winnet_gen_capture: --out=DIR is required\n");
    return 2;
  }
  std::string err = winnet::bench::WriteCapture(out, size);
  if (!err.empty()) {
    std::fprintf(stderr, "winnet_gen_capture: %s\n", err.c_str());
    return 1;
  }
  std::printf("wrote %s: %d pods, %d remote endpoints, pool of %d, %d load balancers\n",
              out.c_str(), size.pods, size.remote, size.pool, size.load_balancers);
  std::fflush(stdout);
  // At a fixed rate (the time a rewrite takes is not added to the period), so
  // that at --churn-ms equal to the poll interval every cycle sees new counters.
  auto next = std::chrono::steady_clock::now();
  while (churn_ms > 0) {
    next += std::chrono::milliseconds(churn_ms);
    std::this_thread::sleep_until(next);
    ++size.counter_seed;
    err = winnet::bench::RewriteCounters(out, size);
    if (!err.empty()) {
      std::fprintf(stderr, "winnet_gen_capture: %s\n", err.c_str());
      return 1;
    }
  }
  return 0;
}
