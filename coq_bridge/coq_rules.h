// The Coq bridge's soundness rules: what a step, a statement, an import and
// a context sentence may be. Input from a model or a client is hostile text;
// these functions decide before any coqtop sees it.
#ifndef THOR_COQ_BRIDGE_COQ_RULES_H_
#define THOR_COQ_BRIDGE_COQ_RULES_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace thor::coq {

// OK if `step` may be sent to coqtop inside a proof, else PermissionDenied
// naming what was refused.
absl::Status CheckCoqStep(absl::string_view step);

}  // namespace thor::coq

#endif  // THOR_COQ_BRIDGE_COQ_RULES_H_
