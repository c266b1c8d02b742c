#include "search/candidates.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_map.h"

namespace thor {

std::vector<Candidate> MergeCandidates(std::vector<Candidate> candidates) {
  absl::flat_hash_map<std::string, size_t> index;
  std::vector<Candidate> merged;
  merged.reserve(candidates.size());
  for (Candidate& c : candidates) {
    auto [it, inserted] = index.emplace(c.step, merged.size());
    if (inserted) {
      merged.push_back(std::move(c));
      continue;
    }
    Candidate& kept = merged[it->second];
    kept.logprob = std::max(kept.logprob, c.logprob);
    kept.is_hammer = kept.is_hammer || c.is_hammer;
    kept.time_units = std::max(kept.time_units, c.time_units);
  }
  std::stable_sort(merged.begin(), merged.end(),
                   [](const Candidate& a, const Candidate& b) {
                     return a.logprob > b.logprob;
                   });
  return merged;
}

}  // namespace thor
