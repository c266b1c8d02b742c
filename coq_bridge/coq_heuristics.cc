#include "coq_bridge/coq_heuristics.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "coq_bridge/coq_goals.h"
#include "coq_bridge/coq_kernel.h"
#include "coq_bridge/coq_context_items.h"

namespace thor::coq {
namespace {

struct TypedName {
  std::string name;
  std::string type;  // Empty if the binder gave none.
};

bool IsIdentChar(char c) { return absl::ascii_isalnum(c) || c == '_' || c == '\''; }

bool IsIdent(absl::string_view s) {
  if (s.empty() || !(absl::ascii_isalpha(s[0]) || s[0] == '_')) return false;
  for (char c : s) {
    if (!IsIdentChar(c)) return false;
  }
  return true;
}

// Position of the first `stop` character at bracket depth 0 from `from`, or
// npos.
size_t FindAtDepth0(absl::string_view s, char stop, size_t from) {
  int depth = 0;
  for (size_t i = from; i < s.size(); ++i) {
    char c = s[i];
    if (c == '(' || c == '{' || c == '[') ++depth;
    if (c == ')' || c == '}' || c == ']') --depth;
    if (depth < 0) return absl::string_view::npos;
    if (depth == 0 && c == stop) return i;
  }
  return absl::string_view::npos;
}

// Position of the first `->` at bracket depth 0 (not the end of `<->`), or
// npos.
size_t FindArrowAtDepth0(absl::string_view s) {
  size_t arrow = FindAtDepth0(s, '-', 0);
  while (arrow != absl::string_view::npos &&
         (arrow + 1 >= s.size() || s[arrow + 1] != '>' || (arrow > 0 && s[arrow - 1] == '<'))) {
    arrow = FindAtDepth0(s, '-', arrow + 1);
  }
  return arrow;
}

// "a b : T" (or "a b") into names with their type.
void AddGroup(absl::string_view group, std::vector<TypedName>* out) {
  size_t colon = FindAtDepth0(group, ':', 0);
  absl::string_view names = group.substr(0, colon);
  std::string type = colon == absl::string_view::npos
                         ? ""
                         : std::string(absl::StripAsciiWhitespace(group.substr(colon + 1)));
  for (absl::string_view n : absl::StrSplit(names, absl::ByAnyChar(" ,"), absl::SkipEmpty())) {
    if (IsIdent(n)) out->push_back({std::string(n), type});
  }
}

// The binders of every `forall` at depth 0 of a conclusion.
void AddForallBinders(absl::string_view goal, std::vector<TypedName>* out) {
  int depth = 0;
  for (size_t i = 0; i < goal.size(); ++i) {
    char c = goal[i];
    if (c == '(' || c == '{' || c == '[') ++depth;
    if (c == ')' || c == '}' || c == ']') --depth;
    if (depth != 0 || !absl::StartsWith(goal.substr(i), "forall ") ||
        (i > 0 && IsIdentChar(goal[i - 1]))) {
      continue;
    }
    size_t start = i + 7;
    size_t comma = FindAtDepth0(goal, ',', start);
    if (comma == absl::string_view::npos) return;
    absl::string_view binders = absl::StripAsciiWhitespace(goal.substr(start, comma - start));
    if (!binders.empty() && (binders[0] == '(' || binders[0] == '{')) {
      // Groups "(a b : T) {c : U} ...".
      size_t k = 0;
      while (k < binders.size()) {
        if (binders[k] != '(' && binders[k] != '{') {
          ++k;
          continue;
        }
        size_t end = FindAtDepth0(binders, binders[k] == '(' ? ')' : '}', k);
        if (end == absl::string_view::npos) break;
        AddGroup(binders.substr(k + 1, end - k - 1), out);
        k = end + 1;
      }
    } else {
      AddGroup(binders, out);
    }
    i = comma;
  }
}

bool Splittable(const std::string& type) {
  if (type.empty()) return true;
  if (type == "Type" || type == "Set" || type == "Prop" || absl::StartsWith(type, "Type@") ||
      absl::StartsWith(type, "forall ")) {
    return false;
  }
  // A function type (an arrow outside brackets) is not an induction target.
  int depth = 0;
  for (size_t i = 0; i + 1 < type.size(); ++i) {
    if (type[i] == '(') ++depth;
    if (type[i] == ')') --depth;
    if (depth == 0 && type[i] == '-' && type[i + 1] == '>') return false;
  }
  return true;
}

// The type's head constant: "list A" -> "list".
std::string Head(const std::string& type) {
  size_t end = 0;
  while (end < type.size() && IsIdentChar(type[end])) ++end;
  return type.substr(0, end);
}

}  // namespace

std::vector<std::string> CoqInductionVariables(const std::string& state_text, size_t max) {
  // Only a real goal display (with its "====" line) names variables.
  if (!absl::StrContains(state_text, "====")) return {};
  std::vector<StructuredGoal> goals = ParseCoqGoals(state_text);
  if (goals.empty()) return {};
  std::vector<TypedName> typed;
  // Hypotheses of the first goal; a local definition (`x := v : T`) is not
  // split by induction.
  for (const GoalHypothesis& h : goals[0].hypotheses) {
    if (!h.body.empty()) continue;
    for (const std::string& name : h.names) {
      if (IsIdent(name)) typed.push_back({name, h.type});
    }
  }
  AddForallBinders(goals[0].conclusion, &typed);
  std::vector<std::string> first, second;
  for (const TypedName& t : typed) {
    if (!Splittable(t.type)) continue;
    std::string head = Head(t.type);
    if (head == "nat" || head == "list" || head == "positive") {
      first.push_back(t.name);
    } else if (t.type.empty() || (!head.empty() && absl::ascii_islower(head[0]))) {
      second.push_back(t.name);
    }
  }
  std::vector<std::string> out;
  for (const std::vector<std::string>* v : {&first, &second}) {
    for (const std::string& n : *v) {
      if (out.size() >= max) return out;
      if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
    }
  }
  return out;
}

namespace {

// The premises of a conclusion, in order: the parts before each `->` at
// depth 0 (not `<->`), each past its own leading `forall ... ,`.
std::vector<std::string> ConclusionPremises(absl::string_view goal) {
  std::vector<std::string> out;
  absl::string_view rest = absl::StripAsciiWhitespace(goal);
  while (!rest.empty()) {
    while (absl::StartsWith(rest, "forall ")) {
      const size_t comma = FindAtDepth0(rest, ',', 7);
      if (comma == absl::string_view::npos) return out;
      rest = absl::StripAsciiWhitespace(rest.substr(comma + 1));
    }
    const size_t arrow = FindArrowAtDepth0(rest);
    if (arrow == absl::string_view::npos) return out;
    out.emplace_back(absl::StripAsciiWhitespace(rest.substr(0, arrow)));
    rest = absl::StripAsciiWhitespace(rest.substr(arrow + 2));
  }
  return out;
}

// The kind of infix relation at depth 0 of a premise: 'o' for an order
// (`<=`, `<`, `>=`, `>`: le, lt, ge, gt, inductive), 'e' for `=` or `<>`
// (no induction worth a step), 0 for none.
char InfixRelation(absl::string_view p) {
  int depth = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    if (c == '(' || c == '{' || c == '[') ++depth;
    if (c == ')' || c == '}' || c == ']') --depth;
    if (depth != 0) continue;
    const char prev = i > 0 ? p[i - 1] : ' ';
    const char next = i + 1 < p.size() ? p[i + 1] : ' ';
    if (c == '<' && next != '-' && next != '>') return 'o';  // <, <= (not <-, <->, <>)
    if (c == '>' && prev != '-' && prev != '=' && prev != '<') return 'o';  // >, >=
    if (c == '<' && next == '>') return 'e';
    if (c == '=' && prev != '<' && prev != '>' && next != '>') return 'e';
  }
  return 0;
}

}  // namespace

