// thor_sim: the `thor` binary with a simulated prover linked in, for tests and
// benchmarks that need several real `thor serve` processes but no Coq, no
// model and little CPU (tests/eval/eval_servers_test, bench/eval_scale).
// Built only as a test binary; `thor` has no simulated mode.
//
// `thor_sim serve ...` runs `thor serve`'s own code (gRPC service, admission,
// best-first search, re-check, JSON logs, metrics, SIGTERM drain) unchanged,
// except that through app/wiring.h's registry hook:
//   - the prover "coq" is the simulated backend of tests/search/sim_prover.h
//     over a SyntheticWorld (statements "sim depth=<k> id=<x>", see
//     tests/search/sim_world.h; the name "coq" keeps Coq's step filter), and
//   - the policy "sim" is the simulated model (pass --default_policy=sim).
// Latencies are read from $THOR_SIM, a JSON object (all optional, ms):
//   {"start_ms": 2, "model_ms": 20, "step_ms": 5, "hammer_ms": 50,
//    "recheck_ms": 5, "seed": 1}
// model/step/hammer latencies are uniform in [x/2, 3x/2); start and recheck
// are fixed.
#include <cstdlib>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "app/wiring.h"
#include "cli/cli.h"
#include "tests/search/sim_prover.h"

namespace {

using thor::testing::Latency;

absl::Duration Ms(double ms) { return absl::Microseconds(static_cast<int64_t>(ms * 1000)); }

absl::Status AddSim(const thor::ServerConfig&, thor::Registry& registry) {
  const char* env = std::getenv("THOR_SIM");
  nlohmann::json o = nlohmann::json::parse(env != nullptr ? env : "{}", nullptr, false);
  if (!o.is_object()) return absl::InvalidArgumentError("$THOR_SIM: not a JSON object");
  for (auto it = o.begin(); it != o.end(); ++it) {
    if (!it.value().is_number()) {
      return absl::InvalidArgumentError(absl::StrCat("$THOR_SIM.", it.key(), ": not a number"));
    }
  }
  auto get = [&](const char* key, double def) { return o.value(key, def); };
  auto world = std::make_shared<thor::testing::SyntheticWorld>();
  thor::testing::SimProverOptions prover;
  prover.seed = static_cast<uint64_t>(get("seed", 1));
  prover.start = Latency::Fixed(Ms(get("start_ms", 2)));
  auto uniform = [&](const char* key, double def) {
    double ms = get(key, def);
    return Latency::Uniform(Ms(ms / 2), Ms(ms * 1.5));
  };
  prover.step = uniform("step_ms", 5);
  prover.hammer = uniform("hammer_ms", 50);
  prover.recheck = Latency::Fixed(Ms(get("recheck_ms", 5)));
  registry.AddBackend("coq", std::make_shared<thor::testing::SimProverBackend>(world, prover));
  thor::testing::SimPolicyOptions model;
  model.seed = prover.seed;
  model.latency = uniform("model_ms", 20);
  registry.AddPolicy("sim", std::make_shared<thor::testing::SimPolicy>(world, model));
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  thor::SetRegistryHook(AddSim);
  return thor::RunCli(argc, argv, thor::BuildRegistry);
}
