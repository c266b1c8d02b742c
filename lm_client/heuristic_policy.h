// The embedded default policy: per prover, a fixed list of cheap steps, then
// the hammer token. Lets `thor prove` work with no model server.
#ifndef THOR_LM_CLIENT_HEURISTIC_POLICY_H_
#define THOR_LM_CLIENT_HEURISTIC_POLICY_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "search/policy.h"

namespace thor {

// DSP's list for Isabelle ("by auto", "by simp", ... "by (auto simp:
// field_simps)") or CoqHammer-era tactics for Coq ("auto", "easy", "lia",
// "firstorder", "intuition", "sauto", "hauto"). Empty for other provers.
std::vector<std::string> DefaultHeuristicSteps(const std::string& prover);

// Variables of the first goal in a Coq goal display (the state text) that an
// induction could split: hypotheses shown above the `=====` line and the
// binders of the conclusion's top-level `forall`s, in display order, those
// typed by a recursive datatype of the standard library (nat, list,
// positive) first, then the others typed by a lowercase type constant; sorts
// (Type, Set, Prop) and functions are left out. At most `max` names.
std::vector<std::string> CoqInductionVariables(const std::string& state_text, size_t max);

class HeuristicPolicy : public Policy {
 public:
  // Induction steps per query for Coq: `induction x; sauto` for the first
  // kCoqInductionVariables of CoqInductionVariables(state_text), after the
  // fixed list and before the hammer. The hammer alone cannot do induction;
  // the search can.
  static constexpr size_t kCoqInductionVariables = 3;

  // Uses DefaultHeuristicSteps(theorem->prover) for each query, plus the
  // induction steps for Coq.
  HeuristicPolicy();
  // Uses `steps` for every prover.
  explicit HeuristicPolicy(std::vector<std::string> steps);

  std::string Name() const override { return "heuristic"; }

  // Returns the step list in order (for Coq with the default list, then the
  // induction steps for this state), then the hammer token (query.hammer_token,
  // is_hammer = true), truncated to query.n. Log-probabilities decrease with
  // the position (-0.05 per position), so cheap steps rank first. Returns
  // InvalidArgument if the prover has no default list (naming the known
  // provers) or query.theorem is null with no explicit list. Never blocks.
  absl::StatusOr<std::vector<Candidate>> Propose(
      const PolicyQuery& query, absl::Duration deadline) override;

 private:
  bool explicit_steps_;
  std::vector<std::string> steps_;
};

}  // namespace thor

#endif  // THOR_LM_CLIENT_HEURISTIC_POLICY_H_
