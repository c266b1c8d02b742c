// Proof-step extraction for Coq: a .v file run sentence by sentence in one
// real coqtop, read back into extract/ records (steps with the goals before
// and after, theorems with the constants their proofs use).
//
// How a file is traced. The file is split into units as Coq reads it
// (LexUnits: sentences, bullets, braces), and every unit is sent followed by
// `Show.`, in batches of a few KB (one round trip each). The prompt after a
// unit names the open proof, so which units open a proof (a statement:
// Lemma, Definition ... with a proof, Instance, Next Obligation, ...), run
// inside it, or close it is read from Coq itself, not guessed from text.
//   - A step is a sentence inside a proof whose first token is a lower-case
//     identifier, a goal selector or a bracket: a tactic. Bullets, braces and
//     commands inside a proof (Proof, Show, ...) are run but not recorded.
//   - The state before a step is the `Show.` after the unit before it (after
//     the statement, for the first step); the state after is the `Show.`
//     after the step. That is the display Thor's search gives a policy.
//   - Only proofs closed by Qed or Defined are recorded (Admitted and Abort
//     proofs are dropped, as the coq-stdlib suite drops them).
//   - Vernacular outside proofs is run, not recorded.
//
// Constants (a cheap heuristic, resolved by Coq): the identifiers of a
// tactic (less the hypothesis names of the goal before it, Coq's keywords,
// the words in tactic position and names of Ltac tactics) are looked up with
// `Locate`; those that refer, as written, to a Constant, Inductive or
// Constructor are recorded, fully qualified. A theorem's dependencies are
// the identifiers of `Print NAME.` under `Set Printing All` (its proof term
// and statement with every notation and implicit argument spelled out),
// looked up the same way. Each identifier is looked up once per file, at
// its first use (a later definition that shadows it is not seen).
#ifndef THOR_COQ_BRIDGE_COQ_EXTRACT_H_
#define THOR_COQ_BRIDGE_COQ_EXTRACT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "extract/records.h"

namespace thor::coq {

struct CoqExtractOptions {
  std::string coqtop = "coqtop";
  // More coqtop arguments: the load path (CoqProjectArgs).
  std::vector<std::string> coqtop_args;
  // The whole file's limit; coqtop is killed at it (the file gets an error
  // record).
  absl::Duration file_timeout = absl::Minutes(30);
  // Address-space limit of coqtop; 0 = none.
  uint64_t memory_limit_bytes = 0;
  // Look up constants (steps and theorems); off: both lists stay empty.
  bool constants = true;
};

// Traces one file. Failures are in the result's file.status: NotFound (no
// file), InvalidArgument (the text does not lex, or Coq rejected a sentence:
// the message names its line), DeadlineExceeded (file_timeout), Unavailable
// (coqtop missing or died). The records of theorems finished before a
// failure are kept. The file's name in the records is `path` as given.
extract::FileTrace TraceCoqFile(const std::string& path, const CoqExtractOptions& options);

// The coqtop arguments of a _CoqProject file: its -Q and -R mappings (with
// their folders made absolute from the project file's folder), -I folders
// and -arg values, in order; other lines (file names, comments, -generate-*)
// are ignored. NotFound if the file cannot be read, InvalidArgument for a
// -Q/-R/-I/-arg missing its operands.
absl::StatusOr<std::vector<std::string>> CoqProjectArgs(const std::string& project_path);

// The identifiers of `text` worth a `Locate`: words that start with a letter
// or '_' (qualified names kept whole: "Nat.add"), without Coq's keywords and
// the tactic words that cannot name a constant, without `skip`, each once,
// in order of first occurrence. With `tactic`, also without the words where
// a tactic starts (the sentence's first word, the first after ';', '|', '[',
// a goal selector's ':' or a tactical such as try, repeat, do 3, now): they
// name tactics (split, reflexivity), even where a constant shares the name.
std::vector<std::string> CandidateIdentifiers(absl::string_view text,
                                              const std::vector<std::string>& skip = {},
                                              bool tactic = false);

// What `Locate NAME.` printed, read: the fully qualified name of the first
// Constant, Inductive or Constructor that `name` refers to as written (an
// object listed with a different "shorter name to refer to it" is not
// one); "" if none. *tactic_name (if not null) is set to whether `name` also
// names an Ltac tactic.
std::string LocatedConstant(absl::string_view locate_output, absl::string_view name,
                            bool* tactic_name = nullptr);

}  // namespace thor::coq

#endif  // THOR_COQ_BRIDGE_COQ_EXTRACT_H_
