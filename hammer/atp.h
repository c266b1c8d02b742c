// One ATP run: builds the prover's command line, runs it through
// common/subprocess (own process group, watchdog, no core, memory limit),
// and normalises its answer and used premises (rules and traps from
// shared/reference/atps.md).
#ifndef THOR_HAMMER_ATP_H_
#define THOR_HAMMER_ATP_H_

#include <atomic>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/env.h"
#include "hammer/hammer.h"
#include "hammer/tptp.h"

namespace thor::hammer {

enum class Prover { kE, kCvc5, kCvc4, kSpass, kZ3, kVampire };

// "e", "cvc5", "cvc4", "spass", "z3", "vampire".
const char* ProverName(Prover p);
// InvalidArgument listing the known names if `name` is not one.
absl::StatusOr<Prover> ProverFromName(const std::string& name);
// Every prover Thor knows, strongest first.
std::vector<Prover> AllProvers();
// Whether the prover's binary is on PATH (looked up once per process).
bool ProverInstalled(Prover p);
// "installed: e, cvc5; missing: vampire (not packaged in Debian 12) ..."
std::string ProverAvailabilityReport();

struct AtpOutcome {
  AtpStatus status = AtpStatus::kUnknown;
  std::string szs;  // Normalised SZS name: Theorem, CounterSatisfiable, ...
  // Indices into problem.formulas of the premises the proof used, when
  // the prover told (proved only); `core_known` false means it did not.
  std::vector<int> used;
  bool core_known = false;
  absl::Duration elapsed;
  std::string message;  // For errors and unknowns: what happened.
};

// Parses a finished run's output (exposed for tests on canned output).
// `premises` are the indices the prover was given.
AtpOutcome ParseAtpOutput(Prover p, const std::string& out, int exit_code, int term_signal,
                          bool timed_out, const std::vector<int>& premises);

// Runs `p` on `premises` of `problem` (and its goals) for at most
// `timeout` wall time, stopping early when `*cancel` becomes true.
// `extra_args` are appended to the prover's command line. The process runs
// through `env` (null: Env::Default()). Never returns a
// proof the prover did not claim; failures to start are status kError.
AtpOutcome RunAtp(Prover p, const Problem& problem, const std::vector<int>& premises,
                  absl::Duration timeout, const std::vector<std::string>& extra_args,
                  const std::atomic<bool>* cancel, Env* env = nullptr);

}  // namespace thor::hammer

#endif  // THOR_HAMMER_ATP_H_
