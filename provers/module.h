// What a prover bridge exports: one ProverModule, with everything the rest of
// Thor needs to offer the prover (its backend, the flags `thor` takes for it,
// its benchmark suites, its cheap steps). Each bridge builds its module in one
// function (e.g. a lean_bridge/ would export LeanModule()), and provers.cc
// lists those functions; nothing else names a prover.
#ifndef THOR_PROVERS_MODULE_H_
#define THOR_PROVERS_MODULE_H_

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "extract/run.h"
#include "lm_client/prover_heuristics.h"
#include "search/prover.h"
#include "search/types.h"

namespace thor {

namespace hammer {
class Hammer;
}  // namespace hammer

// What the server hands every backend it builds.
struct BackendContext {
  // The server's one long-lived hammer (Registry::hammer, with the premise
  // database of --premise_db): a bridge's external hammer solves on it, so
  // the proofs it finds teach the learning premise selectors of every later
  // call. Null: the bridge keeps a hammer of its own per backend.
  std::shared_ptr<hammer::Hammer> hammer;
};

// The values of a suite's flags, by flag name (without dashes).
using SuiteSettings = std::map<std::string, std::string>;

// A benchmark suite of the prover, for `thor eval --suite NAME`.
struct ProverSuite {
  std::string name;
  // One line for listings; names the flags the suite reads.
  std::string description;
  // The `thor` flags the loader reads. The bridge defines them (ABSL_FLAG in
  // the same file as its module function, so linking the module defines
  // them); `thor eval` passes their values in SuiteSettings.
  std::vector<std::string> flags;
  // The theorems, in a fixed order; each Theorem::name is its id in results
  // (unique within the suite). InvalidArgument names a missing or bad flag.
  std::function<absl::StatusOr<std::vector<Theorem>>(const SuiteSettings& settings)> load;
  // Which version of the suite's data `settings` selects, when it comes in
  // several; null or "" for one. Part of a run's configuration hash, so a
  // resumed run never mixes results of two versions.
  std::function<std::string(const SuiteSettings& settings)> version;
  // The published pass rates in percent (the Thor paper's, and the prover's
  // hammer alone), shown beside a run's in `thor eval report`; unset when
  // none were published.
  std::optional<double> paper_thor;
  std::optional<double> paper_hammer;
};

// A `thor` flag that sets one key of the server's options for the prover
// (config.provers.NAME) when given on the command line. The bridge defines
// the flag (as for ProverSuite::flags).
struct ProverServerFlag {
  std::string flag;  // The flag's name, without dashes.
  std::string key;   // The key it sets in the options object.
};

// `thor extract` for the prover: its proof steps traced into extract/
// records.
struct ProverExtractor {
  // How the prover's source files end (".v"): a folder given to `thor
  // extract` stands for its files so named.
  std::string extension;
  // The `thor` flags `make` reads, defined by the bridge (as for
  // ProverSuite::flags); `thor extract` passes their values.
  std::vector<std::string> flags;
  // The tracer of one file; InvalidArgument names a bad flag. Null: the
  // prover offers no extraction.
  std::function<absl::StatusOr<extract::FileTracer>(const SuiteSettings& settings)> make;
};

struct ProverModule {
  // As in Theorem::prover and the server's config.provers.NAME.
  std::string name;
  // The backend for the server's JSON options object (config.provers.NAME;
  // "" when the configuration does not mention the prover). Errors are
  // InvalidArgument (or the bridge's code) naming `prefix` (e.g.
  // "config.provers.NAME") and the key.
  std::function<absl::StatusOr<std::shared_ptr<ProverBackend>>(
      const std::string& options_json, const std::string& prefix, const BackendContext& context)>
      make_backend;
  // Empty: offered by default (make_backend("") when not configured), and a
  // disabled prover is not offered at all. Otherwise the prover needs
  // configuring: unconfigured or disabled, it is listed as unavailable and
  // requests for it fail with this hint.
  std::string how_to_enable;
  // Cheap steps for the heuristic policy.
  std::shared_ptr<const ProverHeuristics> heuristics;
  // Null: the prover's theorem files go to the server as paths (it reads
  // them inside its theorem_file_root). Otherwise the client reads them: the
  // context before theorem.statement in theorem.file_path (NotFound if the
  // file cannot be read, InvalidArgument if the statement is not in it).
  std::function<absl::StatusOr<std::string>(const Theorem& theorem)> context_from_file;
  // Flags of `thor` that configure the prover on an in-process server.
  std::vector<ProverServerFlag> server_flags;
  // Benchmark suites, in the order listings show them.
  std::vector<ProverSuite> suites;
  // Commands whose first line of output names the version of a program the
  // prover runs locally (e.g. {"coqtop", "-v"}), recorded in the run record
  // of `thor eval` (eval/run_info.h). Each must be quick and side-effect free.
  std::vector<std::vector<std::string>> version_commands;
  ProverExtractor extractor;
};

}  // namespace thor

#endif  // THOR_PROVERS_MODULE_H_
