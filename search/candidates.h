// Helpers on policy candidates, shared by the search and the policies.
#ifndef THOR_SEARCH_CANDIDATES_H_
#define THOR_SEARCH_CANDIDATES_H_

#include <string>
#include <vector>

#include "search/policy.h"

namespace thor {

// Merges candidates with identical step text, keeping the best
// log-probability (is_hammer if any copy had it, the most time_units any
// had), and sorts best first; ties
// keep their first-seen order.
std::vector<Candidate> MergeCandidates(std::vector<Candidate> candidates);

}  // namespace thor

#endif  // THOR_SEARCH_CANDIDATES_H_
