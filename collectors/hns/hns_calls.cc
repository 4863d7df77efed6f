// The table of HNS calls (hns_client.h). Pure: also compiled into the
// stand-in vmcompute.dll of the Wine tests.
#include <array>

#include "collectors/common/file_io.h"
#include "collectors/hns/hns_client.h"

namespace winnet {

namespace {

struct CallRow {
  HnsCall call;
  std::string_view v1_path;  // with the ID appended for per-endpoint calls; "" for v2
  std::string_view display;  // the path in errors
  std::string_view capture;  // the file, or the directory of per-endpoint files
  bool per_endpoint;
  std::string_view name;  // the `call` label
};

constexpr std::array<CallRow, 5> kCalls{{
    {HnsCall::kListEndpoints, "/endpoints/", "/endpoints/", "hns/endpoints.json", false,
     "endpoints"},
    {HnsCall::kListNetworks, "/networks/", "/networks/", "hns/networks.json", false, "networks"},
    {HnsCall::kListPolicyLists, "/policylists/", "/policylists/", "hns/policylists.json", false,
     "policylists"},
    {HnsCall::kEndpointStats, "/endpointstats/", "/endpointstats/", "hns/endpointstats/", true,
     "endpointstats"},
    {HnsCall::kHcnEndpoint, "", "hcn:/endpoints/", "hcn/endpoints/", true, "hcn_endpoint"},
}};

const CallRow& RowOf(HnsCall call) {
  for (const auto& row : kCalls) {
    if (row.call == call) return row;
  }
  return kCalls.front();
}

}  // namespace

std::string CallName(HnsCall call) { return std::string(RowOf(call).name); }

std::string DisplayPath(const HnsRequest& request) {
  const CallRow& row = RowOf(request.call);
  return std::string(row.display) + (row.per_endpoint ? request.id : "");
}

std::string V1Path(const HnsRequest& request) {
  const CallRow& row = RowOf(request.call);
  if (row.v1_path.empty()) return {};
  return std::string(row.v1_path) + (row.per_endpoint ? request.id : "");
}

std::optional<HnsRequest> RequestForV1Path(std::string_view path) {
  for (const auto& row : kCalls) {
    if (row.v1_path.empty()) continue;
    if (!row.per_endpoint) {
      // HNS answers the list paths with or without the trailing slash.
      if (path == row.v1_path || path == row.v1_path.substr(0, row.v1_path.size() - 1)) {
        return HnsRequest{row.call, {}};
      }
      continue;
    }
    if (!path.starts_with(row.v1_path)) continue;
    std::string_view id = path.substr(row.v1_path.size());
    if (!IsSafePathComponent(id)) return std::nullopt;
    return HnsRequest{row.call, std::string(id)};
  }
  return std::nullopt;
}

std::string CaptureDirectory(HnsCall call) {
  const CallRow& row = RowOf(call);
  return row.per_endpoint ? std::string(row.capture.substr(0, row.capture.size() - 1)) : "";
}

std::string CapturePath(const HnsRequest& request) {
  const CallRow& row = RowOf(request.call);
  if (!row.per_endpoint) return std::string(row.capture);
  if (!IsSafePathComponent(request.id)) return {};
  return std::string(row.capture) + request.id + ".json";
}

}  // namespace winnet
