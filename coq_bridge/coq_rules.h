// The Coq bridge's soundness rules: what a step, a statement, an import and
// a context sentence may be. Input from a model or a client is hostile text;
// these functions decide before any coqtop sees it. They are allow-lists:
// what is not recognised as harmless is refused. Text is split into
// sentences by LexUnits (coq_text.h), which follows Coq 8.16's lexer and is
// stricter wherever that lexer is subtle.
#ifndef THOR_COQ_BRIDGE_COQ_RULES_H_
#define THOR_COQ_BRIDGE_COQ_RULES_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "search/types.h"

namespace thor::coq {

// OK if `step` may be sent to coqtop inside a proof, else PermissionDenied
// naming what was refused and why. A step is one or more units, each a
// bullet, a brace, a goal selector followed by '{', or a tactic sentence:
// an optional goal selector ("2:", "1-3:", "all:", "[n]:", "!:") and a
// tactic expression whose head is a lower-case identifier (a tactic or a
// tactical: intros, try, do, first, solve, now, idtac, ...), '(' or "[>".
// Refused anywhere in a step: the cheating tactics (admit, give_up,
// exact_no_check, vm_cast_no_check, native_cast_no_check, change_no_check;
// as whole identifiers), attributes "#[", control characters, non-ASCII
// blanks, a '.' before a non-ASCII character, unterminated comments or
// strings, and the bridge's reserved word thor_sentinel.
absl::Status CheckCoqStep(absl::string_view step);

// One import as the canonical sentence to send: `import` is a dotted module
// path ("List", "Coq.Lists.List") or one of "Require [Import|Export] P...",
// "From P Require [Import|Export] P...", "Import P...", "Export P..."
// (trailing '.' optional). InvalidArgument for anything else.
absl::StatusOr<std::string> ParseCoqImport(absl::string_view import);

// OK if `statement` is one term (no sentence terminator outside strings and
// comments, no command) or exactly one theorem sentence "Lemma|Theorem|Fact|
// Remark|Corollary|Proposition|Example NAME binders : TERM." or
// "Goal TERM."; InvalidArgument otherwise (a second sentence, a body,
// attributes, a mutual "with", a cheating tactic inside ltac:(...)).
absl::Status CheckCoqStatement(absl::string_view statement);

// OK if every sentence of `context` is allowed: tactic sentences (in the
// proofs of earlier lemmas) by the step rules, commands by an allow-list
// (definitions, lemmas and their proofs, sections, modules, assumptions,
// notations, hints, scopes, name-only Require/Import, a few Set options).
// Refused: commands that touch files or load code (Load, Cd, Declare ML
// Module, Add LoadPath, Extraction, Redirect, Require from a path string),
// that switch checks off (Unset Guard Checking, #[bypass_check], Set
// options not on the list), that rewind or run others (Time, Timeout,
// Fail, Reset, Back) and anything not recognised. Axiom, Parameter and
// Admitted are allowed: the kernel re-check reports them. InvalidArgument
// naming the sentence; when `from_file` the message gives a line number
// only, never text from the file.
absl::Status CheckCoqContext(absl::string_view context, bool from_file);

// The checks above on a theorem's inputs: every import, the statement and
// `context` (the resolved context; `context_from_file` when it was read
// from theorem.file_path). InvalidArgument naming the field.
absl::Status ValidateCoqInputs(const Theorem& theorem, absl::string_view context,
                               bool context_from_file);

// ValidateCoqInputs with the context resolved (ResolveContext).
absl::Status ValidateCoqTheorem(const Theorem& theorem);

// The steps of a proof text: optional "Proof.", then units (each becomes
// one normalised step; bullets and braces are steps of their own), then
// optional "Qed." or "Defined.". Every step passes CheckCoqStep
// (PermissionDenied otherwise); InvalidArgument for text that does not lex
// or holds no step.
absl::StatusOr<std::vector<std::string>> ParseCoqProofText(absl::string_view text);

}  // namespace thor::coq

#endif  // THOR_COQ_BRIDGE_COQ_RULES_H_
