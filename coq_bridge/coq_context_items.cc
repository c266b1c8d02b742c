#include "coq_bridge/coq_context_items.h"

#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "coq_bridge/coq_text.h"

namespace thor::coq {
namespace {

// Words that may precede a defining keyword ("Local Definition",
// "Program Fixpoint", "#[global] Instance" is handled apart).
const absl::flat_hash_set<absl::string_view>& Prefixes() {
  static const auto* set = new absl::flat_hash_set<absl::string_view>{
      "Local",      "Global",        "Program", "Polymorphic", "Monomorphic",
      "Cumulative", "NonCumulative", "Private", "Export"};
  return *set;
}

enum class Shape { kPlain, kInductive, kRecord, kNotation };

// The defining keywords and what follows them.
bool KeywordShape(absl::string_view kw, Shape* shape) {
  static const auto* plain = new absl::flat_hash_set<absl::string_view>{
      "Definition", "Fixpoint", "CoFixpoint", "Function", "Let",       "Parameter",  "Parameters",
      "Axiom",      "Axioms",   "Conjecture", "Variable", "Variables", "Hypothesis", "Hypotheses",
      "Instance",   "Lemma",    "Theorem",    "Fact",     "Remark",    "Corollary",  "Proposition",
      "Example",    "Property", "Canonical",  "Coercion"};
  if (plain->contains(kw)) {
    *shape = Shape::kPlain;
  } else if (kw == "Inductive" || kw == "CoInductive" || kw == "Variant") {
    *shape = Shape::kInductive;
  } else if (kw == "Record" || kw == "Structure" || kw == "Class") {
    *shape = Shape::kRecord;
  } else if (kw == "Notation" || kw == "Infix") {
    *shape = Shape::kNotation;
  } else {
    return false;
  }
  return true;
}

// A notation string's names: its quoted words and its symbols (plain words
// are the notation's variables; brackets alone would match any goal).
void NotationNames(absl::string_view quoted, std::vector<std::string>* names) {
  absl::string_view body = quoted.substr(1, quoted.size() - 2);
  for (absl::string_view part : absl::StrSplit(body, ' ', absl::SkipEmpty())) {
    if (part.size() > 2 && part.front() == '\'' && part.back() == '\'') {
      names->emplace_back(part.substr(1, part.size() - 2));
      continue;
    }
    bool word = true, brackets = true;
    for (char c : part) {
      word = word && (absl::ascii_isalnum(c) || c == '_' || c == '\'');
      brackets = brackets && absl::string_view("()[]{},;").find(c) != absl::string_view::npos;
    }
    if (!word && !brackets) names->emplace_back(part);
  }
}

}  // namespace

std::vector<ContextItem> CoqContextItems(absl::string_view context) {
  absl::StatusOr<std::vector<CoqUnit>> units = LexUnits(context);
  if (!units.ok()) return {};
  std::vector<ContextItem> items;
  for (const CoqUnit& u : *units) {
    if (u.kind != CoqUnit::kSentence || u.tokens.empty()) continue;
    const std::vector<CoqToken>& t = u.tokens;
    auto text = [&](size_t i) { return context.substr(t[i].begin, t[i].end - t[i].begin); };
    auto is = [&](size_t i, absl::string_view s) { return i < t.size() && text(i) == s; };
    auto ident = [&](size_t i) { return i < t.size() && t[i].kind == CoqToken::kIdent; };
    size_t i = 0;
    while (i < t.size()) {
      if (is(i, "#") && is(i + 1, "[")) {  // An attribute: #[global], #[local].
        while (i < t.size() && !is(i, "]")) ++i;
        ++i;
      } else if (ident(i) && Prefixes().contains(text(i))) {
        ++i;
      } else {
        break;
      }
    }
    Shape shape;
    if (!ident(i) || !KeywordShape(text(i), &shape)) continue;
    ++i;
    ContextItem item;
    if (shape == Shape::kNotation) {
      if (i < t.size() && t[i].kind == CoqToken::kString) {
        NotationNames(text(i), &item.names);
      } else if (ident(i)) {
        item.names.emplace_back(text(i));  // An abbreviation: Notation foo := ...
      }
    } else {
      // "Variables a b : nat." names a and b; elsewhere one name.
      for (size_t k = i; ident(k) && (k == i || absl::EndsWith(text(i - 1), "s")); ++k) {
        item.names.emplace_back(text(k));
      }
    }
    // Constructors: the words after ":=" and after each '|' (at any depth:
    // an argument's type never starts a bar-separated word in practice).
    // Fields: the words before ':' after '{' and ';'.
    size_t j = i;
    while (j < t.size() && !(is(j, ":") && is(j + 1, "="))) ++j;
    for (j += 2; j < t.size() && shape != Shape::kPlain && shape != Shape::kNotation; ++j) {
      const bool after_start = (is(j - 1, "=") && is(j - 2, ":")) || is(j - 1, "|");
      if (shape == Shape::kInductive && ident(j) && after_start) {
        item.names.emplace_back(text(j));
      }
      if (shape == Shape::kRecord && ident(j) &&
          (is(j - 1, "{") || is(j - 1, ";") || is(j - 1, "=")) && !is(j, "{")) {
        item.names.emplace_back(text(j));  // A field, or the constructor before '{'.
      }
    }
    if (item.names.empty()) continue;
    item.text = std::string(context.substr(u.begin, u.end - u.begin));
    items.push_back(std::move(item));
  }
  return items;
}

}  // namespace thor::coq
