#include "learn/tactic_template.h"

#include <cctype>
#include <cstdlib>
#include <unordered_map>
#include <unordered_set>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace thor::learn {
namespace {

// Calls on_ident(begin, end) for each identifier of `text` outside strings
// and comments, and on_other(c) for each other character, in order.
template <typename Ident, typename Other>
void ScanTactic(absl::string_view text, Ident on_ident, Other on_other) {
  size_t i = 0;
  int comment = 0;
  bool string = false;
  while (i < text.size()) {
    char c = text[i];
    if (string) {
      string = c != '"';
      on_other(c);
      ++i;
    } else if (c == '(' && i + 1 < text.size() && text[i + 1] == '*') {
      ++comment;
      on_other('(');
      on_other('*');
      i += 2;
    } else if (comment > 0 && c == '*' && i + 1 < text.size() && text[i + 1] == ')') {
      --comment;
      on_other('*');
      on_other(')');
      i += 2;
    } else if (comment == 0 && c == '"') {
      string = true;
      on_other(c);
      ++i;
    } else if (comment == 0 && IsIdentStart(c) && (i == 0 || text[i - 1] != '.')) {
      size_t j = i + 1;
      while (j < text.size() && (IsIdentChar(text[j]) || (text[j] == '.' && j + 1 < text.size() &&
                                                           IsIdentStart(text[j + 1])))) {
        ++j;
      }
      on_ident(text.substr(i, j - i));
      i = j;
    } else {
      on_other(c);
      ++i;
    }
  }
}

}  // namespace

LocalNames LocalNamesOf(const TextGoal& goal) {
  LocalNames out;
  std::unordered_set<std::string> hyps;
  for (const TextHypothesis& h : goal.hypotheses) {
    out.hypotheses.push_back(h.name);
    hyps.insert(h.name);
  }
  for (std::string& b : BinderNames(goal.conclusion)) {
    if (hyps.count(b) == 0) out.binders.push_back(std::move(b));
  }
  for (const TextHypothesis& h : goal.hypotheses) {
    out.hypothesis_types.push_back(AbstractType(h.type, out));
  }
  return out;
}

std::string AbstractType(absl::string_view type, const LocalNames& names) {
  std::unordered_set<std::string> locals(names.hypotheses.begin(), names.hypotheses.end());
  locals.insert(names.binders.begin(), names.binders.end());
  std::vector<std::string> tokens = TermTokens(type);
  for (std::string& t : tokens) {
    if (locals.count(t) > 0) t = "$v";
  }
  return absl::StrJoin(tokens, " ");
}

