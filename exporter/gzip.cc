#include "exporter/gzip.h"

#include <zlib.h>

namespace winnet {

std::string GzipCompress(std::string_view data) {
  z_stream zs{};
  // 15 window bits + 16 = gzip header; level 6 is zlib's default trade-off.
  if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out;
  out.resize(deflateBound(&zs, static_cast<uLong>(data.size())));
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  size_t written = zs.total_out;
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) return {};
  out.resize(written);
  // The deflate bound is about the input's size; a held exposition of 590 kB
  // compresses to 100 kB, so the slack would be most of what the string holds.
  out.shrink_to_fit();
  return out;
}

}  // namespace winnet
