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
// query.state_text, "{local_context}" -> LocalContext(options, query) (each
// replaced once per occurrence; other text verbatim).
std::string RenderPrompt(const PolicyOptions& options, const PolicyQuery& query);

// The items of the theorem's context (its prover's ContextItems, from
// options.prover_heuristics) that the goals mention, and the items those
// mention in turn, within options.local_context_bytes: one per line in
// source order, then a newline; "" when none (or no theorem, context or
// prover entry). A name made of identifier characters matches a whole word
// of the goals (a qualified name also by its last part); any other name (a
// notation's symbol) matches where it occurs. Items nearer the goal come
// first when the cap forces a choice: those the goals mention, the later
// ones in the source first (the theorem's own neighbourhood).
std::string LocalContext(const PolicyOptions& options, const PolicyQuery& query);

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
