#include "collectors/common/json_read.h"

#include <cstdio>
#include <limits>
#include <memory>
#include <unordered_set>
#include <vector>

#include "collectors/common/netaddr.h"

namespace winnet::jsonr {

namespace {

// Returns the byte offset where nesting first exceeds kMaxDepth, or npos.
size_t FindTooDeep(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > kMaxDepth) return i;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return std::string_view::npos;
}

// Bytes that are not printable ASCII, as \xNN: nlohmann quotes the offending
// input in its messages, and those bytes may be invalid UTF-8 (which would
// then poison logs, /healthz and the snapshot JSON).
std::string Printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) {
      out += c;
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", u);
      out += buf;
    }
  }
  return out;
}

// Builds the document like nlohmann's own DOM parser, but rejects duplicate
// keys: Go never writes them, so one means the file is not what the CNI wrote,
// and silently keeping either value could hide an allocation. With a stream
// path, each value at that path is handed out as soon as it ends and is not
// kept in the document (ParseStreaming).
class DomBuilder {
 public:
  using number_integer_t = Json::number_integer_t;
  using number_unsigned_t = Json::number_unsigned_t;
  using number_float_t = Json::number_float_t;
  using string_t = Json::string_t;
  using binary_t = Json::binary_t;

  DomBuilder(Json& root, std::string_view file, const std::vector<std::string>* stream = nullptr,
             const StreamFn* take = nullptr)
      : root_(root), file_(file), stream_(stream), take_(take) {}

  bool null() { return Scalar(Add(nullptr)); }
  bool boolean(bool v) { return Scalar(Add(v)); }
  bool number_integer(number_integer_t v) { return Scalar(Add(v)); }
  bool number_unsigned(number_unsigned_t v) { return Scalar(Add(v)); }
  bool number_float(number_float_t v, const string_t& /*text*/) { return Scalar(Add(v)); }
  bool string(string_t& v) { return Scalar(Add(std::move(v))); }
  bool binary(binary_t& v) { return Scalar(Add(Json::binary(std::move(v)))); }
  bool start_object(std::size_t /*len*/) {
    Json* node = Add(Json::value_t::object);
    stack_.push_back(Frame{node, nullptr, 0, nullptr, nullptr});
    return true;
  }
  bool key(string_t& k) {
    Frame& f = stack_.back();
    if (f.taken && f.taken->count(k) > 0) return Duplicate(k);
    auto [it, inserted] = f.node->emplace(k, nullptr);
    if (!inserted) return Duplicate(k);
    f.key = &it.key();
    element_ = &it.value();
    return true;
  }
  bool end_object() { return EndContainer(); }
  bool start_array(std::size_t /*len*/) {
    Json* node = Add(Json::value_t::array);
    stack_.push_back(Frame{node, nullptr, 0, nullptr, nullptr});
    return true;
  }
  bool end_array() { return EndContainer(); }
  template <class Exception>
  bool parse_error(std::size_t /*position*/, const std::string& /*last_token*/,
                   const Exception& ex) {
    error_ = InvalidJson(ex.what());
    return false;
  }

  const std::string& error() const { return error_; }

  static std::string InvalidJson(std::string what, std::string_view file) {
    // what: "[json.exception.parse_error.101] parse error at line 1, column 5: ..."
    if (auto pos = what.find("] "); pos != std::string::npos) what = what.substr(pos + 2);
    return std::string(file) + ": invalid JSON: " + Printable(what);
  }

 private:
  struct Frame {
    Json* node;
    const std::string* key;  // the member being read, for objects
    size_t count;            // values begun in this container (array indices)
    // Keys of members handed out and dropped, still checked for duplicates.
    std::unique_ptr<std::unordered_set<std::string>> taken;
    // The container's own context, made once for the values handed out of it.
    std::unique_ptr<Ctx> ctx;
  };

