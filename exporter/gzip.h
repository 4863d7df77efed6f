#pragma once

#include <string>
#include <string_view>

namespace winnet {

// gzip (RFC 1952) of `data`, holding no more than it needs (it is kept for
// as long as its exposition is served); empty string on failure.
std::string GzipCompress(std::string_view data);

}  // namespace winnet
