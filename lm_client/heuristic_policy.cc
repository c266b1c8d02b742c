#include "lm_client/heuristic_policy.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace thor {

HeuristicPolicy::HeuristicPolicy(ProverHeuristicsMap provers)
    : explicit_steps_(false), provers_(std::move(provers)) {}

HeuristicPolicy::HeuristicPolicy(std::vector<std::string> steps)
    : explicit_steps_(true), steps_(std::move(steps)) {}

absl::StatusOr<std::vector<Candidate>> HeuristicPolicy::Propose(
    const PolicyQuery& query, absl::Duration /*deadline*/) {
  std::vector<std::string> steps = steps_;
  if (!explicit_steps_) {
    if (query.theorem == nullptr) {
      return absl::InvalidArgumentError(
          "heuristic policy: the query names no theorem, so no prover");
    }
    auto it = provers_.find(query.theorem->prover);
    if (it != provers_.end() && it->second != nullptr) {
      steps = it->second->CheapSteps(query.state_text);
    }
    if (steps.empty()) {
      std::string known;
      for (const auto& [name, heuristics] : provers_) {
        absl::StrAppend(&known, known.empty() ? "" : ", ", name);
      }
      return absl::InvalidArgumentError(absl::StrCat(
          "heuristic policy has no step list for prover '",
          query.theorem->prover.substr(0, 64), "' (known: ", known, ")"));
    }
  }
  std::vector<Candidate> out;
  const size_t limit = query.n < 0 ? 0 : static_cast<size_t>(query.n);
  for (size_t i = 0; i <= steps.size() && out.size() < limit; ++i) {
    Candidate c;
    c.logprob = -0.05 * static_cast<double>(i);
    if (i < steps.size()) {
      c.step = steps[i];
    } else {
      c.step = query.hammer_token;
      c.is_hammer = true;
    }
    out.push_back(std::move(c));
  }
  return out;
}

absl::StatusOr<std::vector<Candidate>> HammerPolicy::Propose(const PolicyQuery& query,
                                                              absl::Duration /*deadline*/) {
  std::vector<Candidate> out;
  if (query.n <= 0) return out;
  Candidate c;
  c.step = query.hammer_token;
  c.is_hammer = true;
  c.logprob = 0;
  out.push_back(std::move(c));
  return out;
}

}  // namespace thor
