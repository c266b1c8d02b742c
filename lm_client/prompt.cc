#include "lm_client/prompt.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "search/candidates.h"

namespace thor {
namespace {

bool IsWordChar(char c) { return absl::ascii_isalnum(c) || c == '_' || c == '\'' || c == '.'; }

// The words of `text` (runs of identifier characters and '.'), each also
// by the part after its last '.' ("Nat.add" gives "Nat.add" and "add").
absl::flat_hash_set<std::string> Words(absl::string_view text) {
  absl::flat_hash_set<std::string> out;
  size_t i = 0;
  while (i < text.size()) {
    if (!IsWordChar(text[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < text.size() && IsWordChar(text[j])) ++j;
    absl::string_view w = absl::StripSuffix(text.substr(i, j - i), ".");
    if (!w.empty()) {
      out.emplace(w);
      const size_t dot = w.rfind('.');
      if (dot != absl::string_view::npos) out.emplace(w.substr(dot + 1));
    }
    i = j;
  }
  return out;
}

bool IsWord(absl::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), IsWordChar);
}

// True if `text` (whose words are `words`) mentions one of `item`'s names.
bool Mentions(absl::string_view text, const absl::flat_hash_set<std::string>& words,
              const ContextItem& item) {
  for (const std::string& name : item.names) {
    if (name.empty()) continue;
    if (IsWord(name) ? words.contains(name) : absl::StrContains(text, name)) return true;
  }
  return false;
}

}  // namespace

std::string LocalContext(const PolicyOptions& options, const PolicyQuery& query) {
  if (options.local_context_bytes == 0 || query.theorem == nullptr ||
      query.theorem->context.empty()) {
    return "";
  }
  auto prover = options.prover_heuristics.find(query.theorem->prover);
  if (prover == options.prover_heuristics.end() || prover->second == nullptr) return "";
  const std::vector<ContextItem> items = prover->second->ContextItems(query.theorem->context);
  // Breadth first from the goals: the items they mention, then the items
  // those mention; within a round the later items of the source first.
  std::vector<bool> taken(items.size(), false);
  size_t used = 0;
  std::vector<size_t> round;
  auto visit = [&](absl::string_view text) {
    const absl::flat_hash_set<std::string> words = Words(text);
    for (size_t k = items.size(); k-- > 0;) {
      if (taken[k] || !Mentions(text, words, items[k])) continue;
      if (used + items[k].text.size() + 1 > options.local_context_bytes) continue;
      taken[k] = true;
      used += items[k].text.size() + 1;
      round.push_back(k);
    }
  };
  visit(query.state_text);
  while (!round.empty()) {
    std::vector<size_t> previous;
    previous.swap(round);
    for (size_t k : previous) visit(items[k].text);
  }
  std::vector<absl::string_view> chosen;
  for (size_t k = 0; k < items.size(); ++k) {
    if (taken[k]) chosen.push_back(items[k].text);
  }
  if (chosen.empty()) return "";
  return absl::StrCat(absl::StrJoin(chosen, "\n"), "\n");
}

std::string RenderPrompt(const PolicyOptions& options, const PolicyQuery& query) {
  const bool local = absl::StrContains(options.prompt_template, "{local_context}");
  return absl::StrReplaceAll(options.prompt_template,
                             {{"{context}", query.last_step},
                              {"{state}", query.state_text},
                              {"{local_context}", local ? LocalContext(options, query) : ""}});
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