  // The context of the value inside the first `depth` open containers, from
  // its container's cached context.
  Ctx StreamCtx(size_t depth) {
    Frame& parent = stack_[depth - 1];
    if (!parent.ctx) parent.ctx = std::make_unique<Ctx>(PathOf(depth - 1));
    return parent.node->is_array() ? parent.ctx->Index(parent.count - 1)
                                   : parent.ctx->Field(*parent.key);
  }

  // The path of the value inside the first `depth` open containers.
  Ctx PathOf(size_t depth) const {
    Ctx ctx(file_, "");
    for (size_t i = 0; i < depth; ++i) {
      const Frame& f = stack_[i];
      ctx = f.node->is_array() ? ctx.Index(f.count - 1) : ctx.Field(*f.key);
    }
    return ctx;
  }

  bool Duplicate(const std::string& k) {
    error_ = PathMessage("duplicate key \"" + Printable(k) + "\"");
    return false;
  }

  std::string InvalidJson(std::string what) const { return InvalidJson(std::move(what), file_); }

  // "<file>: field <path of the innermost open value>: <what>"
  std::string PathMessage(const std::string& what) const {
    Ctx ctx = PathOf(stack_.size() - 1);
    return std::string(file_) + ": field " +
           (ctx.path().empty() ? "(top level)" : Printable(ctx.path())) + ": " + what;
  }

  // True when the value inside the first `depth` open containers is on the stream path.
  bool OnStreamPath(size_t depth) const {
    if (stream_ == nullptr || depth != stream_->size() || depth == 0) return false;
    for (size_t i = 0; i < depth; ++i) {
      const std::string& want = (*stream_)[i];
      const Frame& f = stack_[i];
      if (f.node->is_array() != (want == "[]")) return false;
      if (want != "[]" && want != "*" && *f.key != want) return false;
    }
    return true;
  }

  // Hands the value that just ended, inside the first `depth` containers, to
  // the stream and drops it from its parent.
  void Take(size_t depth, Json* value) {
    Frame& parent = stack_[depth - 1];
    keys_.clear();
    for (size_t i = 0; i < depth; ++i) {
      keys_.push_back(stack_[i].node->is_array() ? std::string_view()
                                                 : std::string_view(*stack_[i].key));
    }
    (*take_)(StreamCtx(depth), keys_, std::move(*value));
    if (parent.node->is_array()) {
      parent.node->erase(parent.node->size() - 1);
    } else {
      std::string key = *parent.key;
      parent.node->erase(key);
      if (!parent.taken) parent.taken = std::make_unique<std::unordered_set<std::string>>();
      parent.taken->insert(std::move(key));
    }
  }

  bool Scalar(Json* added) {
    if (OnStreamPath(stack_.size())) Take(stack_.size(), added);
    return true;
  }

  bool EndContainer() {
    Json* node = stack_.back().node;
    stack_.pop_back();
    if (OnStreamPath(stack_.size())) Take(stack_.size(), node);
    return true;
  }

  template <typename V>
  Json* Add(V&& v) {
    if (stack_.empty()) {
      root_ = Json(std::forward<V>(v));
      return &root_;
    }
    Frame& f = stack_.back();
    ++f.count;
    Json* parent = f.node;
    if (parent->is_array()) {
      parent->emplace_back(std::forward<V>(v));
      return &parent->back();
    }
    *element_ = Json(std::forward<V>(v));
    return element_;
  }

  Json& root_;
  std::string_view file_;
  const std::vector<std::string>* stream_;
  const StreamFn* take_;
  std::vector<Frame> stack_;
  std::vector<std::string_view> keys_;  // the stream path's keys, for `take_`
  Json* element_ = nullptr;
  std::string error_;
};

}  // namespace

Result<Json> Parse(std::string_view text, std::string_view file) {
  return ParseStreaming(text, file, {}, nullptr);
}

