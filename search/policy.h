// Policy: where candidate proof steps come from (a language model, or the
// built-in heuristic list). Implemented by lm_client/.
#ifndef THOR_SEARCH_POLICY_H_
#define THOR_SEARCH_POLICY_H_

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "search/search_result.h"
#include "search/types.h"

namespace thor {

// One candidate next step.
struct Candidate {
  std::string step;       // Step text, or the hammer token.
  double logprob = 0.0;   // Log-probability under the policy (<= 0).
  bool is_hammer = false; // True if `step` is the hammer token.
  // Step limits the step may take (SearchConfig::step_timeout each): more
  // than 1 for several steps run as one, such as the rest of a neighbour's
  // proof (KnnPolicy). The search takes it between 1 and kMaxTimeUnits.
  int time_units = 1;
  static constexpr int kMaxTimeUnits = 16;
};

// What the policy is asked.
struct PolicyQuery {
  const Theorem* theorem = nullptr;  // The theorem being proved.
  std::string state_text;            // Current goals as the prover prints them.
  std::string last_step;             // The most recent step (Thor's context).
  int n = 32;                        // How many samples to draw.
  double temperature = 1.2;
  uint64_t seed = 0;                 // For reproducible sampling (0: any).
  std::string hammer_token = "<hammer>";
  // When non-null and it becomes true, the policy may give up early and
  // return Cancelled (the search found a proof or was cancelled).
  const std::atomic<bool>* cancel = nullptr;
};

class Policy;

// A policy's probe phase (Policy::Probe): before the search proper,
// RunBestFirstSearch runs a search with `policy` alone for `time` (counted
// from when the theorem is loaded, within the whole wall time), each step
// under `step_timeout`; what it does not prove, the usual search then tries
// with the rest of the wall time and of the query budget.
//
// `alongside`: the probe runs on a session of its own at the same time as
// the search proper, which then has the whole wall time (the two cores: the
// probe's steps keep one prover busy while the other runs the cheap
// automation and the hammer) and the half of the query budget the probe
// does not get; the first proof the re-check passes ends both.
struct PolicyProbe {
  Policy* policy = nullptr;  // Owned by the policy that returned it.
  absl::Duration time;
  absl::Duration step_timeout;
  bool alongside = false;
};

class Policy {
 public:
  virtual ~Policy() = default;

  // A short name for logs and results ("heuristic", "openai:<model>", ...).
  virtual std::string Name() const = 0;

  // Returns up to `query.n` distinct candidates, best first, within
  // `deadline`. Identical samples are merged keeping the best
  // log-probability. Unavailable if the model backend cannot be reached,
  // DeadlineExceeded if it did not answer in time.
  // Thread-safe: the search keeps several queries in flight.
  virtual absl::StatusOr<std::vector<Candidate>> Propose(
      const PolicyQuery& query, absl::Duration deadline) = 0;

  // Online learning (opt-in by the policy): if true, the search keeps the
  // states of its tree so that a proof's steps come with the goals before
  // them (FoundStep::state_before), and calls LearnFromProof with every
  // proof the kernel re-check passed, before the search returns.
  virtual bool LearnsFromProofs() const { return false; }
  // Thread-safe; searches on other threads may be proposing meanwhile.
  virtual void LearnFromProof(const Theorem& /*theorem*/,
                              const std::vector<FoundStep>& /*proof*/) {}

  // The probe phase, if the policy has one (opt-in; e.g. the k-NN policy's
  // learned steps alone under a short step limit, which are cheap to try and
  // reach depth before costly automation takes the budget).
  virtual std::optional<PolicyProbe> Probe() { return std::nullopt; }
};

}  // namespace thor

#endif  // THOR_SEARCH_POLICY_H_
