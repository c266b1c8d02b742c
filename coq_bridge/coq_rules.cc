#include "coq_bridge/coq_rules.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "coq_bridge/coq_text.h"

namespace thor::coq {
namespace {

template <size_t N>
bool In(const absl::string_view (&list)[N], absl::string_view word) {
  return std::find(std::begin(list), std::end(list), word) != std::end(list);
}

// Tactics that close goals without a proof (or skip the type check).
constexpr absl::string_view kCheats[] = {"admit",           "give_up",
                                         "exact_no_check",  "vm_cast_no_check",
                                         "native_cast_no_check", "change_no_check"};

constexpr absl::string_view kTheoremKeywords[] = {
    "Lemma", "Theorem", "Fact", "Remark", "Corollary", "Proposition", "Example"};

// Context commands with nothing to check beyond their attributes.
constexpr absl::string_view kContextCommands[] = {
    "Definition", "Example", "Fixpoint", "CoFixpoint", "Inductive", "CoInductive", "Variant",
    "Record", "Structure", "Class", "Instance", "Existing", "Let", "Theorem", "Lemma", "Fact",
    "Remark", "Corollary", "Proposition", "Property", "Goal", "Axiom", "Axioms", "Parameter",
    "Parameters", "Conjecture", "Conjectures", "Hypothesis", "Hypotheses", "Variable",
    "Variables", "Context", "Section", "Module", "End", "Include", "Proof", "Qed", "Defined",
    "Admitted", "Save", "Abort", "Next", "Obligation", "Obligations", "Solve", "Unshelve",
    "Notation", "Infix", "Reserved", "Delimit", "Undelimit", "Bind", "Open", "Close", "Hint",
    "Create", "Arguments", "Implicit", "Generalizable", "Coercion", "Identity", "Canonical",
    "Opaque", "Transparent", "Strategy", "Typeclasses", "Ltac", "Tactic", "Scheme", "Combined",
    "Function", "Functional", "Universe", "Universes", "Constraint", "Number", "String",
    "Check", "Compute", "Eval", "Print", "About", "Search", "SearchPattern", "SearchRewrite",
    "Locate", "Show", "Comments"};

// Prefixes that only change a command's scope or elaboration.
constexpr absl::string_view kHarmlessPrefixes[] = {
    "Local", "Global", "Polymorphic", "Monomorphic", "Cumulative", "NonCumulative", "Private",
    "Program"};

// Set/Unset options that change elaboration or naming only; everything
// else (Guard Checking, Positivity Checking, Universe Checking, Printing,
// Default Timeout, debugging and profiling output, ...) is refused.
constexpr absl::string_view kSetOptions[] = {
    "Implicit Arguments", "Strict Implicit", "Strongly Strict Implicit", "Contextual Implicit",
    "Maximal Implicit Insertion", "Reversible Pattern Implicit", "Asymmetric Patterns",
    "Inline Level", "Universe Polymorphism", "Polymorphic Inductive Cumulativity",
    "Primitive Projections", "Elimination Schemes", "Nonrecursive Elimination Schemes",
    "Case Analysis Schemes", "Boolean Equality Schemes", "Decidable Equality Schemes",
    "Rewriting Schemes", "Keyed Unification", "Regular Subst Tactic", "Structural Injection",
    "Bracketing Last Introduction Pattern", "Firstorder Depth", "Default Goal Selector",
    "Default Proof Using", "Suggest Proof Using", "Bullet Behavior",
    "Typeclasses Strict Resolution", "Typeclasses Unique Solutions",
    "Typeclasses Unique Instances", "Typeclasses Depth", "Typeclass Resolution For Conversion",
    "Loose Hint Behavior", "Uniform Inductive Parameters", "Auto Template Polymorphism",
    "Warnings", "Mangle Names", "Program Mode", "Transparent Obligations", "Shrink Obligations",
    "Implicit Introduction"};

// Attributes that change scope or elaboration only.
constexpr absl::string_view kAttributes[] = {
    "local",    "global",     "export",     "deprecated", "program",   "universes",
    "canonical", "using",     "refine",     "reversible", "nonuniform", "projections"};

// Known dangerous commands, with why they are refused.
struct Refusal {
  absl::string_view word;
  absl::string_view why;
};
constexpr Refusal kRefusals[] = {
    {"Load", "reads and runs a file"},
    {"Cd", "changes the working directory"},
    {"Drop", "leaves Coq for the OCaml toplevel"},
    {"Quit", "ends the Coq process"},
    {"Redirect", "writes a command's output to a file"},
    {"Extraction", "extracts code to files"},
    {"Extract", "changes code extraction"},
    {"Separate", "extracts code to files"},
    {"Recursive", "extracts code to files"},
    {"Time", "is a command prefix"},
    {"Timeout", "is a command prefix"},
    {"Fail", "is a command prefix"},
    {"Succeed", "is a command prefix"},
    {"Instructions", "is a command prefix"},
    {"Profile", "is a command prefix"},
    {"Reset", "rewinds the document"},
    {"Back", "rewinds the document"},
    {"BackTo", "rewinds the document"},
    {"Undo", "rewinds the document"},
    {"Restart", "rewinds the document"},
    {"Primitive", "binds a kernel primitive"},
    {"Optimize", "is not needed in a context"},
    {"Ltac2", "is not on the allow-list"},
};

std::string Excerpt(absl::string_view s) {
  constexpr size_t kMax = 40;
  if (s.size() <= kMax) return std::string(s);
  size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xc0) == 0x80) --cut;
  return absl::StrCat(s.substr(0, cut), "...");
}

