#include "collectors/containerd/containerd.h"

#include "collectors/common/json_read.h"
#include "collectors/common/netaddr.h"

namespace winnet {

using jsonr::Ctx;
using jsonr::Json;

Result<ContainerdSpec> ParseContainerdSpec(std::string_view text, std::string_view file) {
  auto doc = jsonr::Parse(text, file);
  if (!doc.ok()) return MakeError(doc.error());
  ContainerdSpec spec;
  try {
    Ctx root(file, "");
    jsonr::AsObject(*doc, root);
    if (const Json* ann = jsonr::OptObject(*doc, "annotations", root)) {
      Ctx actx = root.Field("annotations");
      for (const auto& [key, value] : ann->items()) {
        if (!value.is_string()) {
          actx.Field(key).Fail(std::string("expected a string, got ") + jsonr::TypeName(value));
        }
      }
      spec.container_type = jsonr::OptString(*ann, "io.kubernetes.cri.container-type", actx);
      spec.sandbox_id = LowerAscii(jsonr::OptString(*ann, "io.kubernetes.cri.sandbox-id", actx));
      spec.sandbox_name = jsonr::OptString(*ann, "io.kubernetes.cri.sandbox-name", actx);
      spec.sandbox_namespace = jsonr::OptString(*ann, "io.kubernetes.cri.sandbox-namespace", actx);
      spec.sandbox_uid = jsonr::OptString(*ann, "io.kubernetes.cri.sandbox-uid", actx);
    }
    if (const Json* win = jsonr::OptObject(*doc, "windows", root)) {
      Ctx wctx = root.Field("windows");
      if (const Json* net = jsonr::OptObject(*win, "network", wctx)) {
        Ctx nctx = wctx.Field("network");
        std::string ns = jsonr::OptString(*net, "networkNamespace", nctx);
        if (!ns.empty()) {
          spec.network_namespace = NormalizeGuid(ns);
          if (!IsGuid(spec.network_namespace)) {
            nctx.Field("networkNamespace").Fail("\"" + ns + "\" is not a GUID");
          }
        }
      }
    }
  } catch (const jsonr::FieldError& e) {
    return MakeError(e.what());
  }
  return spec;
}

}  // namespace winnet
