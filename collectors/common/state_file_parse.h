// What every parser of a CNI or CNS state file does around reading its fields
// (docs/state-files.md): a file of NUL bytes is refused, a blank file is "no
// state yet", the JSON is parsed, and a field error becomes the parse error.
#pragma once

#include <string_view>

#include "collectors/common/json_read.h"
#include "collectors/common/result.h"

namespace winnet {

// True when the text holds nothing but whitespace (the CNI's "store empty").
bool IsBlank(std::string_view text);

// An error naming `file` when the text is NUL bytes, with or without
// whitespace, and nothing else: a save cut short leaves a file that size but
// never written. Unlike a blank file that is not "no state": the state is lost
// and the source must fail (docs/state-files.md).
Status RefuseNulFilled(std::string_view text, std::string_view file);

// The state `read_doc(doc, root_ctx, state)` reads from the document that
// `parse_doc()` makes of the text; a default State for a blank text. A
// jsonr::FieldError thrown by read_doc is the error.
template <typename State, typename ParseDoc, typename ReadDoc>
Result<State> ParseStateFile(std::string_view text, std::string_view file, ParseDoc parse_doc,
                             ReadDoc read_doc) {
  State state;
  if (auto refused = RefuseNulFilled(text, file); !refused.ok()) return MakeError(refused.error());
  if (IsBlank(text)) return state;
  Result<jsonr::Json> doc = parse_doc();
  if (!doc.ok()) return MakeError(doc.error());
  try {
    read_doc(*doc, jsonr::Ctx(file, ""), state);
  } catch (const jsonr::FieldError& e) {
    return MakeError(e.what());
  }
  return state;
}

// The same with the whole text parsed into one document (jsonr::Parse).
template <typename State, typename ReadDoc>
Result<State> ParseStateFile(std::string_view text, std::string_view file, ReadDoc read_doc) {
  return ParseStateFile<State>(
      text, file, [&] { return jsonr::Parse(text, file); }, read_doc);
}

}  // namespace winnet