std::vector<std::string> CoqProofInductions(const std::string& state_text) {
  if (!absl::StrContains(state_text, "====")) return {};
  std::vector<StructuredGoal> goals = ParseCoqGoals(state_text);
  if (goals.empty()) return {};
  std::vector<std::string> out;
  // A head that is a local name (`P x` for a predicate P of the goal) is no
  // inductive type.
  std::set<std::string> locals;
  for (const GoalHypothesis& h : goals[0].hypotheses) locals.insert(h.names.begin(), h.names.end());
  std::vector<TypedName> binders;
  AddForallBinders(goals[0].conclusion, &binders);
  for (const TypedName& b : binders) locals.insert(b.name);
  auto inductive_head = [&locals](const std::string& type) {
    const std::string head = Head(type);
    return head.empty() || locals.count(head) > 0 || !Splittable(type) ? std::string() : head;
  };
  const std::vector<std::string> premises = ConclusionPremises(goals[0].conclusion);
  int upper = 0, lower = 0;  // 1-based places; 0: none.
  for (size_t i = 0; i < premises.size(); ++i) {
    const char relation = InfixRelation(premises[i]);
    if (relation == 'e') continue;
    if (relation == 'o') {
      if (lower == 0) lower = static_cast<int>(i) + 1;
      continue;
    }
    const std::string head = inductive_head(premises[i]);
    if (head.empty()) continue;
    if (absl::ascii_isupper(head[0])) {
      if (upper == 0) upper = static_cast<int>(i) + 1;
    } else if (lower == 0) {
      lower = static_cast<int>(i) + 1;
    }
  }
  if (upper > 0 || lower > 0) {
    out.push_back(absl::StrCat("induction ", upper > 0 ? upper : lower, "; sauto"));
  }
  const std::vector<GoalHypothesis>& hyps = goals[0].hypotheses;
  for (auto h = hyps.rbegin(); h != hyps.rend(); ++h) {
    if (!h->body.empty() || h->names.empty() || !IsIdent(h->names.back())) continue;
    const std::string head = inductive_head(h->type);
    if (head.empty() || !absl::ascii_isupper(head[0])) continue;
    out.push_back(absl::StrCat("induction ", h->names.back(), "; sauto"));
    break;
  }
  return out;
}

