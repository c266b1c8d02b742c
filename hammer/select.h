// Premise selection: MePo (Meng & Paulson's iterative symbol-overlap
// relevance filter), k-NN over symbol features learned from earlier proofs,
// and MeSh (their rank combination, as in Sledgehammer).
#ifndef THOR_HAMMER_SELECT_H_
#define THOR_HAMMER_SELECT_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
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
// MeSh from already computed MePo and k-NN rankings of the same problem.
Ranking CombineMeSh(const Ranking& mepo, const Ranking& knn);

// Dispatches on "mepo" | "knn" | "mesh"; InvalidArgument otherwise, or
// for a problem without conjecture / negated conjecture.
absl::StatusOr<Ranking> Rank(const Problem& problem, const std::string& method,
                             const ProofDb& proofs, const std::string& exclude);

// Rankings of one problem, each computed once on first use ("mesh" reuses
// "mepo" and "knn"; "none" is input order). Thread-safe. REQUIRES: the
// problem outlives the cache and has a goal.
class RankingCache {
 public:
  // `proofs` is a snapshot the cache shares, never copies (a server's
  // database grows with every proof it finds).
  RankingCache(const Problem& problem, std::shared_ptr<const ProofDb> proofs,
               std::string exclude)
      : problem_(problem), proofs_(std::move(proofs)), exclude_(std::move(exclude)) {}
  // REQUIRES: selector is mepo, knn, mesh or none.
  const Ranking& Get(const std::string& selector);

 private:
  const Problem& problem_;
  const std::shared_ptr<const ProofDb> proofs_;
  const std::string exclude_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::unique_ptr<Ranking>> cache_ ABSL_GUARDED_BY(mu_);
};

// The name of the problem's conjecture (first goal formula), "" if none.
std::string GoalName(const Problem& problem);

}  // namespace thor::hammer

#endif  // THOR_HAMMER_SELECT_H_
