#include "provers/provers.h"

#include <memory>

#include "coq_bridge/coq_heuristics.h"
#include "isabelle_bridge/isabelle_heuristics.h"

namespace thor {

ProverHeuristicsMap AllProverHeuristics() {
  return {
      {"coq", std::make_shared<coq::CoqHeuristics>()},
      {"isabelle", std::make_shared<isabelle::IsabelleHeuristics>()},
  };
}

}  // namespace thor
