// Coq's cheap steps for the heuristic policy: CoqHammer-era tactics, then an
// induction on the variables of the first goal that an induction could split
// (read from coqtop's goal display).
#ifndef THOR_COQ_BRIDGE_COQ_HEURISTICS_H_
#define THOR_COQ_BRIDGE_COQ_HEURISTICS_H_

#include <cstddef>
#include <string>
#include <vector>

#include "lm_client/prover_heuristics.h"

namespace thor::coq {

// "auto", "easy", "lia", "firstorder", "intuition", "sauto", "hauto".
std::vector<std::string> CoqFixedSteps();

// Variables of the first goal in a Coq goal display (the state text) that an
// induction could split: hypotheses shown above the `=====` line and the
// binders of the conclusion's top-level `forall`s, in display order, those
// typed by a recursive datatype of the standard library (nat, list,
// positive) first, then the others typed by a lowercase type constant; sorts
// (Type, Set, Prop) and functions are left out. At most `max` names.
std::vector<std::string> CoqInductionVariables(const std::string& state_text, size_t max);

class CoqHeuristics : public ProverHeuristics {
 public:
  // Induction steps per state: `induction x; sauto` for the first
  // kInductionVariables of CoqInductionVariables(state_text), after the fixed
  // list. The hammer alone cannot do induction; the search can.
  static constexpr size_t kInductionVariables = 3;

  // CoqFixedSteps(), then the induction steps for this state.
  std::vector<std::string> CheapSteps(const std::string& state_text) const override;

  // CoqContextItems(context) (coq_context_items.h).
  std::vector<ContextItem> ContextItems(const std::string& context) const override;
};

}  // namespace thor::coq

#endif  // THOR_COQ_BRIDGE_COQ_HEURISTICS_H_
