// Helpers for reading JSON documents field by field with errors that name the
// file and the JSON path of the offending field.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/common/result.h"

namespace winnet::jsonr {

using Json = nlohmann::json;

// Deeper documents are rejected before parsing: nlohmann's parser recurses.
inline constexpr int kMaxDepth = 64;

// Parses `text`. Errors read "<file>: invalid JSON: <what> at byte N" (bytes
// outside printable ASCII shown as \xNN), or "<file>: field <path>: duplicate
// key "<key>"": Go never writes a key twice, so the file is not what the CNI
// wrote, and keeping either value could hide one.
Result<Json> Parse(std::string_view text, std::string_view file);

// Where in which file a value sits (defined below).
class Ctx;

// Like Parse, but each value at `path` (keys from the top; "*" matches any
// key of an object, "[]" any index of an array) is handed to `take` as soon as
// it ends, with its context and the keys of its path (the last is its own; ""
// for an array index), and is not kept in the document: a file of many small
// records (65,536 IPAM addresses, thousands of HNS endpoints) is never whole in
// memory as a DOM. Duplicate keys are still refused. `take` runs inside the
// parse and must not throw; a record it finds bad is its to report after the
// parse, in the order the DOM would have given.
using StreamFn =
    std::function<void(const Ctx& ctx, const std::vector<std::string_view>& keys, Json&& value)>;
Result<Json> ParseStreaming(std::string_view text, std::string_view file,
                            const std::vector<std::string>& path, const StreamFn& take);

// Thrown by the getters below and caught by each public parse function, so it
// never leaves the parser that uses it.
class FieldError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Where in which file a value sits: "azure-vnet.json", "Network.ExternalInterfaces".
class Ctx {
 public:
  Ctx(std::string_view file, std::string path) : file_(file), path_(std::move(path)) {}
  Ctx Field(std::string_view key) const;
  Ctx Index(size_t i) const;
  const std::string& path() const { return path_; }
  std::string_view file() const { return file_; }
  [[noreturn]] void Fail(std::string_view what) const;

 private:
  std::string_view file_;
  std::string path_;
};

const char* TypeName(const Json& j);

// Requires `j` to be an object.
const Json& AsObject(const Json& j, const Ctx& ctx);
const Json& AsArray(const Json& j, const Ctx& ctx);

// Finds obj[key]; nullptr when absent or null (Go writes null for nil values).
const Json* Find(const Json& obj, std::string_view key);

// True for the values that real files and answers write for "unset" instead
// of null: null, "", 0, {} and []. The Opt getters below read an unset value
// of another type than the field's as absent, so `"Namespace": ""` is no
// namespace rather than an error; any other value of the wrong type is an
// error (docs/state-files.md, docs/hns.md).
bool IsUnset(const Json& v);

std::string ReqString(const Json& obj, std::string_view key, const Ctx& ctx);
std::string OptString(const Json& obj, std::string_view key, const Ctx& ctx);
bool OptBool(const Json& obj, std::string_view key, const Ctx& ctx, bool def = false);
bool ReqBool(const Json& obj, std::string_view key, const Ctx& ctx);
uint64_t ReqU64(const Json& obj, std::string_view key, const Ctx& ctx);
uint64_t OptU64(const Json& obj, std::string_view key, const Ctx& ctx, uint64_t def = 0);
int64_t OptI64(const Json& obj, std::string_view key, const Ctx& ctx, int64_t def = 0);
// nullptr when absent/null; error when present with another type.
const Json* OptObject(const Json& obj, std::string_view key, const Ctx& ctx);
const Json* OptArray(const Json& obj, std::string_view key, const Ctx& ctx);
const Json& ReqObject(const Json& obj, std::string_view key, const Ctx& ctx);
const Json& ReqArray(const Json& obj, std::string_view key, const Ctx& ctx);

// Azure CNI's stores (azure-vnet-ipam.json, azure-vnet.json) share a head:
// {"<key>": {"Version": "…", "TimeStamp": "<RFC 3339>", …}}. Returns the object
// under `key` after reading its Version and TimeStamp (a bad time is an error).
const Json& ReadStoreHead(const Json& doc, std::string_view key, const Ctx& root,
                          std::string* version, std::string* timestamp_text,
                          std::optional<double>* timestamp);

}  // namespace winnet::jsonr