// The tokens of one unit with their text.
class Tokens {
 public:
  Tokens(absl::string_view text, const std::vector<CoqToken>& tokens)
      : text_(text), tokens_(tokens) {}
  size_t size() const { return tokens_.size(); }
  absl::string_view operator[](size_t i) const {
    if (i >= tokens_.size()) return "";
    return text_.substr(tokens_[i].begin, tokens_[i].end - tokens_[i].begin);
  }
  CoqToken::Kind kind(size_t i) const { return tokens_[i].kind; }
  bool IsIdent(size_t i) const { return i < size() && tokens_[i].kind == CoqToken::kIdent; }
  bool Adjacent(size_t i) const { return tokens_[i].end == tokens_[i + 1].begin; }
  bool HasString() const {
    for (const CoqToken& t : tokens_) {
      if (t.kind == CoqToken::kString) return true;
    }
    return false;
  }

 private:
  absl::string_view text_;
  const std::vector<CoqToken>& tokens_;
};

bool Capitalized(absl::string_view word) {
  return !word.empty() && absl::ascii_isupper(static_cast<unsigned char>(word[0]));
}

// Length of the goal selector and its ':' at the start of `t`, or 0.
size_t SelectorLength(const Tokens& t) {
  if (t.size() >= 2 && t[1] == ":" &&
      (t[0] == "all" || t[0] == "par" || t[0] == "!" || t.kind(0) == CoqToken::kNumber)) {
    return 2;
  }
  if (t.size() >= 4 && t[0] == "[" && t.IsIdent(1) && t[2] == "]" && t[3] == ":") return 4;
  // "1-3:", "1,4:", "1-2,5:"
  size_t i = 0;
  while (i < t.size() && t.kind(i) == CoqToken::kNumber) {
    if (t[i + 1] == ":") return i > 0 ? i + 2 : 2;
    if (t[i + 1] != "," && t[i + 1] != "-") return 0;
    i += 2;
  }
  return 0;
}

// A word that opens (or prefixes) a vernacular command.
bool IsCommandWord(absl::string_view word) {
  if (In(kContextCommands, word) || In(kHarmlessPrefixes, word)) return true;
  for (const Refusal& r : kRefusals) {
    if (word == r.word) return true;
  }
  for (absl::string_view w : {"Set", "Unset", "Require", "Import", "Export", "From", "Add",
                              "Remove", "Register", "Declare", "Test", "Debug", "Attributes",
                              "Focus", "Unfocus", "Unfocused", "Guarded", "Cd", "Pwd", "Inspect",
                              "Type", "Prop", "SProp"}) {
    if (word == w) return true;
  }
  return false;
}

