// Not part of the collectors' interface: the two ways ParseHnsEndpointStats
// reads an answer, each alone, for the tests, fuzz targets and benchmarks that
// check they agree.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "collectors/hns/hns_v1.h"

namespace winnet {

// The fast path (flat_json.h): the usual answer read in place; nullopt when the
// text is not of the shape it reads, the full parser then deciding.
std::optional<HnsEndpointStats> ParseHnsEndpointStatsFast(std::string_view text);

// The full parser, with the errors ParseHnsEndpointStats reports.
Result<HnsEndpointStats> ParseHnsEndpointStatsFull(std::string_view text, std::string_view file);

// How many answers ParseHnsEndpointStats has read on the fast path, so that a
// test sees the usual answer take it.
uint64_t HnsEndpointStatsFastReads();

}  // namespace winnet
