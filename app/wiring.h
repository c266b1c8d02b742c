// Builds the registry of prover backends and policies that a server
// configuration describes: the built-in heuristic policy always; policies
// from config.policies; provers from config.provers (all known provers,
// enabled by default).
#ifndef THOR_APP_WIRING_H_
#define THOR_APP_WIRING_H_

#include <functional>
#include <memory>

#include "absl/status/statusor.h"
#include "server/config.h"
#include "server/registry.h"

namespace thor {

// InvalidArgument naming the config key for a policy or prover it cannot
// build (unknown kind, bad options). A prover whose binaries are missing is
// still registered: its sessions fail with Unavailable saying how to install.
absl::StatusOr<std::shared_ptr<Registry>> BuildRegistry(const ServerConfig& config);

// For binaries built for tests and benchmarks only (tests/eval:thor_sim links
// in the simulated prover of tests/search/sim_prover.h); `thor` itself never
// sets one. Runs in BuildRegistry after the built-in provers and configured
// policies are registered, before the default policy is checked, and may
// replace any of them. Set it before the first BuildRegistry call.
using RegistryHook = std::function<absl::Status(const ServerConfig&, Registry&)>;
void SetRegistryHook(RegistryHook hook);

}  // namespace thor

#endif  // THOR_APP_WIRING_H_
