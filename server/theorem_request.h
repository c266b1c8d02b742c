// The theorem of a request, taken in one way by every RPC that starts a
// prover on it (Prove, OpenSession): required, converted and checked as data
// (TheoremFromProto: sizes, characters, the theorem_file_root rules for
// file_path and working_directory), its prover's backend looked up, and the
// backend's ValidateTheorem passed.
#ifndef THOR_SERVER_THEOREM_REQUEST_H_
#define THOR_SERVER_THEOREM_REQUEST_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "proto/thor/v1/thor.pb.h"
#include "search/prover.h"
#include "server/config.h"
#include "server/registry.h"

namespace thor {

struct TheoremRequest {
  Theorem theorem;
  std::shared_ptr<ProverBackend> backend;
};

// `field` is the theorem's path in the request, e.g. "theorem". Errors as
// TheoremFromProto, Registry::Backend and ProverBackend::ValidateTheorem.
absl::StatusOr<TheoremRequest> ResolveTheorem(bool has_theorem, const v1::Theorem& theorem,
                                              const std::string& field,
                                              const ServerConfig& config,
                                              const Registry& registry);

}  // namespace thor

#endif  // THOR_SERVER_THEOREM_REQUEST_H_
