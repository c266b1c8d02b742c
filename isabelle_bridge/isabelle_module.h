// What the composition root (provers/) needs to offer Isabelle: the backend
// built from the server's JSON options, and what to tell a user when it is
// not configured (it needs PISA servers, so it is off unless configured).
#ifndef THOR_ISABELLE_BRIDGE_ISABELLE_MODULE_H_
#define THOR_ISABELLE_BRIDGE_ISABELLE_MODULE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "search/prover.h"

namespace thor::isabelle {

// How to enable Isabelle on a server that has no configuration for it.
extern const char kIsabelleHowToEnable[];

// The Isabelle backend for the options object `options_json`
// (config.provers.isabelle; keys as ParseIsabelleSettingsJson; "enabled" is
// the server's and dropped). Errors keep their code, prefixed "`prefix`: ".
absl::StatusOr<std::shared_ptr<ProverBackend>> MakeIsabelleBackendForServer(
    const std::string& options_json, const std::string& prefix);

}  // namespace thor::isabelle

#endif  // THOR_ISABELLE_BRIDGE_ISABELLE_MODULE_H_
