// TPTP problems in memory: the FOF, CNF and TFF0 (typed first-order, no
// arithmetic) subset that MPTP and the provers' own hammers emit. Reading
// resolves include(...) against the including file's folder, then $TPTP;
// writing prints standard TPTP that E, cvc4/cvc5, SPASS and Vampire accept.
#ifndef THOR_HAMMER_TPTP_H_
#define THOR_HAMMER_TPTP_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace thor::hammer {

// A term or a formula (TPTP does not separate them syntactically in atoms).
struct Expr {
  enum class Kind {
    kVar,       // name = "X"
    kApp,       // function, constant or predicate application: name(args)
    kDistinct,  // "distinct object", name holds it with the quotes
    kTrue,
    kFalse,
    kEq,        // args[0] = args[1]
    kNeq,       // args[0] != args[1]
    kNot,       // ~ args[0]
    kAnd,       // args[0] & args[1] & ...
    kOr,        // args[0] | args[1] | ...
    kImplies,   // args[0] => args[1]
    kIff,       // args[0] <=> args[1]
    kXor,       // args[0] <~> args[1]
    kForall,    // ! [vars] : args[0]
    kExists,    // ? [vars] : args[0]
  };
  Kind kind = Kind::kTrue;
  std::string name;
  std::vector<Expr> args;
  // Quantified variables and their types ("" = untyped / $i).
  std::vector<std::pair<std::string, std::string>> vars;
};

// A TFF0 type: `result` alone for constants and types, `(args) > result`.
struct TypeSig {
  std::vector<std::string> args;
  std::string result;  // "$tType" declares a new type.
};

enum class Language { kFof, kCnf, kTff };

// One annotated formula `lang(name, role, formula).`; for role "type",
// `type_symbol` and `type` hold the declaration and `formula` is unused.
struct Formula {
  Language language = Language::kFof;
  std::string name;  // As written, quotes removed ('a b' -> a b).
  std::string role;  // axiom, hypothesis, definition, conjecture, ...
  Expr formula;
  std::string type_symbol;
  TypeSig type;
  std::string source;  // "file:line" it was read from.
};

// True for roles whose formula is a premise (axiom, hypothesis, definition,
// assumption, lemma, theorem, corollary, plain).
bool IsPremiseRole(const std::string& role);

// A whole problem, includes expanded.
struct Problem {
  std::string name;  // File stem, or "problem" for text.
  std::vector<Formula> formulas;

  // Indices of the premises / conjectures (conjecture, negated_conjecture).
  std::vector<int> PremiseIndices() const;
  std::vector<int> GoalIndices() const;
  bool IsTyped() const;  // Any tff formula.
};

// Parsed include files, kept across reads: an included file (with the files
// it includes in turn) is parsed once and reused for as long as the size and
// modification time of each of those files are unchanged. MPTP's chainy
// problems include the same few dozen axiom files, which are most of their
// text. Thread-safe; holds at most `max_files` entries (then starts over).
class IncludeCache {
 public:
  explicit IncludeCache(size_t max_files = 256);
  ~IncludeCache();
  IncludeCache(const IncludeCache&) = delete;
  IncludeCache& operator=(const IncludeCache&) = delete;

  struct Entry;  // Defined in tptp_parser.cc.
  // The parse of `key` if still valid, else null.
  std::shared_ptr<const Entry> Find(const std::string& key);
  void Put(const std::string& key, std::shared_ptr<const Entry> entry);
  size_t hits() const;  // Lookups answered from the cache so far.

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Reads a problem file. Errors: NotFound (file or an include missing, the
// message says where it looked), InvalidArgument for syntax errors as
// "file:line:column: expected X, found Y", Unimplemented for thf/arithmetic.
// With `includes`, included files are taken from / added to that cache.
absl::StatusOr<Problem> ReadProblemFile(const std::string& path,
                                        IncludeCache* includes = nullptr);

// Parses `text`; includes resolve against `base_dir`, then $TPTP.
// `source_name` is used in error messages.
absl::StatusOr<Problem> ParseProblem(const std::string& text,
                                     const std::string& base_dir,
                                     const std::string& source_name = "<text>",
                                     IncludeCache* includes = nullptr);

// Numerals used as individuals (1, 42, -3) become plain constants (n1, n42,
// n_3) so that every prover accepts them (E would need --free-numbers).
void NormaliseNumerals(Problem& problem);

// Prints an expression / one formula / the whole problem in TPTP syntax.
// Names that are not lower_words are single-quoted.
std::string ExprToTptp(const Expr& e);
std::string FormulaToTptp(const Formula& f);
std::string ProblemToTptp(const Problem& problem);

// Quotes `name` if it is not a TPTP lower_word (or an integer).
std::string QuoteName(const std::string& name);

// The non-variable symbols of an expression (functions, predicates,
// constants, distinct objects), each once.
std::vector<std::string> Symbols(const Expr& e);

}  // namespace thor::hammer

#endif  // THOR_HAMMER_TPTP_H_
