#include "lm_client/heuristic_policy.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace thor {

std::vector<std::string> DefaultHeuristicSteps(const std::string& prover) {
  if (prover == "isabelle") {
    return {"by auto",     "by simp",       "by blast",
            "by fastforce", "by force",     "by eval",
            "by presburger", "by sos",      "by arith",
            "by linarith", "by (auto simp: field_simps)"};
  }
  if (prover == "coq") {
    return {"auto", "easy", "lia", "firstorder", "intuition", "sauto", "hauto"};
  }
  return {};
}

HeuristicPolicy::HeuristicPolicy() : explicit_steps_(false) {}

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
    steps = DefaultHeuristicSteps(query.theorem->prover);
    if (steps.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "heuristic policy has no step list for prover '",
          query.theorem->prover, "' (known: coq, isabelle)"));
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

}  // namespace thor
