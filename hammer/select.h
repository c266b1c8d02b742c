// Premise selection: MePo (Meng & Paulson's iterative symbol-overlap
// relevance filter), k-NN over symbol features learned from earlier proofs,
// and MeSh (their rank combination, as in Sledgehammer).
#ifndef THOR_HAMMER_SELECT_H_
#define THOR_HAMMER_SELECT_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "hammer/tptp.h"

namespace thor::hammer {

// Proof dependencies to learn from: goal name -> premise names, plus the
// goal's features when known (otherwise taken from a premise of the same
// name in the problem being solved).
struct ProofRecord {
  std::vector<std::string> features;  // Empty = look the goal up by name.
  std::vector<std::string> premises;
};
using ProofDb = absl::flat_hash_map<std::string, ProofRecord>;

// A ranking of premises: indices into problem.formulas with scores, best
// first, every premise exactly once.
struct Ranking {
  std::vector<int> order;
  std::vector<double> score;  // Parallel to `order`.
};

Ranking RankMePo(const Problem& problem);
// `exclude` is a goal name never to learn from (the problem's own).
Ranking RankKnn(const Problem& problem, const ProofDb& proofs, const std::string& exclude,
                int k = 40);
Ranking RankMeSh(const Problem& problem, const ProofDb& proofs, const std::string& exclude);

// Dispatches on "mepo" | "knn" | "mesh"; InvalidArgument otherwise, or
// for a problem without conjecture / negated conjecture.
absl::StatusOr<Ranking> Rank(const Problem& problem, const std::string& method,
                             const ProofDb& proofs, const std::string& exclude);

// The name of the problem's conjecture (first goal formula), "" if none.
std::string GoalName(const Problem& problem);

}  // namespace thor::hammer

#endif  // THOR_HAMMER_SELECT_H_
