#include "learn/features.h"

#include <algorithm>
#include <cmath>
#include <cctype>
#include <unordered_set>

#include "absl/strings/str_cat.h"

namespace thor::learn {
namespace {

// Tokens of `term` with the local names replaced by "$v".
std::vector<std::string> AbstractTokens(absl::string_view term,
                                        const std::unordered_set<std::string>& locals) {
  std::vector<std::string> tokens = TermTokens(term);
  for (std::string& t : tokens) {
    if (locals.count(t) > 0) t = "$v";
  }
  return tokens;
}

// The first connective at parenthesis depth 0, in Coq's precedence order
// (the loosest binds last, so it is the main one).
std::string MainConnective(const std::vector<std::string>& tokens) {
  static const char* const kOrder[] = {"<->", "->", "\\/", "/\\", "=",  "<>",
                                       "<=",  "<",  ">=",  ">",   "~"};
  for (const char* op : kOrder) {
    int depth = 0;
    for (const std::string& t : tokens) {
      if (t == "(" || t == "[" || t == "{") ++depth;
      if (t == ")" || t == "]" || t == "}") --depth;
      if (depth == 0 && t == op) return op;
    }
  }
  return "none";
}

std::string NameShape(const std::string& name) {
  std::string out = name;
  while (!out.empty() && (std::isdigit(static_cast<unsigned char>(out.back())) ||
                          out.back() == '\'')) {
    out.pop_back();
  }
  return out.size() > 4 ? out.substr(0, 4) : out;
}

int Bucket(size_t n) { return n <= 3 ? static_cast<int>(n) : n <= 6 ? 5 : n <= 12 ? 10 : 20; }

void AddNgrams(const std::string& prefix, const std::vector<std::string>& tokens, int max_n,
               std::vector<std::string>* out) {
  for (size_t i = 0; i < tokens.size(); ++i) {
    out->push_back(absl::StrCat(prefix, "1:", tokens[i]));
    if (max_n >= 2 && i + 1 < tokens.size()) {
      out->push_back(absl::StrCat(prefix, "2:", tokens[i], " ", tokens[i + 1]));
    }
    if (max_n >= 3 && i + 2 < tokens.size()) {
      out->push_back(absl::StrCat(prefix, "3:", tokens[i], " ", tokens[i + 1], " ", tokens[i + 2]));
    }
  }
}

}  // namespace

uint32_t FeatureHash(absl::string_view text) {
  uint32_t h = 2166136261u;
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  return h;
}

FeatureCounts StateFeatures(absl::string_view state_text, std::vector<std::string>* names) {
  std::vector<TextGoal> goals = ParseStateText(state_text);
  std::vector<std::string> feats;
  feats.push_back(absl::StrCat("ng:", Bucket(goals.size())));
  if (!goals.empty()) {
    const TextGoal& g = goals[0];
    std::unordered_set<std::string> locals;
    for (const TextHypothesis& h : g.hypotheses) locals.insert(h.name);
    for (const std::string& b : BinderNames(g.conclusion)) locals.insert(b);
    std::vector<std::string> concl = AbstractTokens(g.conclusion, locals);
    if (!concl.empty()) feats.push_back(absl::StrCat("ch:", concl[0]));
    feats.push_back(absl::StrCat("cm:", MainConnective(concl)));
    AddNgrams("c", concl, 3, &feats);
    feats.push_back(absl::StrCat("nh:", Bucket(g.hypotheses.size())));
    for (const TextHypothesis& h : g.hypotheses) {
      std::vector<std::string> type = AbstractTokens(h.type, locals);
      feats.push_back(absl::StrCat("hn:", NameShape(h.name)));
      if (!type.empty()) feats.push_back(absl::StrCat("hh:", type[0]));
      AddNgrams("h", type, 2, &feats);
    }
  }
  if (names != nullptr) *names = feats;
  // Counts, then the weight of each: 1 + log(count) (sublinear, as TF-IDF
  // usually is), halved for hypothesis features, since the conclusion
  // decides most tactics and a state has many more hypothesis tokens.
  std::vector<std::pair<uint32_t, bool>> hashes;
  hashes.reserve(feats.size());
  for (const std::string& f : feats) hashes.emplace_back(FeatureHash(f), f[0] == 'h');
  std::sort(hashes.begin(), hashes.end());
  FeatureCounts out;
  std::vector<bool> hypothesis;
  for (const auto& [h, hyp] : hashes) {
    if (!out.empty() && out.back().first == h) {
      out.back().second += 1;
    } else {
      out.emplace_back(h, 1.0f);
      hypothesis.push_back(hyp);
    }
  }
  constexpr float kHyp = 0.5f;  // Chosen among 1, 0.5, 0.25 (README: "Learned policy").
  for (size_t i = 0; i < out.size(); ++i) {
    out[i].second = (1.0f + std::log(out[i].second)) * (hypothesis[i] ? kHyp : 1.0f);
  }
  return out;
}

}  // namespace thor::learn
