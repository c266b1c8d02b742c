// The Isabelle bridge's soundness rules: what a proof step may be, and what a
// theorem's imports, context and statement may be. Input from a model or a
// client is hostile text; these functions decide before any PISA server or
// Isabelle process sees it. Both are allow-lists over the lexer's tokens
// (isabelle_lexer.h); the kernel's own report (thm_oracles, recheck.h) is the
// last word on what a proof rests on.
#ifndef THOR_ISABELLE_BRIDGE_ISABELLE_RULES_H_
#define THOR_ISABELLE_BRIDGE_ISABELLE_RULES_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "search/types.h"

namespace thor::isabelle {

// OK if `step` may be sent to Isabelle inside a proof, else PermissionDenied
// naming what was refused. A step is one or more proof commands (`using assms
// by auto`, `have h: "..." by simp`) whose first word is a proof command of
// the allow-list (apply, by, have, show, proof, qed, ...); no word outside a
// string may be any other Isar command; nowhere, strings and comments
// included, a cheat (sorry, \<proof>, oops, skip_proof, quick_and_dirty), ML
// (ML*, tactic, raw_tactic, @{...}, \<^name> antiquotations), code evaluation
// (eval, normalization) or a `[[...]]` configuration attribute.
absl::Status CheckIsabelleStep(absl::string_view step);

// The steps of a proof given as one text: what IsabelleBackend::ProofText
// returned (steps joined by newlines) or what a user pastes after the
// statement. A line starts a new step when it begins with a command keyword
// and no string, cartouche or comment is open; other lines continue the step
// before. Each step passes CheckIsabelleStep (PermissionDenied naming the
// step otherwise); InvalidArgument if there is none.
absl::StatusOr<std::vector<std::string>> ParseIsabelleProofText(absl::string_view text);

// A theorem statement split into its parts.
struct IsabelleStatement {
  std::string keyword;  // theorem, lemma, corollary, proposition, schematic_goal; "" for a bare term.
  std::string target;   // A locale or class target `(in NAME)`, or "".
  std::string name;     // The statement's name; "" if none.
  std::string body;     // After `NAME[attrs]:` (fixes/assumes/shows or a term); the term if bare.
};

// Parses and checks a statement: exactly one `theorem|lemma|corollary|
// proposition|schematic_goal [(in LOCALE)] [NAME[attrs]:] ...` with optional fixes/assumes/
// shows/obtains clauses, or a bare term ("..." or a cartouche). No second
// command, no cheat, no `[[...]]`. InvalidArgument otherwise.
absl::StatusOr<IsabelleStatement> ParseIsabelleStatement(absl::string_view statement);

// An import is a theory name: `Main`, `HOL-Library.Multiset`, optionally in
// double quotes. No paths. InvalidArgument otherwise.
absl::Status ValidateIsabelleImport(absl::string_view import);

// The theory text before the statement, command by command: theory-level
// commands are allowed (definitions, lemmas with proofs, even `sorry`, which
// thm_oracles reports), except those that run ML or generated code, touch
// files, add axioms or oracles, or switch checks off. InvalidArgument naming
// the command otherwise.
absl::Status CheckIsabelleContext(absl::string_view context);

// The theorem as data: imports, session, statement, context and
// allowed_axioms (oracle names). InvalidArgument naming the field.
absl::Status ValidateIsabelleTheorem(const Theorem& theorem);

}  // namespace thor::isabelle

#endif  // THOR_ISABELLE_BRIDGE_ISABELLE_RULES_H_