// A qualified tactic name of a library module at t[head] (`Z.swap_greater`
// in the stdlib's ZArith): Module(.Module)*.tactic, written without blanks,
// the first part not a command word, the last one lower-case.
bool QualifiedTacticHead(const Tokens& t, size_t head) {
  if (!t.IsIdent(head) || !Capitalized(t[head]) || IsCommandWord(t[head])) return false;
  size_t k = head;
  while (t[k + 1] == "." && t.Adjacent(k) && t.IsIdent(k + 2) && t.Adjacent(k + 1)) k += 2;
  return k > head && absl::ascii_islower(static_cast<unsigned char>(t[k][0]));
}

// The rules for a tactic sentence (a unit of kind kSentence). `ltacs`: the
// capitalised Ltac names a context defined before the sentence (contexts
// only; a step from a client or a model has none).
absl::Status CheckTacticSentence(const Tokens& t,
                                 const absl::flat_hash_set<std::string>* ltacs = nullptr) {
  for (size_t i = 0; i < t.size(); ++i) {
    if (t.IsIdent(i) && In(kCheats, t[i])) {
      return absl::PermissionDeniedError(absl::StrCat(
          "step refused: '", t[i], "' is a cheating tactic (it closes a goal without a proof)"));
    }
    if (t[i] == "#" && t[i + 1] == "[") {
      return absl::PermissionDeniedError("step refused: attributes #[...] are not allowed in a proof step");
    }
    if (t.IsIdent(i) && absl::StrContains(t[i], "thor_sentinel")) {
      return absl::PermissionDeniedError("step refused: thor_sentinel is reserved by the bridge");
    }
  }
  const size_t head = SelectorLength(t);
  if (head == 0) {
    // Selector-like tokens before a ':' that are no selector ("all-all:",
    // "1-all:"): refused whatever follows, so that no word after such a
    // prefix is taken for the sentence's head.
    size_t k = 0;
    while (k < t.size() && (t.kind(k) == CoqToken::kNumber || t[k] == "," || t[k] == "-" ||
                            t[k] == "!" || t[k] == "all" || t[k] == "par")) {
      ++k;
    }
    if (k > 0 && t[k] == ":") return absl::PermissionDeniedError("step refused: a malformed goal selector");
  }
  if (head == t.size()) {
    return absl::PermissionDeniedError(
        t.size() == 0 ? "step refused: an empty sentence"
                      : "step refused: a goal selector without a tactic");
  }
  absl::string_view word = t[head];
  if (t.IsIdent(head)) {
    if (absl::ascii_islower(static_cast<unsigned char>(word[0]))) return absl::OkStatus();
    if (ltacs != nullptr && ltacs->contains(word)) return absl::OkStatus();
    if (ltacs != nullptr && QualifiedTacticHead(t, head)) return absl::OkStatus();
    if (Capitalized(word)) {
      return absl::PermissionDeniedError(absl::StrCat(
          "step refused: '", Excerpt(word), "' is a vernacular command, not a tactic"));
    }
  }
  if (word == "(" || (word == "[" && t[head + 1] == ">")) return absl::OkStatus();
  if (word == "#") {
    return absl::PermissionDeniedError("step refused: attributes #[...] are not allowed in a proof step");
  }
  return absl::PermissionDeniedError(
      absl::StrCat("step refused: a sentence must start with a tactic, not '", Excerpt(word), "'"));
}

absl::Status CheckUnit(absl::string_view text, const CoqUnit& unit) {
  if (unit.kind == CoqUnit::kBullet) return absl::OkStatus();
  Tokens t(text, unit.tokens);
  if (unit.kind == CoqUnit::kBrace) {
    // "{", "}", or a selector and '{' (LexUnits built it).
    if (t.size() == 1 || SelectorLength(t) + 1 == t.size()) return absl::OkStatus();
    return absl::PermissionDeniedError("step refused: a malformed focusing brace");
  }
  return CheckTacticSentence(t);
}

// Parses a dotted module path at t[*i] (identifiers joined by adjacent '.').
bool ParsePath(const Tokens& t, size_t* i, std::string* out) {
  if (!t.IsIdent(*i)) return false;
  std::string path(t[*i]);
  size_t k = *i + 1;
  while (k + 1 < t.size() && t[k] == "." && t.Adjacent(k - 1) && t.Adjacent(k) && t.IsIdent(k + 1)) {
    absl::StrAppend(&path, ".", t[k + 1]);
    k += 2;
  }
  *i = k;
  *out = std::move(path);
  return true;
}

