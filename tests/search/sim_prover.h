// A simulated prover backend and a simulated model policy over a SimWorld,
// with seeded latency distributions and fault injection. For tests, for the
// server's load test and for bench/search_sim. Sleeps are interruptible
// (ProverSession::Interrupt, PolicyQuery::cancel).
#ifndef THOR_TESTS_SEARCH_SIM_PROVER_H_
#define THOR_TESTS_SEARCH_SIM_PROVER_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "search/policy.h"
#include "search/prover.h"
#include "tests/search/sim_world.h"

namespace thor::testing {

struct SimProverOptions {
  uint64_t seed = 1;                // Seeds every latency draw.
  Latency start;                    // ProverSession::Start.
  Latency step;                     // One Apply.
  Latency hammer;                   // One Hammer call.
  Latency recheck;                  // One Recheck.
  // Every n-th Apply/Hammer (counted over the backend) returns kProverLost
  // and the session carries on (a replaced process). 0: never.
  int lose_every = 0;
  // After this many Apply/Hammer calls, every call returns kProverLost (the
  // prover is gone for good). 0: never.
  int dead_after = 0;
  // NewSession fails with Unavailable carrying this message, if set.
  std::string unavailable;
  bool recheck_rejects = false;     // Recheck says kFailed.
  // A call interrupted or cut at its limit returns this much later (never
  // after it would have ended by itself): coqtop answers the SIGINT that
  // enforces a limit late on a busy machine.
  absl::Duration interrupt_delay = absl::ZeroDuration();
};

// Counters the tests read.
struct SimCounters {
  std::atomic<int> sessions{0};
  std::atomic<int> applies{0};
  std::atomic<int> hammers{0};
  std::atomic<int> interrupts{0};
  std::atomic<int> rechecks{0};
  std::atomic<int> in_flight{0};
  std::atomic<int> max_in_flight{0};
};

class SimProverBackend : public ProverBackend {
 public:
  SimProverBackend(std::shared_ptr<const SimWorld> world,
                   SimProverOptions options);

  std::string Name() const override { return "sim"; }
  absl::StatusOr<std::unique_ptr<ProverSession>> NewSession() override;
  // Replays `steps` through the world (the hammer step text is accepted when
  // the world's hammer proves the state it is applied to).
  RecheckResult Recheck(const Theorem& theorem,
                        const std::vector<std::string>& steps,
                        absl::Duration timeout) override;
  // The steps joined with "\n".
  std::string ProofText(const std::vector<std::string>& steps) const override;
  absl::Status CheckStep(absl::string_view step) const override;
  absl::Status ValidateTheorem(const Theorem& theorem) const override;
  absl::StatusOr<std::vector<std::string>> ParseProofText(
      absl::string_view text) const override;

  const SimCounters& counters() const { return counters_; }

 private:
  friend class SimSession;
  std::shared_ptr<const SimWorld> world_;
  SimProverOptions options_;
  SimCounters counters_;
  std::atomic<int> calls_{0};
};

struct SimPolicyOptions {
  uint64_t seed = 1;
  Latency latency;           // One query.
  // Every n-th query fails with this status (code kOk: never).
  int fail_every = 0;
  absl::Status failure = absl::UnavailableError("sim model: connection refused");
};

// Proposes SimWorld::Propose(state, n, query.seed), merged (best logprob) and
// sorted best first, after a sampled latency. DeadlineExceeded if the latency
// exceeds the deadline (after waiting the deadline); Cancelled if
// query.cancel turns true while waiting.
class SimPolicy : public Policy {
 public:
  SimPolicy(std::shared_ptr<const SimWorld> world, SimPolicyOptions options);
  std::string Name() const override { return "sim"; }
  absl::StatusOr<std::vector<Candidate>> Propose(const PolicyQuery& query,
                                                 absl::Duration deadline) override;
  int queries() const { return queries_.load(); }
  int max_in_flight() const { return max_in_flight_.load(); }

 private:
  std::shared_ptr<const SimWorld> world_;
  SimPolicyOptions options_;
  std::atomic<int> queries_{0};
  std::atomic<int> in_flight_{0};
  std::atomic<int> max_in_flight_{0};
  absl::Mutex mu_;
  std::mt19937_64 gen_ ABSL_GUARDED_BY(mu_);
};

}  // namespace thor::testing

#endif  // THOR_TESTS_SEARCH_SIM_PROVER_H_
