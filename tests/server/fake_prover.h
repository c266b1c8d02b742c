// A tiny scripted prover for the server's tests: each session owns a real
// child process (`sleep`), so tests can check that cancelled requests leave
// none behind. Steps: "close" finishes the proof, "fail" is a step error,
// "hang" runs until its time limit or an interrupt, anything else leads to a
// new state. The hammer closes every goal with "closed_by_hammer".
#ifndef THOR_TESTS_SERVER_FAKE_PROVER_H_
#define THOR_TESTS_SERVER_FAKE_PROVER_H_

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "search/prover.h"

namespace thor::testing {

struct FakeProverOptions {
  absl::Duration start_latency = absl::ZeroDuration();  // Session::Start.
  absl::Duration step_latency = absl::ZeroDuration();   // Each Apply / Hammer.
  bool spawn_child = true;  // Start a `sleep` child per session.
  bool hammer_hangs = false;  // Hammer runs until its time limit or an interrupt.
};

class FakeProverBackend : public ProverBackend {
 public:
  explicit FakeProverBackend(FakeProverOptions options = {}) : options_(options) {}
  std::string Name() const override { return "fake"; }
  absl::StatusOr<std::unique_ptr<ProverSession>> NewSession() override;
  // Passes iff the last step is "close" or "closed_by_hammer" and no step is
  // "fail".
  RecheckResult Recheck(const Theorem& theorem, const std::vector<std::string>& steps,
                        absl::Duration timeout) override;
  std::string ProofText(const std::vector<std::string>& steps) const override;
  absl::Status CheckStep(absl::string_view step) const override;
  absl::Status ValidateTheorem(const Theorem& theorem) const override;
  absl::StatusOr<std::vector<std::string>> ParseProofText(
      absl::string_view text) const override;

  int sessions_started() const { return sessions_started_.load(); }
  int sessions_alive() const { return sessions_alive_.load(); }
  int interrupts() const { return interrupts_.load(); }
  // The theorem of the last ValidateTheorem call (every RPC makes one), as
  // the service handed it to the backend.
  Theorem last_theorem() const {
    absl::MutexLock lock(&mu_);
    return last_theorem_;
  }

 private:
  friend class FakeSession;
  const FakeProverOptions options_;
  std::atomic<int> sessions_started_{0};
  std::atomic<int> sessions_alive_{0};
  std::atomic<int> interrupts_{0};
  mutable absl::Mutex mu_;
  mutable Theorem last_theorem_ ABSL_GUARDED_BY(mu_);
};

}  // namespace thor::testing

#endif  // THOR_TESTS_SERVER_FAKE_PROVER_H_
