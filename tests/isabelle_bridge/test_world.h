// Shared set-up for the bridge's tests: a scripted world around MiniF2F's
// mathd_algebra_17 and a backend connected to in-process fake PISA servers.
#ifndef THOR_TESTS_ISABELLE_BRIDGE_TEST_WORLD_H_
#define THOR_TESTS_ISABELLE_BRIDGE_TEST_WORLD_H_

#include <memory>
#include <string>
#include <vector>

#include "isabelle_bridge/backend.h"
#include "search/types.h"
#include "tests/isabelle_bridge/fake_pisa_service.h"

namespace thor::isabelle::testing {

inline constexpr char kInitial[] = "proof (prove)\ngoal (1 subgoal):\n 1. a = 8";
// The word "error" inside a goal must not look like a failure.
inline constexpr char kSimplified[] = "proof (prove)\ngoal (1 subgoal):\n 1. error_free a";

// The world's JSON: mathd_algebra_17 with scripted steps, a native hammer
// result, a TPTP export and the facts metis needs. `version` "2021"/"2022".
std::string WorldJson(const std::string& version, bool hammer_finds_proof = true);

// MiniF2F's mathd_algebra_17 (openai copy) as loaded by the suite loader.
Theorem MathdAlgebra17();

// `n` in-process fake servers of `world` and a backend connected to them.
struct Rig {
  std::vector<fake::RunningFakePisa> fakes;
  std::unique_ptr<IsabelleBackend> backend;
};
Rig MakeRig(const std::string& world_json, int n, IsabelleConfig config = IsabelleConfig());

}  // namespace thor::isabelle::testing

#endif  // THOR_TESTS_ISABELLE_BRIDGE_TEST_WORLD_H_
