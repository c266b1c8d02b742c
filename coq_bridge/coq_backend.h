// CoqBackend: the ProverBackend for Coq (coqtop + CoqHammer from Debian).
//
//   thor::coq::CoqBackend coq(config);
//   auto session = coq.NewSession();            // a warm coqtop from the pool
//   auto s0 = (*session)->Start(theorem, absl::Seconds(60));
//   auto r = (*session)->Apply(*s0, "intros.", absl::Seconds(10));
//   auto check = coq.Recheck(theorem, steps, absl::Seconds(60));  // coqc
#ifndef THOR_COQ_BRIDGE_COQ_BACKEND_H_
#define THOR_COQ_BRIDGE_COQ_BACKEND_H_

#include <memory>
#include <string>
#include <vector>

#include "coq_bridge/coq_config.h"
#include "coq_bridge/coq_session.h"
#include "coq_bridge/coqtop_pool.h"
#include "search/prover.h"

namespace thor::coq {

class CoqBackend : public ProverBackend {
 public:
  // `atp` runs the external hammer's portfolio (see MakeHammerAtpRunner);
  // may be empty when config.hammer_mode is kNative.
  explicit CoqBackend(CoqConfig config = CoqConfig(), AtpRunner atp = nullptr);
  ~CoqBackend() override;

  std::string Name() const override { return "coq"; }
  // Unavailable (with the apt-get line) if coqtop is not installed.
  absl::StatusOr<std::unique_ptr<ProverSession>> NewSession() override;
  // Keeps `processes` hammer-ready coqtops idle in the pool from now on.
  void KeepWarm(int processes) override;
  // The kernel decides (see coq_kernel.h): refuses steps CheckStep refuses,
  // then compiles a file of Thor's own with coqc (prelude, imports, context,
  // hammer import, the statement, "Proof. <steps> Qed.", a check lemma
  // restating the statement, the blocks the context left open closed), reads
  // `Print Assumptions` of the check lemma between nonce markers and runs
  // coqchk on the compiled library, under the sandbox of config().sandbox.
  // kPassed only if all three accept and every assumption is in
  // theorem.allowed_axioms; kFailed says why; kError if a checker cannot run.
  RecheckResult Recheck(const Theorem& theorem, const std::vector<std::string>& steps,
                        absl::Duration timeout) override;
  std::string ProofText(const std::vector<std::string>& steps) const override;
  absl::Status CheckStep(absl::string_view step) const override;
  absl::Status ValidateTheorem(const Theorem& theorem) const override;
  absl::StatusOr<std::vector<std::string>> ParseProofText(
      absl::string_view text) const override;
  // coqtop's goal display read by ParseCoqGoals (coq_goals.h).
  std::vector<StructuredGoal> ParseGoals(const std::string& state_text) const override;

  // The complete .v text Recheck compiles (with a fresh nonce). Errors as
  // ResolveContext and BuildKernelCheckFile.
  absl::StatusOr<std::string> RecheckFile(const Theorem& theorem,
                                          const std::vector<std::string>& steps) const;

  // Starts up to `processes` coqtops into the pool now (each pays the
  // hammer warm-up), so sessions started later find them ready. Returns the
  // first start error.
  absl::Status Prewarm(int processes, absl::Duration timeout);

  const CoqConfig& config() const { return config_; }
  CoqtopPool& pool() { return *pool_; }
  // Coqtops without the hammer warm-up (config.light_start); null if the
  // pool's own processes have none either.
  CoqtopPool* light_pool() { return light_pool_.get(); }

 private:
  const CoqConfig config_;
  const AtpRunner atp_;
  std::unique_ptr<CoqtopPool> pool_;
  std::unique_ptr<CoqtopPool> light_pool_;
};

}  // namespace thor::coq

#endif  // THOR_COQ_BRIDGE_COQ_BACKEND_H_
