// "The kernel decides": a proof found over coqtop is accepted only after a
// fresh coqc compiles a file Thor assembled itself, `Print Assumptions`
// (bracketed by unpredictable markers) shows that a check lemma stating
// exactly the requested statement rests on nothing outside the allow-list,
// and coqchk, an independent checker, re-checks the compiled library.
//
//   KernelCheckInput in = {.prelude = ..., .context = ..., .statement = "Lemma x : T.",
//                          .steps = {"exact t."}};
//   RecheckResult r = RunKernelCheck(options, in, absl::Seconds(60));
//
// The file, in order: prelude, imports, context (its open Sections and
// Modules stay open), hammer import, `Definition thor_stmt_<nonce> : Type :=
// (forall binders, T).` (the statement elaborated BEFORE any step runs, so a
// step cannot redefine what it means), the statement, `Proof.` steps `Qed.`,
// `Lemma thor_check_<nonce> : thor_stmt_<nonce>. Proof. exact (@name). Qed.`
// (catches a proof that Aborted and proved something else under the same
// name), `End` for each open block, then the report: `Locate` of each
// allowed axiom (to learn the name Print Assumptions will print for it) and
// `Print Assumptions` of the check lemma, each between marker lines that
// name the nonce. Only text between the markers is trusted, and the end
// marker must be the last line coqc prints: the context or a step could
// print a forged "Closed under the global context", but not the nonce.
//
// A theorem inside a functor (`Module F (X : T).` left open) has no global
// name once F is closed, so the check applies F, right after its `End`, to
// modules it declares: `Declare Module thor_param_<nonce>_<i> : T.` per
// parameter, `Module thor_inst_<nonce> := F thor_param_<nonce>_0 ...`, and
// asks for the check lemma inside thor_inst_<nonce>. The declared modules'
// fields are then axioms to Print Assumptions and coqchk; they, and only
// they, are allowed (IsKernelParameterField): the theorem is proved for
// every module of the parameters' types, as a theorem in a section is for
// every value of its variables. Anything else the functor's body assumes
// (an Axiom in it, a module masking a parameter's name) stays refused.
//
// A theorem inside a module type (`Module Type MT (X : T).` left open, with
// or without parameters) is checked in a module declared of that type right
// after its `End`: `Declare Module thor_param_<nonce>_<i> : T.` per
// parameter, then `Declare Module thor_param_<nonce>_<n> : MT thor_param_...`
// (n the number of parameters). Its fields that the module type declares
// (Parameter, Axiom: what every module of the type provides) are allowed the
// same way; a field the module type's own text gave a proof or a body
// (DefinedNames) but that is an axiom was Admitted and stays refused (a
// parameter's fields, and those of an included module type, are what the
// parameter's type declares: Coq cannot tell there an Admitted lemma from a
// Parameter, and either is a requirement on every module of the type, as an
// Axiom of the type is). A parameter's type that names an earlier
// parameter (`(E : Eq) (F : HasEqDec E)`) names its declared module instead.
// A functor or module type inside another is refused (FailedPrecondition).
#ifndef THOR_COQ_BRIDGE_COQ_KERNEL_H_
#define THOR_COQ_BRIDGE_COQ_KERNEL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/sandbox.h"
#include "coq_bridge/coq_kernel_report.h"
#include "search/types.h"

namespace thor {
class Env;  // common/env.h
}  // namespace thor

namespace thor::coq {

// A theorem sentence cut into parts: "Lemma foo (n : nat) : n = n." ->
// {"Lemma", "foo", "(n : nat)", "n = n"}; "Goal T." -> {"Goal", "", "", "T"}.
// The type is everything after the first ':' outside brackets, comments and
// strings. InvalidArgument if there is no such ':' (or, for Goal, if the
// sentence is not "Goal <term>.").
struct StatementParts {
  std::string keyword;
  std::string name;
  std::string binders;
  std::string type;
};
absl::StatusOr<StatementParts> SplitStatementSentence(absl::string_view sentence);

// True if every comment and string literal opened in `text` is closed
// (Coq's lexer: strings are lexed inside comments too).
bool CommentsAndStringsClosed(absl::string_view text);

// True for a dotted path of ASCII Coq identifiers ("Coq.Logic.X.y").
bool IsQualifiedName(absl::string_view name);

// 16 lowercase hex digits from the OS's random source.
std::string NewNonce();

struct KernelCheckInput {
  std::string prelude;
  std::string imports;        // "Require Import ..." lines (already validated).
  std::string context;        // Text before the statement; may leave blocks open.
  std::string hammer_import;
  std::string statement;      // One theorem sentence (see StatementSentence).
  std::vector<std::string> steps;
  std::vector<std::string> allowed_axioms;  // Fully qualified names.
};

// The names the sentences of `text` define with a body or a proof (Lemma,
// Theorem, ..., Definition, Instance, Fixpoint, Let, ..., after attributes
// and Local, Global, Program, ...; and every identifier after a `with`, for
// mutual definitions): in a declared module, such a field is an axiom only
// if it was Admitted.
std::vector<std::string> DefinedNames(absl::string_view text);

// The file the check compiles, and what its report is keyed on.
struct KernelCheckFile {
  std::string text;
  std::string nonce;
  std::string check_lemma;  // Fully qualified (library Top.Top).
  // For a theorem inside a module type: the module declared of it
  // ("thor_param_<nonce>_<n>"), and the names its body defines
  // (DefinedNames of the open module type's text, the theorem's name and the
  // check's own): a field of that module with such a name that is an axiom
  // was Admitted, not declared (IsKernelParameterField). Empty otherwise.
  std::string type_instance;
  std::vector<std::string> defined;
};

// Builds the file (see the top of this header). InvalidArgument if a part
// leaves a comment or string open, the statement is not one sentence or
// cannot be split, or a step cannot be normalised; FailedPrecondition if a
// block left open is a functor or module type inside another, or one whose
// parameters cannot be instantiated (see above).
absl::StatusOr<KernelCheckFile> BuildKernelCheckFile(const KernelCheckInput& input,
                                                     absl::string_view nonce);

struct KernelCheckOptions {
  std::string coqc = "coqc";
  std::string coqchk = "coqchk";
  SandboxMode sandbox = SandboxMode::kAuto;
  uint64_t memory_limit_bytes = 0;
  // Parent of the scratch directory; empty: $TMPDIR, else /tmp.
  std::string scratch_parent;
  // The clock and the coqc/coqchk runs; null: Env::Default(). The scratch
  // directory stays on the real filesystem (the sandbox binds it).
  Env* env = nullptr;
};

// Builds the file with a fresh nonce in a fresh scratch directory (removed
// before returning), compiles it with coqc, checks the report and runs
// coqchk (both under the sandbox when enabled), all within `timeout`.
// kPassed with checkers {"coqc", "print_assumptions", "coqchk"} and the
// allowed axioms the theorem rests on; kFailed with the reason (and, for
// assumptions, the offending ones in `axioms`); kError if the file cannot be
// built or a checker cannot run.
RecheckResult RunKernelCheck(const KernelCheckOptions& options, const KernelCheckInput& input,
                             absl::Duration timeout);

}  // namespace thor::coq

#endif  // THOR_COQ_BRIDGE_COQ_KERNEL_H_