namespace {

// `s` without brackets around the whole of it: "((a = b))" -> "a = b".
absl::string_view StripOuterParens(absl::string_view s) {
  s = absl::StripAsciiWhitespace(s);
  while (s.size() >= 2 && s.front() == '(' && FindAtDepth0(s, ')', 0) == s.size() - 1) {
    s = absl::StripAsciiWhitespace(s.substr(1, s.size() - 2));
  }
  return s;
}

// The name a term starts with (past `(`, `@` and `~`), qualified names
// whole; empty if it starts with anything else.
std::string LeadingName(absl::string_view s) {
  s = absl::StripAsciiWhitespace(s);
  while (!s.empty() && (s.front() == '(' || s.front() == '@' || s.front() == '~' ||
                        absl::ascii_isspace(static_cast<unsigned char>(s.front())))) {
    s.remove_prefix(1);
  }
  if (s.empty() || !(absl::ascii_isalpha(s[0]) || s[0] == '_')) return "";
  size_t end = 0;
  while (end < s.size() && (IsIdentChar(s[end]) || s[end] == '.')) ++end;
  while (end > 0 && s[end - 1] == '.') --end;  // A sentence's final dot.
  const absl::string_view name = s.substr(0, end);
  if (name == "fun" || name == "let" || name == "match" || name == "forall" ||
      name == "exists" || name == "if") {
    return "";  // A term's keyword, no head.
  }
  return std::string(name);
}

// Where the first of `ops` (tried in order at each place) stands at depth 0
// in `s`, and which it is; npos if none.
std::pair<size_t, absl::string_view> FindOperator(absl::string_view s,
                                                  const std::vector<absl::string_view>& ops) {
  int depth = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '(' || c == '{' || c == '[') ++depth;
    if (c == ')' || c == '}' || c == ']') --depth;
    if (depth != 0) continue;
    for (absl::string_view op : ops) {
      if (s.substr(i, op.size()) == op) return {i, op};
    }
  }
  return {absl::string_view::npos, ""};
}

bool IsKeyword(absl::string_view s, absl::string_view word) {
  return absl::StartsWith(s, word) &&
         (s.size() == word.size() || !IsIdentChar(s[word.size()]));
}

}  // namespace

std::string CoqConclusionHead(absl::string_view proposition) {
  absl::string_view c = StripOuterParens(proposition);
  while (!c.empty()) {
    if (IsKeyword(c, "forall")) {
      const size_t comma = FindAtDepth0(c, ',', 6);
      if (comma == absl::string_view::npos) return "";
      c = StripOuterParens(c.substr(comma + 1));
      continue;
    }
    if (IsKeyword(c, "exists") || IsKeyword(c, "exists2")) return "exists";
    if (IsKeyword(c, "fun") || IsKeyword(c, "let") || IsKeyword(c, "match")) return "";
    const size_t arrow = FindArrowAtDepth0(c);
    if (arrow == absl::string_view::npos) break;
    c = StripOuterParens(c.substr(arrow + 2));
  }
  if (c.empty()) return "";
  // Lowest precedence first: <-> (95), \/ (85), /\ (80), ~ (75), relations (70).
  for (absl::string_view op : {"<->", "\\/", "/\\"}) {
    const auto [at, found] = FindOperator(c, {op});
    if (at != absl::string_view::npos) {
      const std::string left = LeadingName(c.substr(0, at));
      return left.empty() ? std::string(op) : absl::StrCat(op, " ", left);
    }
  }
  if (c.front() == '~') {
    const std::string rest = CoqConclusionHead(c.substr(1));
    return rest.empty() ? "~" : absl::StrCat("~ ", rest);
  }
  // "<-" and "->" cannot be left here; "=>" and ":=" belong to terms.
  const auto [at, rel] =
      FindOperator(c, {"<>", "<=", ">=", "==", "=>", ":=", "=", "<", ">"});
  if (at != absl::string_view::npos && rel != "=>" && rel != ":=") {
    const std::string left = LeadingName(c.substr(0, at));
    return left.empty() ? std::string(rel) : absl::StrCat(rel, " ", left);
  }
  if (c.front() == '{') return "{";
  return LeadingName(c);
}