Result<Json> ParseStreaming(std::string_view text, std::string_view file,
                            const std::vector<std::string>& path, const StreamFn& take) {
  if (size_t at = FindTooDeep(text); at != std::string_view::npos) {
    return MakeError(std::string(file) + ": invalid JSON: nested deeper than " +
                     std::to_string(kMaxDepth) + " levels at byte " + std::to_string(at));
  }
  Json doc;
  DomBuilder builder(doc, file, take ? &path : nullptr, take ? &take : nullptr);
  try {
    if (!Json::sax_parse(text.begin(), text.end(), &builder)) return MakeError(builder.error());
  } catch (const Json::exception& e) {
    // out_of_range.406 ("number overflow parsing '1e400'") is thrown, not reported.
    return MakeError(DomBuilder::InvalidJson(e.what(), file));
  }
  return doc;
}

Ctx Ctx::Field(std::string_view key) const {
  // Keys such as "10.240.0.0/16" or "vEthernet (Ethernet 2)" are quoted so the
  // path stays unambiguous.
  std::string part;
  if (key.find_first_of(". []\"") != std::string_view::npos || key.empty()) {
    part = "[\"" + std::string(key) + "\"]";
    return Ctx(file_, path_ + part);
  }
  part = std::string(key);
  return Ctx(file_, path_.empty() ? part : path_ + "." + part);
}

Ctx Ctx::Index(size_t i) const { return Ctx(file_, path_ + "[" + std::to_string(i) + "]"); }

void Ctx::Fail(std::string_view what) const {
  std::string msg(file_);
  msg += ": field ";
  msg += path_.empty() ? "(top level)" : path_;
  msg += ": ";
  msg += what;
  throw FieldError(msg);
}

const char* TypeName(const Json& j) {
  switch (j.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::object: return "object";
    case Json::value_t::array: return "array";
    case Json::value_t::string: return "string";
    case Json::value_t::boolean: return "boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: return "number";
    default: return "unknown";
  }
}

const Json& AsObject(const Json& j, const Ctx& ctx) {
  if (!j.is_object()) ctx.Fail(std::string("expected an object, got ") + TypeName(j));
  return j;
}

const Json& AsArray(const Json& j, const Ctx& ctx) {
  if (!j.is_array()) ctx.Fail(std::string("expected an array, got ") + TypeName(j));
  return j;
}

const Json* Find(const Json& obj, std::string_view key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return nullptr;
  return &*it;
}

bool IsUnset(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null: return true;
    case Json::value_t::string: return v.get_ref<const std::string&>().empty();
    case Json::value_t::object:
    case Json::value_t::array: return v.empty();
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: return v == 0;
    default: return false;
  }
}

namespace {

const Json& Need(const Json& obj, std::string_view key, const Ctx& ctx) {
  const Json* v = Find(obj, key);
  if (v == nullptr) ctx.Field(key).Fail("missing");
  return *v;
}

std::string AsString(const Json& v, const Ctx& ctx) {
  if (!v.is_string()) ctx.Fail(std::string("expected a string, got ") + TypeName(v));
  return v.get<std::string>();
}

uint64_t AsU64(const Json& v, const Ctx& ctx) {
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  if (v.is_number_integer()) {
    int64_t i = v.get<int64_t>();
    if (i < 0) ctx.Fail("negative value " + std::to_string(i) + " where a counter was expected");
    return static_cast<uint64_t>(i);
  }
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (d < 0 || d > 18446744073709549568.0 || d != static_cast<double>(static_cast<uint64_t>(d))) {
      ctx.Fail("number " + v.dump() + " is not an unsigned integer in range");
    }
    return static_cast<uint64_t>(d);
  }
  ctx.Fail(std::string("expected a number, got ") + TypeName(v));
}

// Find, but a value of another type than expected that is an unset marker
// counts as absent too.
const Json* FindSet(const Json& obj, std::string_view key, bool (Json::*is_expected)() const) {
  const Json* v = Find(obj, key);
  if (v == nullptr || (v->*is_expected)()) return v;
  return IsUnset(*v) ? nullptr : v;
}

}  // namespace

