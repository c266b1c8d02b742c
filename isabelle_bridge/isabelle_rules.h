// The Isabelle bridge's soundness rules: what a proof step may be. Input from
// a model or a client is hostile text; these functions decide before any PISA
// server or Isabelle process sees it.
#ifndef THOR_ISABELLE_BRIDGE_ISABELLE_RULES_H_
#define THOR_ISABELLE_BRIDGE_ISABELLE_RULES_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace thor::isabelle {

// OK if `step` may be sent to Isabelle inside a proof, else PermissionDenied
// naming what was refused.
absl::Status CheckIsabelleStep(absl::string_view step);

}  // namespace thor::isabelle

#endif  // THOR_ISABELLE_BRIDGE_ISABELLE_RULES_H_
