// Coq's prover module (provers/module.h): the backend built from the
// server's JSON options, the heuristic policy's cheap steps, files read on
// the client, and the coq-stdlib suites.
#ifndef THOR_COQ_BRIDGE_COQ_MODULE_H_
#define THOR_COQ_BRIDGE_COQ_MODULE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "provers/module.h"
#include "search/prover.h"

namespace thor::coq {

// The Coq backend for the options object `options_json` (config.provers.coq;
// "" means {}). Coq is offered unless disabled: coqtop and coqc from Debian
// (sessions say how to install them when missing). Keys: coqtop, coqc,
// coqchk, sandbox, hammer ("native", "external" or "both"; default external:
// CoqHammer's export -> Thor's portfolio -> sauto-family reconstruction
// solved more than the native hammer in bench/coq_suite), warm_hammer,
// light_start, reuse_context, max_idle_processes, spare_processes,
// default_timeout_s, native_gs_mode; "enabled" is the server's and skipped. InvalidArgument naming
// `prefix`.KEY (prefix: "config.provers.coq") for a bad value or an unknown
// key. The external hammer solves on context.hammer when it is set (the
// server's), else on a hammer of the backend's own.
absl::StatusOr<std::shared_ptr<ProverBackend>> MakeCoqBackendFromJson(
    const std::string& options_json, const std::string& prefix,
    const BackendContext& context = BackendContext());

// The module provers.cc lists, named "coq".
ProverModule CoqModule();

}  // namespace thor::coq

#endif  // THOR_COQ_BRIDGE_COQ_MODULE_H_
