// The embedded default policy: per prover, the prover's cheap steps for the
// state, then the hammer token. Lets `thor prove` work with no model server.
#ifndef THOR_LM_CLIENT_HEURISTIC_POLICY_H_
#define THOR_LM_CLIENT_HEURISTIC_POLICY_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lm_client/prover_heuristics.h"
#include "search/policy.h"

namespace thor {

class HeuristicPolicy : public Policy {
 public:
  // Asks provers[theorem->prover] for the cheap steps of each query's state
  // (the composition root passes every bridge's, see provers/).
  explicit HeuristicPolicy(ProverHeuristicsMap provers);
  // Uses `steps` for every prover.
  explicit HeuristicPolicy(std::vector<std::string> steps);

  std::string Name() const override { return "heuristic"; }

  // Returns the step list in order (the prover's cheap steps for this state,
  // or the explicit list), then the hammer token (query.hammer_token,
  // is_hammer = true), truncated to query.n. Log-probabilities decrease with
  // the position (-0.05 per position), so cheap steps rank first. Returns
  // InvalidArgument if the prover has no cheap steps here (naming the known
  // provers) or query.theorem is null with no explicit list. Never blocks.
  absl::StatusOr<std::vector<Candidate>> Propose(
      const PolicyQuery& query, absl::Duration deadline) override;

 private:
  bool explicit_steps_;
  std::vector<std::string> steps_;
  ProverHeuristicsMap provers_;
};

// The hammer alone: for every state one candidate, the hammer token. A
// search with it makes one hammer call on the theorem's own goal (a proof
// or nothing to expand), so `thor eval --policy=hammer` measures the
// prover's hammer by itself, e.g. CoqHammer's own `hammer` with the Coq
// option "hammer": "native", beside the other policies under one budget.
class HammerPolicy : public Policy {
 public:
  std::string Name() const override { return "hammer"; }
  // Returns the hammer token (query.hammer_token, is_hammer = true, log-
  // probability 0), or nothing for query.n <= 0. Never blocks.
  absl::StatusOr<std::vector<Candidate>> Propose(
      const PolicyQuery& query, absl::Duration deadline) override;
};

}  // namespace thor

#endif  // THOR_LM_CLIENT_HEURISTIC_POLICY_H_
