// Refuses steps that would make a proof unsound, leave the proof, or run code
// or touch files, before they reach a prover.
#ifndef THOR_SEARCH_STEP_FILTER_H_
#define THOR_SEARCH_STEP_FILTER_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace thor {

// Returns OK if `step` may be sent to `prover` ("coq" or "isabelle"), or
// PermissionDenied naming the forbidden command. A forbidden word anywhere in
// the step, as a whole word, refuses it, even inside a comment or a string: a
// false refusal costs one candidate, a missed one would cost soundness.
absl::Status CheckStepAllowed(absl::string_view prover, absl::string_view step);

}  // namespace thor

#endif  // THOR_SEARCH_STEP_FILTER_H_
