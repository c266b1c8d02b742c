// The fresh re-check of a found proof, outside the search: the kernel of a
// new prover process decides, and its verdict sets the result's status.
// Internal to search/.
#ifndef THOR_SEARCH_RECHECK_H_
#define THOR_SEARCH_RECHECK_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/env.h"
#include "search/prover.h"
#include "search/search_result.h"
#include "search/types.h"

namespace thor {

// Re-checks the proof `steps` of `theorem` with backend.Recheck and records
// the outcome in `result`: recheck, stats.recheck_s, and status/message
// (kProved on a pass, kRecheckRejected on a refusal, kError when the check
// could not run); `env` is the clock that times it.
void RecheckFoundProof(Env* env, ProverBackend& backend, const Theorem& theorem,
                       const std::vector<std::string>& steps, absl::Duration timeout,
                       SearchResult* result);

}  // namespace thor

#endif  // THOR_SEARCH_RECHECK_H_
