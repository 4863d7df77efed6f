#pragma once

#include <string>
#include <string_view>

namespace winnet {

// gzip (RFC 1952) of `data`; empty string on failure.
std::string GzipCompress(std::string_view data);

}  // namespace winnet
