// Client side of "no client decides which server file is read": the CLI and
// `thor eval` read a user's own theorem files here, in the user's process,
// and send their text; a server reads a file only inside its operator's
// theorem_file_root (server/client_paths.h).
#ifndef THOR_CLI_LOCAL_THEOREM_H_
#define THOR_CLI_LOCAL_THEOREM_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "proto/thor/v1/thor.pb.h"

namespace thor {

// Whether theorem files of `prover` are read here, on the client
// (ProverModule::context_from_file), rather than sent as paths.
bool ReadsTheoremFileLocally(const std::string& prover);

// For a prover that ReadsTheoremFileLocally: when `t` names a file_path, the
// context comes from that local file (its text before the statement, as the
// prover's module takes it) unless `t` already has a context, and file_path
// is cleared: the request then names no file. NotFound if the file cannot be
// read, InvalidArgument if the statement is not in it (`t` unchanged then).
// Other provers' theorems are left as they are: their server loads the file
// itself, so the path has to go to it (see RootCovering).
absl::Status InlineTheoremFile(v1::Theorem* t);

// The deepest directory (canonical, symlinks resolved) holding every
// file_path and working_directory that `theorems` name: the
// theorem_file_root an in-process server needs to take them. Empty if none
// names a path; NotFound if one of them does not exist.
absl::StatusOr<std::string> RootCovering(const std::vector<const v1::Theorem*>& theorems);

}  // namespace thor

#endif  // THOR_CLI_LOCAL_THEOREM_H_