std::vector<ProverHeuristics::StatedLemma> CoqHeuristics::StatedLemmas(
    const std::string& context) const {
  static const std::set<std::string, std::less<>> kKeywords = {
      "Lemma",   "Theorem", "Corollary", "Proposition", "Fact",
      "Remark",  "Example", "Property"};
  std::vector<StatedLemma> out;
  for (const ContextItem& item : CoqContextItems(context)) {
    if (item.names.size() != 1) continue;
    // The sentence from its keyword on (past attributes, Local, ...): the
    // first whole word that is one; SplitStatementSentence reads the rest,
    // and its name must be the item's (else the word was no keyword).
    absl::string_view text = item.text;
    size_t at = 0;
    while (at < text.size()) {
      size_t end = at;
      while (end < text.size() && IsIdentChar(text[end])) ++end;
      if (end > at && (at == 0 || !IsIdentChar(text[at - 1])) &&
          kKeywords.find(text.substr(at, end - at)) != kKeywords.end()) {
        break;
      }
      at = end > at ? end : at + 1;
    }
    if (at >= text.size()) continue;
    absl::StatusOr<StatementParts> parts = SplitStatementSentence(text.substr(at));
    if (!parts.ok() || parts->name != item.names[0]) continue;
    out.push_back({parts->name, CoqConclusionHead(parts->type)});
  }
  return out;
}

std::string CoqHeuristics::GoalHead(const std::string& state_text) const {
  // Only a real goal display (with its "====" line) has a conclusion.
  if (!absl::StrContains(state_text, "====")) return "";
  std::vector<StructuredGoal> goals = ParseCoqGoals(state_text);
  if (goals.empty()) return "";
  return CoqConclusionHead(goals[0].conclusion);
}

std::vector<std::string> CoqFixedSteps() {
  return {"auto", "easy", "lia", "firstorder", "intuition", "sauto", "hauto"};
}

std::vector<std::string> CoqHeuristics::CheapSteps(const std::string& state_text) const {
  std::vector<std::string> steps = CoqFixedSteps();
  for (const std::string& v : CoqInductionVariables(state_text, kInductionVariables)) {
    steps.push_back(absl::StrCat("induction ", v, "; sauto"));
  }
  if (proof_inductions_) {
    for (std::string& s : CoqProofInductions(state_text)) steps.push_back(std::move(s));
  }
  return steps;
}

namespace {

// "x", "Z.mul_comm", "Nat.add_0_r'".
bool IsQualifiedIdent(absl::string_view s) {
  for (absl::string_view part : absl::StrSplit(s, '.')) {
    if (!IsIdent(part)) return false;
  }
  return true;
}

// A tactic's words and punctuation for CoqTacticLemmas: qualified names
// ("Z.mul_comm"; a sentence's final '.' is not part of one), '$' places,
// numbers, "<-", "->", and single characters.
std::vector<std::string> TacticTokens(absl::string_view t) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < t.size()) {
    const char c = t[i];
    if (absl::ascii_isspace(c)) {
      ++i;
      continue;
    }
    if (absl::ascii_isalnum(c) || c == '_' || c == '$') {
      size_t j = i + 1;
      while (j < t.size() && (IsIdentChar(t[j]) ||
                              (t[j] == '.' && j + 1 < t.size() && IsIdentChar(t[j + 1]) &&
                               !absl::ascii_isdigit(t[j + 1])))) {
        ++j;
      }
      out.emplace_back(t.substr(i, j - i));
      i = j;
      continue;
    }
    if ((c == '<' && t.substr(i, 2) == "<-") || (c == '-' && t.substr(i, 2) == "->")) {
      out.emplace_back(t.substr(i, 2));
      i += 2;
      continue;
    }
    out.emplace_back(1, c);
    ++i;
  }
  return out;
}

}  // namespace

