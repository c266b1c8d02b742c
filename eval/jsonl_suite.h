// The JSONL suite format: one JSON object per line, one theorem each.
//
//   {"id": "add_0", "prover": "NAME", "statement": "Lemma add_0 : ...",
//    "context": "...", "imports": ["..."], "file_path": "...",
//    "session": "HOL", "working_directory": "...", "name": "add_0",
//    "allowed_axioms": ["Some.Library.axiom_name"]}
//
// NAME is a prover of provers/provers.cc. "allowed_axioms" (default none)
// are the axioms a proof of that theorem may rest on
// (Theorem.allowed_axioms). A "file_path" is read by `thor eval` itself (the
// context before the statement) and not sent when the prover's module says
// so (ProverModule::context_from_file); otherwise it is sent, and servers
// read it only inside their theorem_file_root.
// Only "statement" is required. "id" defaults to "name", then to
// "<file stem>:<line>"; "prover" defaults to the caller's default. Unknown
// fields are ignored, so index files written for other tools load as they
// are (the shared benchmarks' test-theorem index does). Blank
// lines and lines starting with '#' are skipped.
#ifndef THOR_EVAL_JSONL_SUITE_H_
#define THOR_EVAL_JSONL_SUITE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "eval/suite.h"

namespace thor::eval {

// Parses the text of a JSONL suite; `source` names it in errors ("file:line").
// InvalidArgument (with the line) for bad JSON, a missing statement, a
// missing prover without `default_prover`, or a duplicate id.
absl::StatusOr<std::vector<SuiteTheorem>> ParseJsonlSuite(const std::string& text,
                                                          const std::string& source,
                                                          const std::string& default_prover);

// Reads and parses a JSONL suite file. NotFound if it cannot be read.
absl::StatusOr<std::vector<SuiteTheorem>> LoadJsonlSuite(const std::string& path,
                                                         const std::string& default_prover);

}  // namespace thor::eval

#endif  // THOR_EVAL_JSONL_SUITE_H_
