// Isabelle's cheap steps for the heuristic policy: DSP's list of one-line
// proof methods, the same for every state; and its context items.
#ifndef THOR_ISABELLE_BRIDGE_ISABELLE_HEURISTICS_H_
#define THOR_ISABELLE_BRIDGE_ISABELLE_HEURISTICS_H_

#include <string>
#include <vector>

#include "lm_client/prover_heuristics.h"

namespace thor::isabelle {

class IsabelleHeuristics : public ProverHeuristics {
 public:
  // "by auto", "by simp", ... "by (auto simp: field_simps)"; ignores the state.
  std::vector<std::string> CheapSteps(const std::string& state_text) const override;

  // IsabelleContextItems(context) (isabelle_context_items.h).
  std::vector<ContextItem> ContextItems(const std::string& context) const override;
};

}  // namespace thor::isabelle

#endif  // THOR_ISABELLE_BRIDGE_ISABELLE_HEURISTICS_H_
