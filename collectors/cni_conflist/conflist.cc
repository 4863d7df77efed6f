#include "collectors/cni_conflist/conflist.h"

#include "collectors/common/json_read.h"
#include "collectors/common/state_file_parse.h"

namespace winnet {

using jsonr::Ctx;
using jsonr::Json;

namespace {

// The plugin whose settings tell the mode, with its context.
std::pair<const Json*, Ctx> ChoosePlugin(const Json& doc, const Ctx& root) {
  const Json* plugins = jsonr::OptArray(doc, "plugins", root);
  if (plugins == nullptr) return {&doc, root};  // a single-plugin .conf
  Ctx pctx = root.Field("plugins");
  if (plugins->empty()) pctx.Fail("no plugins");
  for (size_t i = 0; i < plugins->size(); ++i) {
    jsonr::AsObject((*plugins)[i], pctx.Index(i));
    if (jsonr::OptObject((*plugins)[i], "ipam", pctx.Index(i)) != nullptr) {
      return {&(*plugins)[i], pctx.Index(i)};
    }
  }
  return {&(*plugins)[0], pctx.Index(0)};
}

void ReadPlugin(const Json& p, const Ctx& ctx, CniConflist* out) {
  out->plugin = jsonr::OptString(p, "type", ctx);
  if (const Json* ipam = jsonr::OptObject(p, "ipam", ctx)) {
    out->ipam = jsonr::OptString(*ipam, "type", ctx.Field("ipam"));
    out->ipam_mode = jsonr::OptString(*ipam, "mode", ctx.Field("ipam"));
  }
  const Json* dns = jsonr::OptObject(p, "dns", ctx);
  if (dns == nullptr) return;
  Ctx dctx = ctx.Field("dns");
  if (const Json* ns = jsonr::OptArray(*dns, "Nameservers", dctx)) {
    for (size_t i = 0; i < ns->size(); ++i) {
      const Json& one = (*ns)[i];
      if (!one.is_string()) {
        dctx.Field("Nameservers")
            .Index(i)
            .Fail(std::string("expected a string, got ") + jsonr::TypeName(one));
      }
      out->nameservers.push_back(one.get<std::string>());
    }
  }
}

void ReadConflist(const Json& doc, const Ctx& root, CniConflist& conf) {
  jsonr::AsObject(doc, root);
  conf.name = jsonr::OptString(doc, "name", root);
  auto [plugin, pctx] = ChoosePlugin(doc, root);
  ReadPlugin(*plugin, pctx, &conf);
  conf.present = true;
}

}  // namespace

Result<CniConflist> ParseCniConflist(std::string_view text, std::string_view file) {
  return ParseStateFile<CniConflist>(text, file, ReadConflist);
}

}  // namespace winnet
