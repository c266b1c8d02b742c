#include "lm_client/prompt.h"

#include <cmath>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "absl/strings/ascii.h"
#include "search/candidates.h"

namespace thor {

std::string RenderPrompt(const PolicyOptions& options, const PolicyQuery& query) {
  return absl::StrReplaceAll(options.prompt_template,
                             {{"{context}", query.last_step},
                              {"{state}", query.state_text}});
}

std::vector<Candidate> CompletionsToCandidates(
    const PolicyOptions& options, const PolicyQuery& query,
    const std::vector<RawCompletion>& completions, int* dropped) {
  int drop_count = 0;
  std::vector<std::pair<std::string, const RawCompletion*>> steps;
  absl::flat_hash_map<std::string, int> counts;
  for (const RawCompletion& c : completions) {
    absl::string_view text = absl::StripAsciiWhitespace(c.text);
    for (const std::string& stop : options.stop) {
      if (!stop.empty() && absl::ConsumeSuffix(&text, stop)) break;
    }
    text = absl::StripAsciiWhitespace(text);
    if (text.empty() || text.size() > options.max_step_bytes) {
      ++drop_count;
      continue;
    }
    steps.emplace_back(std::string(text), &c);
    ++counts[steps.back().first];
  }
  std::vector<Candidate> out;
  const double total = static_cast<double>(steps.size());
  for (auto& [text, raw] : steps) {
    Candidate cand;
    cand.logprob = raw->has_logprob ? std::min(0.0, raw->logprob)
                                    : std::log(counts[text] / total);
    if (text == options.model_hammer_token || text == query.hammer_token) {
      cand.step = query.hammer_token;
      cand.is_hammer = true;
    } else {
      cand.step = std::move(text);
    }
    out.push_back(std::move(cand));
  }
  out = MergeCandidates(std::move(out));
  if (query.n >= 0 && out.size() > static_cast<size_t>(query.n)) {
    out.resize(static_cast<size_t>(query.n));
  }
  if (dropped != nullptr) *dropped = drop_count;
  return out;
}

}  // namespace thor
