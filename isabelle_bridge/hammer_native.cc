#include "isabelle_bridge/hammer_native.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace thor::isabelle {
namespace {

bool Succeeded(const StepResult& r) {
  return r.kind == StepKind::kNewState || r.kind == StepKind::kProofFinished;
}

}  // namespace

HammerStepResult TryStepsInOrder(const std::vector<std::string>& steps,
                                 absl::Duration per_step, absl::Time deadline,
                                 const HammerApplyFn& apply, const std::string& prover) {
  HammerStepResult out;
  out.message = "no step to try";
  for (const std::string& step : steps) {
    absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) {
      out.step.kind = StepKind::kTimeout;
      out.message = "hammer time limit reached";
      return out;
    }
    StepResult r = apply(step, std::min(per_step, left), /*native=*/false, nullptr);
    if (Succeeded(r)) {
      out.step = std::move(r);
      out.step_text = step;
      out.prover = prover;
      out.message.clear();
      return out;
    }
    out.step = r;
    out.message = absl::StrCat("'", step, "': ", r.message);
    if (r.kind == StepKind::kProverLost) return out;
  }
  return out;
}

HammerStepResult RunNativeHammer(const IsabelleConfig& config, const HammerApplyFn& apply,
                                 absl::Duration timeout) {
  const absl::Time start = absl::Now();
  const absl::Time deadline = start + timeout;
  HammerStepResult out;
  if (config.heuristics_first) {
    out = TryStepsInOrder(config.heuristics, config.heuristic_timeout, deadline, apply,
                          "heuristic");
    if (!out.step_text.empty() || out.step.kind == StepKind::kProverLost) {
      out.step.elapsed = absl::Now() - start;
      return out;
    }
  }
  absl::Duration left = deadline - absl::Now();
  if (left <= absl::ZeroDuration()) {
    out.step.kind = StepKind::kTimeout;
    out.message = "hammer time limit reached before Sledgehammer ran";
    return out;
  }
  std::string applied;
  const std::string command = NativeHammerStep(config.version);
  StepResult r = apply(command,
                       std::min(left, config.native_hammer_timeout),
                       /*native=*/true, &applied);
  out.step = std::move(r);
  out.step.elapsed = absl::Now() - start;
  // The command PISA was sent ("normalhammer" on PISA for Isabelle 2022,
  // "sledgehammer" on 2021), so a record says which one ran.
  out.prover = command.substr(0, command.find(' '));
  if (out.step.kind == StepKind::kNewState || out.step.kind == StepKind::kProofFinished) {
    out.step_text = applied;
    out.message.clear();
  } else {
    out.message = absl::StrCat("Sledgehammer found no proof: ", out.step.message);
  }
  return out;
}

}  // namespace thor::isabelle
