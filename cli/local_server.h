// The configuration of the in-process server of `thor prove/suggest/check`
// (no --server) and of `thor eval --servers=in-process`.
#ifndef THOR_CLI_LOCAL_SERVER_H_
#define THOR_CLI_LOCAL_SERVER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "proto/thor/v1/thor.pb.h"
#include "server/config.h"

namespace thor {

// ServerConfigFromFlags() listening on `listen` ("": in-process channel
// only), with the caller's `token`. Unless a theorem_file_root is
// configured, it gets RootCovering(`theorems`): the paths are the user's
// own, named on this machine, so the server may read that folder (theory
// files and working directories; a file the client reads for its prover is
// not named). A named path that does not exist is the error; or, when
// `no_root` is given, stored there (the server then reads no theorem file).
absl::StatusOr<ServerConfig> LocalServerConfig(const std::string& listen,
                                               const std::string& token,
                                               const std::vector<const v1::Theorem*>& theorems,
                                               absl::Status* no_root);

}  // namespace thor

#endif  // THOR_CLI_LOCAL_SERVER_H_
