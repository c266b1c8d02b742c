// The `coq-stdlib` suite: theorems of the Coq standard library sources that
// Debian installs (<coqc -where>/theories), each to be proved in the context
// of its own file up to its statement.
//
// Selection (deterministic): the files of the selected folders in name order
// (StdlibSelection below; the default is Lists/List.v, Arith/*.v and Bool/*.v,
// 669 theorems on Coq 8.16; the wide selection 3,270, its held-out files
// 255); in each, every sentence starting with Lemma,
// Theorem, Fact, Remark, Corollary, Proposition or Example whose proof ends
// in Qed or Defined (Admitted/Abort proofs are skipped), in file order.
// Each Theorem has:
//   (a name used again in the same file gets its ordinal: "NArith/Nnat.v:id~2")
//   name      "<dir>/<file>.v:<lemma>", e.g. "Lists/List.v:app_nil_r"
//   statement the statement sentence exactly as written in the file
//   context   the file's text before the statement, then
//             "From Hammer Require Import Hammer." and, when that import
//             loads the file's own compiled library (List, PeanoNat, Bool,
//             ...), "Add Hammer Filter <module>.", which keeps CoqHammer from
//             using the compiled copy (where the theorem and the ones after
//             it are already proved), and the same line for every loaded
//             library that `Include`s a module of the file's name (its copies
//             of those lemmas: Coq.Vectors.Vector for VectorSpec.v); the
//             earlier lemmas are in the context as Top.<name>.
//   file_path the source file.
// The CI sample is a fixed list of small theorems (kCiSampleNames).
//
// The split (fixed here, for issue 15's learned policy): the held-out files
// (kHeldOutFiles: Sorting/ and five files of Lists/ and Arith/) are never
// trained or tuned on; their theorems are the test selection. Everything
// else of the wide selection is training material.
#ifndef THOR_COQ_BRIDGE_STDLIB_SUITE_H_
#define THOR_COQ_BRIDGE_STDLIB_SUITE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "search/types.h"

namespace thor {
class Env;  // common/env.h
}  // namespace thor

namespace thor::coq {

enum class StdlibSelection {
  kClassic,  // Lists/List.v, Arith/, Bool/: the suite of the README's coq_suite rows.
  kWide,     // Every folder of kWideFolders (the classic files included).
  kHeldOut,  // Only the held-out files (kHeldOutFiles), the test set.
  kTraining, // The wide selection less the held-out files.
};

// The selection named "classic", "wide", "heldout" or "training" (the
// benches' --selection); InvalidArgument naming the four otherwise.
absl::StatusOr<StdlibSelection> ParseStdlibSelection(const std::string& name);

// The folders of the wide selection: those whose files replay from each
// statement's file prefix (checked by tests/coq_bridge/coq_rules_stdlib_test).
extern const char* const kWideFolders[];
// The held-out files and folders ("Sorting/" stands for its .v files),
// relative to theories/; null-terminated.
extern const char* const kHeldOutFiles[];
// True if `relative` (e.g. "Lists/ListSet.v", or a path ending in
// "theories/Lists/ListSet.v") is held out.
bool IsHeldOutStdlibFile(const std::string& relative);

struct StdlibSuiteOptions {
  StdlibSelection selection = StdlibSelection::kClassic;
  // The theories/ folder; empty = `<coqc -where>/theories`.
  std::string theories_dir;
  // The fixed CI sample instead of the whole selection.
  bool ci_sample = false;
  // If > 0 and not ci_sample: exactly this many theorems spread evenly over
  // the selection (indices floor(i * total / sample) + sample_offset,
  // modulo the total). With sample <= total / 2, offsets 0 and
  // floor(total / sample / 2) give disjoint samples (a tuning set and a
  // test set).
  int sample = 0;
  int sample_offset = 0;
  // Runs coqc/coqtop to find the library and what CoqHammer loads; null:
  // Env::Default().
  Env* env = nullptr;
};

// The names of the CI sample.
extern const char* const kCiSampleNames[];

// The suite. NotFound if the theories folder (or coqc, to find it) is
// missing, with how to install Coq.
absl::StatusOr<std::vector<Theorem>> StdlibSuite(const StdlibSuiteOptions& options = {});

// Every provable theorem statement in one .v source, in file order, as the
// suite builds them (`relative_name` is e.g. "Lists/List.v"); each module of
// `filters` (e.g. "Coq.Lists.List") gets an `Add Hammer Filter` line.
std::vector<Theorem> TheoremsOfFile(const std::string& text, const std::string& relative_name,
                                    const std::vector<std::string>& filters,
                                    const std::string& path);

}  // namespace thor::coq

#endif  // THOR_COQ_BRIDGE_STDLIB_SUITE_H_
