// The theorem a request is about, as flags: `thor prove`, `suggest`, `check`.
#ifndef THOR_CLI_THEOREM_FLAGS_H_
#define THOR_CLI_THEOREM_FLAGS_H_

#include "absl/status/statusor.h"
#include "proto/thor/v1/thor.pb.h"

namespace thor {

// The theorem from --prover, --statement, --context / --context_file,
// --name, --imports, --theorem_file, --session, --working_directory,
// --allowed_axioms. A --theorem_file of a prover whose module reads theorem
// files on the client is read here and sent as text (cli/local_theorem.h).
absl::StatusOr<v1::Theorem> TheoremFromFlags();

}  // namespace thor

#endif  // THOR_CLI_THEOREM_FLAGS_H_
