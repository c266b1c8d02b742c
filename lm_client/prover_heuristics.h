// What the heuristic policy needs from a prover: the cheap steps worth trying
// on a proof state before the hammer. Each bridge implements it (it alone
// knows its tactics and how to read its goal display); the composition root
// (provers/) hands the policy one per prover name.
#ifndef THOR_LM_CLIENT_PROVER_HEURISTICS_H_
#define THOR_LM_CLIENT_PROVER_HEURISTICS_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace thor {

class ProverHeuristics {
 public:
  virtual ~ProverHeuristics() = default;
  // The cheap steps for `state_text` (the prover's goal display, possibly
  // empty), best first. Pure: the same text gives the same list.
  virtual std::vector<std::string> CheapSteps(const std::string& state_text) const = 0;
};

// By prover name (Theorem::prover).
using ProverHeuristicsMap = std::map<std::string, std::shared_ptr<const ProverHeuristics>>;

}  // namespace thor

#endif  // THOR_LM_CLIENT_PROVER_HEURISTICS_H_