std::vector<std::string> CoqTacticLemmas(const std::string& tactic) {
  const std::vector<std::string> tok = TacticTokens(tactic);
  std::vector<std::string> out;
  auto add = [&out](const std::string& name) {
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  };
  static const std::vector<std::string> kSingle = {"apply", "eapply", "rapply", "exact",
                                                   "eexact"};
  static const std::vector<std::string> kList = {"rewrite", "erewrite", "setoid_rewrite",
                                                 "using"};
  static const std::vector<std::string> kStop = {"in", "with", "at", "by", "as", "eqn"};
  static const std::vector<std::string> kTerms = {"_", "fun", "forall", "let", "match", "if",
                                                  "exists"};
  auto is = [](const std::vector<std::string>& set, const std::string& w) {
    return std::find(set.begin(), set.end(), w) != set.end();
  };
  size_t i = 0;
  while (i < tok.size()) {
    bool list = is(kList, tok[i]);
    bool single = is(kSingle, tok[i]);
    if (tok[i] == "use" && i + 1 < tok.size() && tok[i + 1] == ":") {
      list = true;
      ++i;
    }
    ++i;
    if (!list && !single) continue;
    // One rule or premise per turn; lists go on after a ',' at depth 0.
    while (i < tok.size()) {
      int depth = 0;
      while (i < tok.size() && (tok[i] == "<-" || tok[i] == "->" || tok[i] == "!" ||
                                tok[i] == "?" || tok[i] == "@" || tok[i] == "(" ||
                                absl::ascii_isdigit(tok[i][0]))) {
        if (tok[i] == "(") ++depth;
        ++i;
      }
      if (i >= tok.size()) break;
      const std::string& w = tok[i];
      if (w[0] == '$' || is(kTerms, w)) {
        // A local name or a term, not a lemma: past its arguments.
      } else if (IsQualifiedIdent(w) && !is(kStop, w) && !is(kSingle, w) && !is(kList, w)) {
        // A name the tactic's own intros made (H, IHl, Hin) stays as
        // written in a template; library lemmas have a '_' or a '.'.
        if (w.find_first_of("_.") != std::string::npos) add(w);
      } else {
        break;
      }
      // Past the rest of this rule (its arguments) to a ',' at depth 0.
      ++i;
      while (i < tok.size()) {
        if (tok[i] == "(") ++depth;
        if (tok[i] == ")") {
          if (depth == 0) break;
          --depth;
        }
        if (depth == 0 && (tok[i] == "," || tok[i] == ";" || tok[i] == "." || tok[i] == "|" ||
                           is(kStop, tok[i]))) {
          break;
        }
        ++i;
      }
      if (!list || i >= tok.size() || tok[i] != ",") break;
      ++i;
    }
  }
  return out;
}

std::vector<std::string> CoqHeuristics::Lemmas(const std::string& tactic) const {
  return CoqTacticLemmas(tactic);
}

std::vector<ProverHeuristics::HintedStep> CoqHeuristics::HintedSteps(
    const std::string& state_text, const std::vector<std::string>& lemmas) const {
  if (lemmas.empty()) return {};
  const std::string use = absl::StrCat(" use: ", absl::StrJoin(lemmas, ", "));
  std::vector<HintedStep> steps = {{absl::StrCat("sauto", use), "sauto"}};
  for (const std::string& v : CoqInductionVariables(state_text, 1)) {
    const std::string base = absl::StrCat("induction ", v, "; sauto");
    steps.push_back({absl::StrCat(base, use), base});
  }
  return steps;
}

std::string CoqHeuristics::LemmaName(const std::string& file_path, const std::string& theorem,
                                     bool same_file) const {
  static const std::string kTheories = "/theories/";
  const size_t at = file_path.rfind(kTheories);
  if (same_file || at == std::string::npos || !absl::EndsWith(file_path, ".v")) return theorem;
  std::string module = file_path.substr(at + kTheories.size());
  module.resize(module.size() - 2);  // ".v"
  absl::StrReplaceAll({{"/", "."}}, &module);
  return absl::StrCat("Coq.", module, ".", theorem);
}

std::vector<std::string> CoqHeuristics::LemmaSteps(const std::string& lemma) const {
  return {absl::StrCat("intros; apply ", lemma), absl::StrCat("intros; eauto using ", lemma),
          absl::StrCat("intros; now rewrite ", lemma)};
}

std::vector<ContextItem> CoqHeuristics::ContextItems(const std::string& context) const {
  return CoqContextItems(context);
}

}  // namespace thor::coq
