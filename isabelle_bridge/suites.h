// Benchmark suites for Isabelle as thor::Theorem lists: MiniF2F (openai and
// facebookresearch copies, valid/test) and PISA's universal test theorems.
#ifndef THOR_ISABELLE_BRIDGE_SUITES_H_
#define THOR_ISABELLE_BRIDGE_SUITES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "search/types.h"

namespace thor::isabelle {

// One MiniF2F theory file, cut after its statement (about 30% of the files
// carry a human proof, which is dropped).
struct MiniF2FProblem {
  std::string theory;                // Name after `theory`.
  std::vector<std::string> imports;  // Unquoted.
  std::string context;               // Text between `begin` and the statement.
  std::string statement;             // From `theorem`/`lemma` to the proof.
  bool had_proof = false;            // A proof other than sorry/oops followed.
};

// Parses a MiniF2F .thy text. InvalidArgument if it has no header or no
// theorem/lemma statement.
absl::StatusOr<MiniF2FProblem> ParseMiniF2FTheory(const std::string& text);

// The session the imports need: the AFP session of a qualified import that
// is not from the Isabelle distribution (e.g. "Symmetric_Polynomials.Vieta"),
// else `default_session`.
std::string SessionForImports(const std::vector<std::string>& imports,
                              const std::string& default_session);

// Loads <dir>/<split>/*.thy (split "valid" or "test"), sorted by name.
// NotFound if the folder is missing; InvalidArgument names a bad file.
absl::StatusOr<std::vector<Theorem>> LoadMiniF2F(const std::string& dir, const std::string& split,
                                                 const std::string& default_session = "HOL");

// `path` with everything before "/thys/" replaced by `local_afp` (PISA's
// lists hold /home/ywu/afp-2021-02-11/thys/...). Unchanged if `local_afp`
// is empty or the path has no "/thys/".
std::string RewriteAfpPath(const std::string& path, const std::string& local_afp);

// Loads PISA's <dir>/<prefix>_<i>.json files (prefix "test_name" for the
// 3,000 or "quick_test_name" for the 600), sorted by i. Each theorem's
// session is its AFP entry, its working directory <afp>/thys/<entry>.
absl::StatusOr<std::vector<Theorem>> LoadPisaTestList(const std::string& dir,
                                                      const std::string& prefix,
                                                      const std::string& local_afp);

}  // namespace thor::isabelle

#endif  // THOR_ISABELLE_BRIDGE_SUITES_H_
