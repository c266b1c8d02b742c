// The hammer strategies that run inside Isabelle: DSP's cheap heuristics
// (optional, first) and Sledgehammer through PISA's hammer keyword, whose
// "<step> <hammer> <state>" reply gives the step PISA applied.
#ifndef THOR_ISABELLE_BRIDGE_HAMMER_NATIVE_H_
#define THOR_ISABELLE_BRIDGE_HAMMER_NATIVE_H_

#include <functional>
#include <string>

#include "absl/time/time.h"
#include "isabelle_bridge/config.h"
#include "search/types.h"

namespace thor::isabelle {

// Applies `step` to the hammer's source state within `timeout`. `native`
// marks PISA's hammer keyword; then `*applied` receives the step PISA chose.
using HammerApplyFn = std::function<StepResult(const std::string& step, absl::Duration timeout,
                                               bool native, std::string* applied)>;

// Tries config.heuristics (if heuristics_first) then the native hammer, all
// within `timeout`. Returns the first success (step kNewState or
// kProofFinished), else the last failure; stops early on kProverLost.
HammerStepResult RunNativeHammer(const IsabelleConfig& config, const HammerApplyFn& apply,
                                 absl::Duration timeout);

// Tries each of `steps` in order within `timeout` (DSP's heuristics, or a
// reconstruction ladder). Returns the first success, else the last failure.
HammerStepResult TryStepsInOrder(const std::vector<std::string>& steps,
                                 absl::Duration per_step, absl::Time deadline,
                                 const HammerApplyFn& apply, const std::string& prover);

}  // namespace thor::isabelle

#endif  // THOR_ISABELLE_BRIDGE_HAMMER_NATIVE_H_
