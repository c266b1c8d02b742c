// The one list of provers Thor is built with. Each bridge exports its module
// pieces; this folder is the only place outside the bridges that names them.
// Adding a prover adds a bridge folder and one line per function here.
#ifndef THOR_PROVERS_PROVERS_H_
#define THOR_PROVERS_PROVERS_H_

#include "lm_client/prover_heuristics.h"

namespace thor {

// Every prover's cheap steps for the heuristic policy, by prover name.
ProverHeuristicsMap AllProverHeuristics();

}  // namespace thor

#endif  // THOR_PROVERS_PROVERS_H_