std::string NormalizeTactic(absl::string_view tactic) {
  // Canonical spacing, so that "induction l ; auto ." and "induction l;auto."
  // are one tactic: one space after ';' and ',', none before ';' ',' ')' ']'
  // '.', none after '(' '['; never joining "( *" into a comment opener.
  auto no_space_before = [](char c) {
    return c == ';' || c == ',' || c == ')' || c == ']' || c == '.';
  };
  std::string out;
  bool string = false, space = false;
  for (size_t i = 0; i < tactic.size(); ++i) {
    const char c = tactic[i];
    if (!string && absl::ascii_isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (!string && !out.empty()) {
      const char prev = out.back();
      const bool glue = (no_space_before(c) && prev != '*') ||
                        ((prev == '(' && c != '*') || prev == '[');
      const bool spread = (prev == ';' || prev == ',') && !no_space_before(c);
      if (spread || (space && !glue)) out += ' ';
    }
    space = false;
    if (c == '"') string = !string;
    out += c;
  }
  return out;
}

std::optional<TacticTemplate> MakeTemplate(absl::string_view tactic, const LocalNames& names) {
  if (tactic.find('$') != absl::string_view::npos) return std::nullopt;
  std::unordered_map<std::string, std::string> placeholder;
  std::unordered_map<std::string, int> hyp_index;
  const int nh = static_cast<int>(names.hypotheses.size());
  for (int i = 0; i < nh; ++i) {
    const int k = nh - 1 - i;
    placeholder[names.hypotheses[i]] = absl::StrCat("$h", k);
    hyp_index[names.hypotheses[i]] = i;
  }
  for (size_t i = 0; i < names.binders.size(); ++i) {
    placeholder.emplace(names.binders[i], absl::StrCat("$b", i));
  }
  TacticTemplate t;
  std::unordered_set<int> typed;
  std::string normalized = NormalizeTactic(tactic);
  ScanTactic(
      normalized,
      [&](absl::string_view ident) {
        auto it = placeholder.find(std::string(ident));
        if (it == placeholder.end()) {
          t.text.append(ident.data(), ident.size());
          return;
        }
        t.text += it->second;
        auto h = hyp_index.find(it->first);
        if (h != hyp_index.end()) {
          const int k = nh - 1 - h->second;
          if (typed.insert(k).second) {
            t.hypothesis_types.emplace_back(k, h->second < static_cast<int>(
                                                               names.hypothesis_types.size())
                                                   ? names.hypothesis_types[h->second]
                                                   : "");
          }
        }
      },
      [&](char c) { t.text += c; });
  return t;
}

std::optional<std::string> Instantiate(const TacticTemplate& t, const LocalNames& names) {
  const int nh = static_cast<int>(names.hypotheses.size());
  std::unordered_map<int, std::string> wanted_type(t.hypothesis_types.begin(),
                                                   t.hypothesis_types.end());
  std::unordered_map<int, int> chosen;  // K -> index into names.hypotheses.
  std::unordered_set<int> used;
  auto pick = [&](int k) -> int {
    auto c = chosen.find(k);
    if (c != chosen.end()) return c->second;
    int best = -1, best_distance = 0;
    auto w = wanted_type.find(k);
    if (w != wanted_type.end()) {
      for (int i = 0; i < nh; ++i) {
        if (used.count(i) > 0 || i >= static_cast<int>(names.hypothesis_types.size()) ||
            names.hypothesis_types[i] != w->second) {
          continue;
        }
        const int distance = std::abs((nh - 1 - i) - k);
        if (best < 0 || distance < best_distance) {
          best = i;
          best_distance = distance;
        }
      }
    }
    if (best < 0 && k < nh) best = nh - 1 - k;
    if (best >= 0) {
      chosen[k] = best;
      used.insert(best);
    }
    return best;
  };
  std::string out;
  const std::string& s = t.text;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '$' || i + 2 >= s.size() || (s[i + 1] != 'h' && s[i + 1] != 'b')) {
      out += s[i];
      continue;
    }
    size_t j = i + 2;
    while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
    int k = 0;
    if (j == i + 2 || !absl::SimpleAtoi(s.substr(i + 2, j - i - 2), &k)) return std::nullopt;
    if (s[i + 1] == 'b') {
      if (k >= static_cast<int>(names.binders.size())) return std::nullopt;
      out += names.binders[k];
    } else {
      int index = pick(k);
      if (index < 0) return std::nullopt;
      out += names.hypotheses[index];
    }
    i = j - 1;
  }
  return out;
}

std::string EncodeHypothesisTypes(const std::vector<std::pair<int, std::string>>& types) {
  std::string out;
  for (const auto& [k, type] : types) absl::StrAppend(&out, k, "\t", type, "\n");
  return out;
}

std::vector<std::pair<int, std::string>> DecodeHypothesisTypes(absl::string_view text) {
  std::vector<std::pair<int, std::string>> out;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    size_t tab = line.find('\t');
    int k = 0;
    if (tab == absl::string_view::npos || !absl::SimpleAtoi(line.substr(0, tab), &k)) continue;
    out.emplace_back(k, std::string(line.substr(tab + 1)));
  }
  return out;
}

std::optional<std::string> FirstComponent(absl::string_view tactic) {
  absl::string_view t = absl::StripAsciiWhitespace(tactic);
  const bool sentence = absl::ConsumeSuffix(&t, ".");
  t = absl::StripTrailingAsciiWhitespace(t);
  auto finish = [sentence](absl::string_view part) -> std::optional<std::string> {
    part = absl::StripAsciiWhitespace(part);
    if (part.empty()) return std::nullopt;
    return absl::StrCat(part, sentence ? "." : "");
  };
  if (absl::ConsumePrefix(&t, "now ")) return finish(t);
  // Words that open a construct whose ';' is not a sequence of this tactic.
  bool opens = false;
  ScanTactic(
      t, [&opens](absl::string_view ident) { opens |= ident == "match" || ident == "let"; },
      [](char) {});
  if (opens) return std::nullopt;
  int depth = 0;
  bool string = false;
  for (size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    if (c == '"') string = !string;
    if (string) continue;
    if (c == '(' || c == '[' || c == '{') ++depth;
    if (c == ')' || c == ']' || c == '}') --depth;
    if (c == ';' && depth == 0) return finish(t.substr(0, i));
  }
  return std::nullopt;
}

}  // namespace thor::learn
