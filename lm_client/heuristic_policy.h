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

class HeuristicPolicy : public Policy {
 public:
  // Uses DefaultHeuristicSteps(theorem->prover) for each query.
  HeuristicPolicy();
  // Uses `steps` for every prover.
  explicit HeuristicPolicy(std::vector<std::string> steps);

  std::string Name() const override { return "heuristic"; }

  // Returns the step list in order, then the hammer token (query.hammer_token,
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
