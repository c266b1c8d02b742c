// Benchmark suites for `thor eval`: a registry that turns a --suite name
// (minif2f-valid, minif2f-test, pisa-test, pisa-quick, coq-stdlib, or a path
// to a JSONL file) into the list of theorems to prove.
#ifndef THOR_EVAL_SUITE_H_
#define THOR_EVAL_SUITE_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "proto/thor/v1/thor.pb.h"

namespace thor::eval {

// One theorem of a suite, with an id that is unique within the suite and
// stable across runs (results are keyed by it).
struct SuiteTheorem {
  std::string id;
  thor::v1::Theorem theorem;
};

// Where the suites' data lives. Each loader reads the fields it needs.
struct SuiteOptions {
  std::string name;               // --suite
  std::string minif2f_dir;        // Folder with valid/ and test/ (*.thy).
  std::string minif2f_version;    // "openai" (Thor's copy) or "facebook".
  std::string pisa_dir;           // Folder with universal_test_theorems/ or the index.
  std::string afp_dir;            // Local AFP checkout (thys/) for PISA paths.
  std::string jsonl_prover;       // Default `prover` for JSONL lines that lack one.
};

using SuiteLoader =
    std::function<absl::StatusOr<std::vector<SuiteTheorem>>(const SuiteOptions&)>;

// The suites with built-in names, in the order --help lists them, and
// whether their loader is linked into this build.
struct SuiteInfo {
  std::string name;
  std::string description;
  bool available;
};
std::vector<SuiteInfo> KnownSuites();

// Loads the suite `options.name`: a registered name, or else a path to a
// JSONL file (see jsonl_suite.h). InvalidArgument for an unknown name that is
// not a file; Unimplemented for a known suite whose loader is not linked in;
// the loader's own error otherwise. Ids are checked to be unique.
absl::StatusOr<std::vector<SuiteTheorem>> LoadSuite(const SuiteOptions& options);

// The suite's name in results and reports: a registered name as it is, a
// JSONL path as its file name without directories and extension.
std::string SuiteLabel(const std::string& name);

// Which version of a suite's data `options` selects, for suites that come in
// several ("minif2f-openai" or "minif2f-facebook" for minif2f-valid/-test);
// "" for the others. Part of a run's configuration hash, so a resumed run
// never mixes results of two versions.
std::string SuiteVersion(const SuiteOptions& options);

// Shard `index` of `count` (index in [0, count)): the theorems whose position
// is congruent to `index` mod `count`, in order. InvalidArgument on a bad pair.
absl::StatusOr<std::vector<SuiteTheorem>> SelectShard(std::vector<SuiteTheorem> all,
                                                      int index, int count);

// Parses "i/n" (e.g. "0/4"). InvalidArgument unless 0 <= i < n.
absl::Status ParseShard(const std::string& text, int* index, int* count);

}  // namespace thor::eval

#endif  // THOR_EVAL_SUITE_H_
