// Not part of the collectors' interface: the two ways ParseAdaptersJson reads
// a table, each alone, for the tests, fuzz targets and benchmarks that check
// they agree.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "collectors/adapters/adapters.h"

namespace winnet {

// The fast path (flat_json.h): the table as AdaptersToJson writes it, read in
// place; nullopt when the text is not of the shape it reads, the full parser
// then deciding.
std::optional<std::vector<AdapterRow>> ParseAdaptersJsonFast(std::string_view text);

// The full parser, with the errors ParseAdaptersJson reports.
Result<std::vector<AdapterRow>> ParseAdaptersJsonFull(std::string_view text, std::string_view file);

// How many tables ParseAdaptersJson has read on the fast path, so that a test
// sees the usual table take it.
uint64_t AdaptersJsonFastReads();

}  // namespace winnet
