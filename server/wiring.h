// Builds the registry of prover backends and policies that a server
// configuration describes: the built-in heuristic policy always; policies
// from config.policies; provers from config.provers (all known provers,
// enabled by default).
#ifndef THOR_SERVER_WIRING_H_
#define THOR_SERVER_WIRING_H_

#include <memory>

#include "absl/status/statusor.h"
#include "server/config.h"
#include "server/registry.h"

namespace thor {

// InvalidArgument naming the config key for a policy or prover it cannot
// build (unknown kind, bad options). A prover whose binaries are missing is
// still registered: its sessions fail with Unavailable saying how to install.
absl::StatusOr<std::shared_ptr<Registry>> BuildRegistry(const ServerConfig& config);

}  // namespace thor

#endif  // THOR_SERVER_WIRING_H_