// A Require/Import/Export/From sentence of module names only, rendered
// canonically (without the final '.').
absl::StatusOr<std::string> ParseRequire(const Tokens& t, size_t i) {
  auto bad = [](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("not a module import: ", why));
  };
  std::vector<std::string> parts;
  if (t[i] == "From") {
    std::string root;
    ++i;
    if (i < t.size() && t.kind(i) == CoqToken::kString) {
      return bad("a path string loads from the file system");
    }
    if (!ParsePath(t, &i, &root)) return bad("From needs a module path");
    parts = {"From", root};
    if (t[i] != "Require") return bad("From X must be followed by Require");
  }
  if (t[i] == "Require") {
    parts.push_back("Require");
    ++i;
    if (t[i] == "Import" || t[i] == "Export") parts.push_back(std::string(t[i++]));
  } else if (t[i] == "Import" || t[i] == "Export") {
    parts.push_back(std::string(t[i++]));
  } else {
    return bad("expected Require, Import or Export");
  }
  size_t names = 0;
  while (i < t.size()) {
    if (t.kind(i) == CoqToken::kString) return bad("a path string loads from the file system");
    std::string path;
    if (!ParsePath(t, &i, &path)) return bad("only module names may follow");
    parts.push_back(std::move(path));
    ++names;
  }
  if (names == 0) return bad("no module named");
  return absl::StrJoin(parts, " ");
}

int LineOf(absl::string_view text, size_t offset) {
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + std::min(offset, text.size()), '\n'));
}

// Why a context command (tokens t, command head at `i`) is refused, or "".
// `quote` allows naming words of the input that are not in our tables.
std::string CommandRefusal(const Tokens& t, size_t i, bool quote) {
  // Attributes: every attribute name on the allow-list.
  while (t[i] == "#" && t[i + 1] == "[") {
    int depth = 0;
    size_t k = i + 1;
    for (; k < t.size(); ++k) {
      if (t[k] == "[" || t[k] == "(") ++depth;
      if (t[k] == "]" || t[k] == ")") --depth;
      if (depth == 0) break;
      if (t.IsIdent(k) && absl::StrContains(t[k], "bypass_check")) {
        return "the attribute bypass_check switches a kernel check off";
      }
      if (depth == 1 && t.IsIdent(k) && (t[k - 1] == "[" || t[k - 1] == ",") && !In(kAttributes, t[k])) {
        return quote ? absl::StrCat("the attribute '", Excerpt(t[k]), "' is not on the allow-list")
                     : "an attribute that is not on the allow-list";
      }
    }
    if (k >= t.size()) return "an unclosed attribute list";
    i = k + 1;
  }
  while (t.IsIdent(i) && In(kHarmlessPrefixes, t[i]) && t.IsIdent(i + 1)) ++i;
  if (t[i] == "Export" && (t[i + 1] == "Set" || t[i + 1] == "Unset")) ++i;
  absl::string_view word = t[i];
  if (!t.IsIdent(i)) {
    return quote ? absl::StrCat("a sentence cannot start with '", Excerpt(word), "'")
                 : "a sentence that starts with neither a command nor a tactic";
  }
  for (const Refusal& r : kRefusals) {
    if (word == r.word) return absl::StrCat("'", word, "' ", r.why);
  }
  if (word == "Require" || word == "Import" || word == "Export" || word == "From") {
    absl::StatusOr<std::string> ok = ParseRequire(t, i);
    return ok.ok() ? "" : std::string(ok.status().message());
  }
  if (word == "Set" || word == "Unset") {
    std::vector<absl::string_view> option;
    for (size_t k = i + 1; t.IsIdent(k); ++k) option.push_back(t[k]);
    std::string name = absl::StrJoin(option, " ");
    if (In(kSetOptions, name)) return "";
    if (absl::StartsWith(name, "Guard Checking") || absl::StartsWith(name, "Positivity Checking") ||
        absl::StartsWith(name, "Universe Checking")) {
      // Named from our table, not from the input (a file's text is not echoed).
      for (absl::string_view check : {"Guard Checking", "Positivity Checking", "Universe Checking"}) {
        if (absl::StartsWith(name, check)) return absl::StrCat("'", word, " ", check, "' switches a kernel check off");
      }
    }
    return quote ? absl::StrCat("the option '", Excerpt(name), "' is not on the allow-list")
                 : "a Set/Unset option that is not on the allow-list";
  }
  if (word == "Declare") {
    absl::string_view what = t[i + 1];
    if (what == "ML") return "'Declare ML Module' loads OCaml code";
    for (absl::string_view ok : {"Scope", "Module", "Custom", "Reduction", "Instance", "Left",
                                 "Right", "Equivalent"}) {
      if (what == ok) return "";
    }
    return "this Declare command is not on the allow-list";
  }
  if (word == "Add") {
    absl::string_view what = t[i + 1];
    if (what == "LoadPath" || what == "Rec" || what == "ML") return "'Add LoadPath' changes where code is loaded from";
    if (what == "Hammer" && t[i + 2] == "Filter") return "";
    if (what == "Search" && t[i + 2] == "Blacklist") return "";
    for (absl::string_view ok : {"Morphism", "Parametric", "Relation", "Setoid", "Ring", "Field"}) {
      if (what == ok) return "";
    }
    return "this Add command is not on the allow-list";
  }
  if (word == "Remove") {
    if (t[i + 1] == "Hints" || (t[i + 1] == "Search" && t[i + 2] == "Blacklist")) return "";
    return "this Remove command is not on the allow-list";
  }
  if (word == "Register") {
    if (t[i + 1] == "Inline") return "'Register Inline' is not on the allow-list";
    // "Register x as kernel.ind_bool" tells the kernel what its primitive
    // operations return; only plugin names (num.nat.add, ...) are allowed.
    for (size_t k = i + 1; k + 1 < t.size(); ++k) {
      if (t[k] == "as" && t[k + 1] == "kernel") return "'Register ... as kernel.*' binds kernel primitives";
    }
    return "";
  }
  if (word == "Locate" && (t[i + 1] == "File" || t[i + 1] == "Library")) {
    return "'Locate File' looks at the file system";
  }
  if ((word == "Print" || word == "Show" || word == "Locate" || word == "Search") && t.HasString()) {
    // Print Universes "file" writes a file; no query needs a string here.
    return absl::StrCat("'", word, "' with a string argument (it may name a file)");
  }
  if (word == "Print" || word == "Show") {
    for (size_t k = i + 1; k < t.size(); ++k) {
      if (t[k] == "Extraction") return "printing an extraction is not on the allow-list";
    }
  }
  if (In(kContextCommands, word)) return "";
  return quote ? absl::StrCat("'", Excerpt(word), "' is not a command allowed in a context")
               : "a command that is not allowed in a context";
}

