// Isabelle's prover module (provers/module.h): the backend built from the
// server's JSON options (off unless configured: it needs PISA servers), the
// heuristic policy's cheap steps, the --pisa flag, and the MiniF2F and PISA
// suites with their flags.
#ifndef THOR_ISABELLE_BRIDGE_ISABELLE_MODULE_H_
#define THOR_ISABELLE_BRIDGE_ISABELLE_MODULE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "provers/module.h"
#include "search/prover.h"

namespace thor::isabelle {

// How to enable Isabelle on a server that has no configuration for it.
extern const char kIsabelleHowToEnable[];

// The Isabelle backend for the options object `options_json`
// (config.provers.isabelle; keys as ParseIsabelleSettingsJson; "enabled" is
// the server's and dropped). Errors keep their code, prefixed "`prefix`: ".
// The external hammer solves on context.hammer when it is set.
absl::StatusOr<std::shared_ptr<ProverBackend>> MakeIsabelleBackendForServer(
    const std::string& options_json, const std::string& prefix,
    const BackendContext& context = BackendContext());

// The module provers.cc lists, named "isabelle". Linking it defines the
// flags --pisa (server: the "pisa" option), --minif2f_dir,
// --minif2f_version, --pisa_dir and --afp_dir (suites).
ProverModule IsabelleModule();

}  // namespace thor::isabelle

#endif  // THOR_ISABELLE_BRIDGE_ISABELLE_MODULE_H_
