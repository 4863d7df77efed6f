// HCN v2 through computenetwork.dll (docs/hns.md, "HCN v2"): only the three
// calls that read one endpoint's properties. v1 lists the endpoints in one
// call; listing through v2 would take 1 + 3·N.
#pragma once

// clang-format off
#include <windows.h>
// clang-format on

#include <optional>
#include <string>
#include <string_view>

#include "collectors/common/result.h"

namespace winnet {

class HcnV2Client {
 public:
  // Resolves the calls from System32's computenetwork.dll; when that fails,
  // ok() is false and why_not() says why (Windows before 1809, or Wine).
  static HcnV2Client Load();

  bool ok() const { return open_ != nullptr && query_ != nullptr && close_ != nullptr; }
  const std::string& why_not() const { return why_not_; }

  // The endpoint's properties (the kHcnQuery answer); nullopt when v2 is
  // unavailable or the endpoint is gone.
  Result<std::optional<std::string>> QueryEndpoint(std::string_view id) const;

 private:
  // As declared in computenetwork.h.
  using OpenFn = HRESULT(WINAPI*)(const GUID& id, void** endpoint, LPWSTR* error_record);
  using QueryFn = HRESULT(WINAPI*)(void* endpoint, LPCWSTR query, LPWSTR* properties,
                                   LPWSTR* error_record);
  using CloseFn = HRESULT(WINAPI*)(void* endpoint);

  OpenFn open_ = nullptr;
  QueryFn query_ = nullptr;
  CloseFn close_ = nullptr;
  std::string why_not_;
};

}  // namespace winnet