std::string ReqString(const Json& obj, std::string_view key, const Ctx& ctx) {
  return AsString(Need(obj, key, ctx), ctx.Field(key));
}

std::string OptString(const Json& obj, std::string_view key, const Ctx& ctx) {
  const Json* v = FindSet(obj, key, &Json::is_string);
  return v == nullptr ? std::string() : AsString(*v, ctx.Field(key));
}

bool OptBool(const Json& obj, std::string_view key, const Ctx& ctx, bool def) {
  const Json* v = FindSet(obj, key, &Json::is_boolean);
  if (v == nullptr) return def;
  if (!v->is_boolean()) ctx.Field(key).Fail(std::string("expected a boolean, got ") + TypeName(*v));
  return v->get<bool>();
}

bool ReqBool(const Json& obj, std::string_view key, const Ctx& ctx) {
  const Json& v = Need(obj, key, ctx);
  if (!v.is_boolean()) ctx.Field(key).Fail(std::string("expected a boolean, got ") + TypeName(v));
  return v.get<bool>();
}

uint64_t ReqU64(const Json& obj, std::string_view key, const Ctx& ctx) {
  return AsU64(Need(obj, key, ctx), ctx.Field(key));
}

uint64_t OptU64(const Json& obj, std::string_view key, const Ctx& ctx, uint64_t def) {
  const Json* v = FindSet(obj, key, &Json::is_number);
  return v == nullptr ? def : AsU64(*v, ctx.Field(key));
}

int64_t OptI64(const Json& obj, std::string_view key, const Ctx& ctx, int64_t def) {
  const Json* v = FindSet(obj, key, &Json::is_number);
  if (v == nullptr) return def;
  if (v->is_number_integer() || v->is_number_unsigned()) {
    if (v->is_number_unsigned() &&
        v->get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      ctx.Field(key).Fail("number " + v->dump() + " out of range");
    }
    return v->get<int64_t>();
  }
  ctx.Field(key).Fail(std::string("expected an integer, got ") + TypeName(*v));
}

const Json* OptObject(const Json& obj, std::string_view key, const Ctx& ctx) {
  const Json* v = FindSet(obj, key, &Json::is_object);
  if (v != nullptr) AsObject(*v, ctx.Field(key));
  return v;
}

const Json* OptArray(const Json& obj, std::string_view key, const Ctx& ctx) {
  const Json* v = FindSet(obj, key, &Json::is_array);
  if (v != nullptr) AsArray(*v, ctx.Field(key));
  return v;
}

const Json& ReqObject(const Json& obj, std::string_view key, const Ctx& ctx) {
  return AsObject(Need(obj, key, ctx), ctx.Field(key));
}

const Json& ReqArray(const Json& obj, std::string_view key, const Ctx& ctx) {
  return AsArray(Need(obj, key, ctx), ctx.Field(key));
}

const Json& ReadStoreHead(const Json& doc, std::string_view key, const Ctx& root,
                          std::string* version, std::string* timestamp_text,
                          std::optional<double>* timestamp) {
  AsObject(doc, root);
  const Json& body = ReqObject(doc, key, root);
  Ctx ctx = root.Field(key);
  *version = OptString(body, "Version", ctx);
  *timestamp_text = OptString(body, "TimeStamp", ctx);
  if (!timestamp_text->empty()) {
    auto parsed = ParseRfc3339(*timestamp_text);
    if (!parsed.ok()) ctx.Field("TimeStamp").Fail("\"" + *timestamp_text + "\" " + parsed.error());
    // Go's zero time is a time never set: unknown (docs/state-files.md).
    if (*parsed != kGoZeroTimeUnix) *timestamp = *parsed;
  }
  return body;
}

}  // namespace winnet::jsonr