// The name a capitalised `[Local|Global] Ltac Name ... :=` defines, if it
// is not a word that opens a command (those Coq reads as the command, never
// as the tactic); "" otherwise.
absl::string_view LtacDefined(const Tokens& t) {
  size_t i = 0;
  while (i < t.size() && (t[i] == "Local" || t[i] == "Global")) ++i;
  if (t[i] != "Ltac" || !t.IsIdent(i + 1)) return "";
  absl::string_view name = t[i + 1];
  if (!Capitalized(name) || IsCommandWord(name)) return "";
  return name;
}

}  // namespace

absl::Status CheckCoqStep(absl::string_view step) {
  absl::StatusOr<std::vector<CoqUnit>> units = LexUnits(step);
  if (!units.ok()) {
    return absl::PermissionDeniedError(absl::StrCat("step refused: ", units.status().message()));
  }
  if (units->empty()) return absl::PermissionDeniedError("step refused: it holds no tactic");
  for (const CoqUnit& unit : *units) {
    absl::Status s = CheckUnit(step, unit);
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ParseCoqImport(absl::string_view import) {
  absl::string_view s = absl::StripAsciiWhitespace(import);
  absl::StatusOr<std::vector<CoqUnit>> units = LexUnits(s);
  if (!units.ok()) return absl::InvalidArgumentError(units.status().message());
  if (units->size() != 1 || (*units)[0].kind != CoqUnit::kSentence) {
    return absl::InvalidArgumentError("an import is one module path or one Require/Import sentence");
  }
  Tokens t(s, (*units)[0].tokens);
  if (t.size() > 0 && (t[0] == "Require" || t[0] == "From" || t[0] == "Import" || t[0] == "Export")) {
    absl::StatusOr<std::string> r = ParseRequire(t, 0);
    if (!r.ok()) return r.status();
    return absl::StrCat(*r, ".");
  }
  size_t i = 0;
  std::string path;
  if (!ParsePath(t, &i, &path) || i != t.size()) {
    return absl::InvalidArgumentError("not a module path (identifiers joined by '.')");
  }
  return absl::StrCat("Require Import ", path, ".");
}

absl::Status CheckCoqStatement(absl::string_view statement) {
  std::string s(absl::StripAsciiWhitespace(statement));
  if (s.empty()) return absl::InvalidArgumentError("the statement is empty");
  absl::StatusOr<std::vector<CoqUnit>> units = LexUnits(s);
  if (!units.ok()) return absl::InvalidArgumentError(units.status().message());
  if (units->empty()) return absl::InvalidArgumentError("the statement holds only comments");
  Tokens first(s, (*units)[0].tokens);
  const bool sentence = first.IsIdent(0) && (In(kTheoremKeywords, first[0]) || first[0] == "Goal");
  if (!sentence) {
    // A term: wrapped as one theorem sentence, it must stay one sentence.
    if (first.IsIdent(0) && Capitalized(first[0])) {
      for (const Refusal& r : kRefusals) {
        if (first[0] == r.word) return absl::InvalidArgumentError(absl::StrCat("'", r.word, "' is a command, not a term"));
      }
      for (absl::string_view w : {"Axiom", "Parameter", "Definition", "Proof", "Qed", "Admitted",
                                  "Require", "Unset", "Ltac", "Notation", "Hint"}) {
        if (first[0] == w) return absl::InvalidArgumentError(absl::StrCat("'", w, "' is a command, not a term"));
      }
    }
    if (s.back() == '.') s.pop_back();
    s = absl::StrCat("Theorem thor_goal : ", s, ".");
    units = LexUnits(s);
    if (!units.ok()) return absl::InvalidArgumentError(units.status().message());
  }
  if (units->size() != 1 || (*units)[0].kind != CoqUnit::kSentence) {
    return absl::InvalidArgumentError(
        "the statement must be one term or one theorem sentence (it holds more than one sentence)");
  }
  Tokens t(s, (*units)[0].tokens);
  if (t[0] != "Goal" && !t.IsIdent(1)) {
    return absl::InvalidArgumentError(absl::StrCat("'", t[0], "' must be followed by the theorem's name"));
  }
  int depth = 0, binders = 0, matches = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    absl::string_view w = t[i];
    if (t.IsIdent(i) && In(kCheats, w)) {
      return absl::InvalidArgumentError(absl::StrCat("the statement uses the cheating tactic '", w, "'"));
    }
    if (w == "#" && t[i + 1] == "[") return absl::InvalidArgumentError("the statement has attributes");
    if (t.IsIdent(i) && absl::StrContains(w, "thor_sentinel")) {
      return absl::InvalidArgumentError("the statement uses the reserved word thor_sentinel");
    }
    if (w == "(" || w == "[" || w == "{") ++depth;
    if (w == ")" || w == "]" || w == "}") --depth;
    if (depth != 0) continue;
    if (w == "let" || w == "fix" || w == "cofix") ++binders;
    if (w == "match") ++matches;
    if (w == "end" && matches > 0) --matches;
    if (w == ":" && t[i + 1] == "=" && t.Adjacent(i)) {
      if (binders == 0) return absl::InvalidArgumentError("the statement has a body (':=')");
      --binders;
    }
    if (w == "with" && matches == 0) {
      return absl::InvalidArgumentError("the statement declares more than one theorem ('with')");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckCoqContext(absl::string_view context, bool from_file) {
  const char* what = from_file ? "context read from the theorem's file" : "context";
  absl::StatusOr<std::vector<CoqUnit>> units = LexUnits(context);
  if (!units.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": ", units.status().message()));
  }
  absl::flat_hash_set<std::string> ltacs;  // Capitalised Ltac names defined so far.
  for (size_t k = 0; k < units->size(); ++k) {
    const CoqUnit& unit = (*units)[k];
    auto where = [&] {
      std::string at = absl::StrCat(what, ", line ", LineOf(context, unit.begin));
      if (!from_file) {
        absl::StrAppend(&at, " ('", Excerpt(context.substr(unit.begin, unit.end - unit.begin)), "')");
      }
      return at;
    };
    if (unit.kind != CoqUnit::kSentence) continue;  // Bullets and braces.
    Tokens t(context, unit.tokens);
    if (t.size() == 0) return absl::InvalidArgumentError(absl::StrCat(where(), ": an empty sentence"));
    // A capitalised word opens a command, unless the context defined an Ltac
    // of that name earlier (the stdlib's Sorting/Permutation.v runs
    // `InvAdd; ...` in its proofs) or it is a module's qualified tactic
    // (`Z.swap_greater.`); such a sentence is checked as a tactic.
    const bool command = (t.IsIdent(0) && Capitalized(t[0]) && !ltacs.contains(t[0]) &&
                          !QualifiedTacticHead(t, 0)) ||
                         t[0] == "#";
    if (command) {
      absl::string_view name = LtacDefined(t);
      if (!name.empty()) ltacs.insert(std::string(name));
    }
    if (!command) {
      absl::Status s = CheckTacticSentence(t, &ltacs);
      if (!s.ok()) {
        std::string why(absl::StripPrefix(s.message(), "step refused: "));
        if (from_file) why = "a proof step that is not allowed";
        return absl::InvalidArgumentError(absl::StrCat(where(), ": ", why));
      }
      continue;
    }
    std::string why = CommandRefusal(t, 0, !from_file);
    if (!why.empty()) return absl::InvalidArgumentError(absl::StrCat(where(), ": ", why));
  }
  return absl::OkStatus();
}

absl::Status ValidateCoqInputs(const Theorem& theorem, absl::string_view context,
                               bool context_from_file) {
  for (size_t i = 0; i < theorem.imports.size(); ++i) {
    if (absl::StripAsciiWhitespace(theorem.imports[i]).empty()) continue;  // Skipped, as before.
    absl::StatusOr<std::string> imp = ParseCoqImport(theorem.imports[i]);
    if (!imp.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("imports[", i, "] ('", Excerpt(theorem.imports[i]),
                                                     "'): ", imp.status().message()));
    }
  }
  absl::Status s = CheckCoqStatement(theorem.statement);
  if (!s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "statement ('", Excerpt(absl::StripAsciiWhitespace(theorem.statement)), "'): ", s.message()));
  }
  return CheckCoqContext(context, context_from_file);
}

