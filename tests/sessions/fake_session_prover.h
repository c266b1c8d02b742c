// A scripted prover for SessionManager tests: sessions that answer steps by
// their text, count what reached them, and can lose their "process",
// block, or wait for an interrupt.
//
// Steps: "fail" is a step error; "done" finishes the proof; "slow" runs
// until interrupted (then kTimeout); anything else reaches a new state
// whose text names the path. The backend refuses "admit".
#ifndef THOR_TESTS_SESSIONS_FAKE_SESSION_PROVER_H_
#define THOR_TESTS_SESSIONS_FAKE_SESSION_PROVER_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "search/prover.h"

namespace thor::testing {

// What every session of one backend shares, for the tests to inspect.
struct FakeProverWorld {
  std::atomic<int> applies{0};     // Apply calls that reached a session.
  std::atomic<int> live{0};        // Sessions not yet destroyed.
  std::atomic<int> interrupts{0};
  std::atomic<int> lose_next{0};   // The next N Apply calls lose the process.
  std::atomic<int> in_apply{0};
  std::atomic<int> max_in_apply{0};
  absl::Duration apply_time = absl::ZeroDuration();  // Real time each Apply takes.
  // Called at the start of each Apply (e.g. a barrier).
  std::function<void()> on_apply;
  absl::Mutex mu;
  std::vector<std::vector<std::string>> rechecked ABSL_GUARDED_BY(mu);
};

class FakeSessionProver : public ProverSession {
 public:
  explicit FakeSessionProver(FakeProverWorld* world) : world_(world) { ++world_->live; }
  ~FakeSessionProver() override { --world_->live; }

  absl::StatusOr<ProofState> Start(const Theorem& theorem, absl::Duration) override {
    ProofState s;
    s.id = "fake-0";
    s.text = "|- " + theorem.statement;
    return s;
  }

  StepResult Apply(const ProofState& from, const std::string& step,
                   absl::Duration) override {
    ++world_->applies;
    const int now = ++world_->in_apply;
    for (int seen = world_->max_in_apply; now > seen;) {
      if (world_->max_in_apply.compare_exchange_weak(seen, now)) break;
    }
    if (world_->on_apply) world_->on_apply();
    if (world_->apply_time > absl::ZeroDuration()) absl::SleepFor(world_->apply_time);
    StepResult r = Outcome(from, step);
    --world_->in_apply;
    return r;
  }

  HammerStepResult Hammer(const ProofState& from, absl::Duration) override {
    HammerStepResult r;
    r.step_text = "hammered";
    r.prover = "fake-atp";
    r.premises = {"lemma_a"};
    r.step.kind = StepKind::kProofFinished;
    r.step.state.steps = from.steps;
    r.step.state.steps.push_back(r.step_text);
    return r;
  }

  void Interrupt() override {
    interrupted_ = true;
    ++world_->interrupts;
  }

 private:
  StepResult Outcome(const ProofState& from, const std::string& step) {
    StepResult r;
    if (world_->lose_next > 0) {
      --world_->lose_next;
      r.kind = StepKind::kProverLost;
      r.message = "the fake process died";
      return r;
    }
    if (step == "slow") {
      const absl::Time give_up = absl::Now() + absl::Seconds(20);
      while (!interrupted_ && absl::Now() < give_up) absl::SleepFor(absl::Milliseconds(2));
      r.kind = StepKind::kTimeout;
      r.message = "interrupted";
      return r;
    }
    if (step == "fail") {
      r.kind = StepKind::kStepError;
      r.message = "Error: no such tactic";
      return r;
    }
    r.kind = step == "done" ? StepKind::kProofFinished : StepKind::kNewState;
    r.state.id = "fake-" + std::to_string(++handles_);
    r.state.steps = from.steps;
    r.state.steps.push_back(step);
    r.state.text = r.kind == StepKind::kProofFinished
                       ? "No more goals."
                       : "|- after " + absl::StrJoin(r.state.steps, " ; ");
    return r;
  }

  FakeProverWorld* const world_;
  std::atomic<bool> interrupted_{false};
  int handles_ = 0;
};

class FakeSessionBackend : public ProverBackend {
 public:
  std::string Name() const override { return "fake"; }
  absl::StatusOr<std::unique_ptr<ProverSession>> NewSession() override {
    return std::unique_ptr<ProverSession>(new FakeSessionProver(&world));
  }
  absl::Status CheckStep(absl::string_view step) const override {
    if (step == "admit") return absl::PermissionDeniedError("admit is a cheat");
    return absl::OkStatus();
  }
  absl::Status ValidateTheorem(const Theorem&) const override { return absl::OkStatus(); }
  RecheckResult Recheck(const Theorem&, const std::vector<std::string>& steps,
                        absl::Duration) override {
    absl::MutexLock lock(&world.mu);
    world.rechecked.push_back(steps);
    RecheckResult r;
    r.verdict = RecheckVerdict::kPassed;
    r.checkers = {"fake-kernel"};
    return r;
  }
  std::string ProofText(const std::vector<std::string>& steps) const override {
    return absl::StrJoin(steps, " ");
  }
  absl::StatusOr<std::vector<std::string>> ParseProofText(absl::string_view) const override {
    return absl::UnimplementedError("unused");
  }

  FakeProverWorld world;
};

}  // namespace thor::testing

#endif  // THOR_TESTS_SESSIONS_FAKE_SESSION_PROVER_H_
