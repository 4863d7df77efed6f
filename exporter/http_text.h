// Small pieces of HTTP text shared by the HTTP front (exporter/http_front.h)
// and the civetweb handlers (exporter/http_server.cc): both can answer a
// scrape, and must answer it alike.
#pragma once

#include <string_view>
#include <vector>

namespace winnet {

inline constexpr const char* kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

std::string_view TrimSpace(std::string_view s);  // spaces and tabs
bool EqualsIgnoringCase(std::string_view a, std::string_view b);
// The part of `s` before the first `separator`; `s` keeps what follows it.
std::string_view TakeUntil(std::string_view* s, char separator);

// gzip when the client gives it a weight above zero, by name or through "*",
// and does not prefer identity (no coding) to it. Every Accept-Encoding line
// of the request counts (`values`); without one, or when it refuses both, the
// metrics go uncompressed.
bool GzipAccepted(const std::vector<std::string_view>& values);

}  // namespace winnet
