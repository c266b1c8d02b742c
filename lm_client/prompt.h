// Prompt rendering and completion parsing shared by the model policies.
#ifndef THOR_LM_CLIENT_PROMPT_H_
#define THOR_LM_CLIENT_PROMPT_H_

#include <optional>
#include <string>
#include <vector>

#include "lm_client/policy_options.h"
#include "search/policy.h"

namespace thor {

// Fills options.prompt_template: "{context}" -> query.last_step, "{state}" ->
// query.state_text (each replaced once per occurrence; other text verbatim).
std::string RenderPrompt(const PolicyOptions& options, const PolicyQuery& query);

// One raw completion of a model.
struct RawCompletion {
  std::string text;
  bool has_logprob = false;
  double logprob = 0;  // Sum of token log-probabilities, if known.
};

// Turns raw completions into candidates: trims whitespace and a trailing
// stop/EOS marker, maps the model's hammer token to query.hammer_token
// (is_hammer), drops empty and over-long steps (counted in *dropped when
// non-null), fills missing log-probabilities with log(count / total), merges
// duplicates (best log-probability) and keeps the best query.n.
std::vector<Candidate> CompletionsToCandidates(
    const PolicyOptions& options, const PolicyQuery& query,
    const std::vector<RawCompletion>& completions, int* dropped);

}  // namespace thor

#endif  // THOR_LM_CLIENT_PROMPT_H_