absl::Status ValidateCoqTheorem(const Theorem& theorem) {
  absl::StatusOr<std::string> context = ResolveContext(theorem);
  if (!context.ok()) return context.status();
  return ValidateCoqInputs(theorem, *context, theorem.context.empty() && !theorem.file_path.empty());
}

absl::StatusOr<std::vector<std::string>> ParseCoqProofText(absl::string_view text) {
  absl::StatusOr<std::vector<CoqUnit>> lexed = LexUnits(text);
  if (!lexed.ok()) return absl::InvalidArgumentError(absl::StrCat("proof_text: ", lexed.status().message()));
  std::vector<CoqUnit>& units = *lexed;
  auto is = [&](const CoqUnit& u, absl::string_view word) {
    return u.kind == CoqUnit::kSentence && u.terminated && u.tokens.size() == 1 &&
           text.substr(u.tokens[0].begin, u.tokens[0].end - u.tokens[0].begin) == word;
  };
  size_t begin = 0, end = units.size();
  if (begin < end && is(units[begin], "Proof")) ++begin;
  if (begin < end && (is(units[end - 1], "Qed") || is(units[end - 1], "Defined"))) --end;
  std::vector<std::string> steps;
  for (size_t k = begin; k < end; ++k) {
    absl::string_view raw = text.substr(units[k].begin, units[k].end - units[k].begin);
    absl::Status allowed = CheckUnit(text, units[k]);
    if (!allowed.ok()) return allowed;
    absl::StatusOr<std::string> step = NormalizeStep(raw);
    if (!step.ok()) return absl::InvalidArgumentError(absl::StrCat("proof_text: ", step.status().message()));
    steps.push_back(*std::move(step));
  }
  if (steps.empty()) return absl::InvalidArgumentError("proof_text: holds no proof step");
  return steps;
}

}  // namespace thor::coq
