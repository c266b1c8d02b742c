// The one list of provers Thor is built with. Each bridge exports the pieces
// of its module; this folder is the only place outside the bridges that
// names them, so adding a prover adds a bridge folder and one entry here.
#ifndef THOR_PROVERS_PROVERS_H_
#define THOR_PROVERS_PROVERS_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lm_client/prover_heuristics.h"
#include "search/prover.h"

namespace thor {

struct ProverModule {
  // As in Theorem::prover and the server's config.provers.NAME.
  std::string name;
  // The backend for the server's JSON options object (config.provers.NAME;
  // "" when the configuration does not mention the prover). Errors are
  // InvalidArgument (or the bridge's code) naming `prefix` (e.g.
  // "config.provers.NAME") and the key.
  std::function<absl::StatusOr<std::shared_ptr<ProverBackend>>(const std::string& options_json,
                                                               const std::string& prefix)>
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
  // The options key that `thor`'s --pisa HOST:PORT flag sets for this
  // prover ("" for none).
  std::string pisa_flag_key;
};

// The prover `thor` uses when the command line names none.
extern const char kDefaultProver[];

// Every prover, sorted by name.
const std::vector<ProverModule>& AllProvers();

// The module called `name`, or null.
const ProverModule* FindProver(const std::string& name);

// The names of AllProvers(), comma-separated ("a, b").
std::string ProverNamesJoined();

// Every prover's heuristics, by name.
ProverHeuristicsMap AllProverHeuristics();

}  // namespace thor

#endif  // THOR_PROVERS_PROVERS_H_
