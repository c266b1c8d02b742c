// Benchmark suites for `thor eval`: turns a --suite name (a suite of a prover
// module, provers/module.h, or a path to a JSONL file) into the list of
// theorems to prove.
#ifndef THOR_EVAL_SUITE_H_
#define THOR_EVAL_SUITE_H_

#include <map>
#include <optional>
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

// Which suite, and where its data lives.
struct SuiteOptions {
  std::string name;          // --suite
  // The values of the suites' own flags (ProverSuite::flags) by flag name;
  // each loader reads the ones it declares.
  std::map<std::string, std::string> settings;
  std::string jsonl_prover;  // Default `prover` for JSONL lines that lack one.
};

// The current values of every suite flag (SuiteFlagNames()).
std::map<std::string, std::string> SuiteSettingsFromFlags();

// The names of the flags the provers' suites read, without repeats.
std::vector<std::string> SuiteFlagNames();

// The suites with built-in names, in the order of the prover list and each
// prover's suites, and whether their loader is linked into this build.
struct SuiteInfo {
  std::string name;
  std::string description;
  bool available;
  std::string prover;
  // The published pass rates in percent (ProverSuite), if any.
  std::optional<double> paper_thor;
  std::optional<double> paper_hammer;
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
// several (ProverSuite::version); "" for the others. Part of a run's configuration hash, so a resumed run
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
