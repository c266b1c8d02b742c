// Ready in seconds, on real coqtop + CoqHammer: a cold session starts on a
// coqtop without the hammer warm-up while a hammer-ready one warms up in the
// background; cheap steps do not wait for it, a hammer call that comes
// first waits for it and works, and a pool kept warm is used at once. Every
// coqtop is gone once the backend is. Needs coq and libcoq-hammer (Debian).
#include <signal.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "coq_bridge/coq_backend.h"
#include "common/subprocess.h"
#include "gtest/gtest.h"
#include "tests/testing/processes.h"

namespace thor::coq {
namespace {

// CoqHammer's warm-up took 30-55 s here; on a loaded machine more.
constexpr absl::Duration kWarmUp = absl::Seconds(300);

Theorem Thm(const std::string& statement) {
  Theorem t;
  t.prover = "coq";
  t.name = "t";
  t.statement = statement;
  return t;
}

// The phases a session reported, in order.
struct Phases {
  ProverProgressCallback Callback() {
    return [this](const ProverProgress& p) {
      absl::MutexLock l(&mu);
      seen.push_back(p.phase);
    };
  }
  bool Has(const std::string& phase) {
    absl::MutexLock l(&mu);
    for (const std::string& s : seen) {
      if (s == phase) return true;
    }
    return false;
  }
  absl::Mutex mu;
  std::vector<std::string> seen;
};

CoqConfig Config() {
  CoqConfig config;
  config.spare_processes = 0;  // Only the starts the tests ask for.
  return config;
}

class WarmStartTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(CheckProgramAvailable("coqtop", "apt-get install coq libcoq-hammer").ok())
        << "coqtop is missing: apt-get install coq libcoq-hammer";
  }
  void TearDown() override { EXPECT_EQ(testing::LeftoverChildren(5000), ""); }
};

TEST_F(WarmStartTest, CheapStepsProveWithoutWaitingForTheHammer) {
  CoqBackend backend(Config());
  ASSERT_NE(backend.light_pool(), nullptr);
  auto session = backend.NewSession();
  ASSERT_TRUE(session.ok()) << session.status();
  Phases phases;
  (*session)->SetProgressCallback(phases.Callback());
  absl::StatusOr<ProofState> s0 = (*session)->Start(Thm("forall n : nat, n * 1 = n"),
                                                    absl::Seconds(60));
  ASSERT_TRUE(s0.ok()) << s0.status();
  EXPECT_TRUE(phases.Has("hammer_loading"));
  StepResult r = (*session)->Apply(*s0, "intros n; apply PeanoNat.Nat.mul_1_r.",
                                   absl::Seconds(20));
  EXPECT_EQ(r.kind, StepKind::kProofFinished) << r.message;
  // Proved while the hammer-ready coqtop was still warming up: the session
  // never waited for it.
  EXPECT_EQ(backend.pool().idle(), 0);
  EXPECT_EQ(backend.pool().started(), 1);
  EXPECT_FALSE(phases.Has("hammer_ready"));
  RecheckResult check = backend.Recheck(Thm("forall n : nat, n * 1 = n"), r.state.steps,
                                        absl::Seconds(60));
  EXPECT_EQ(check.verdict, RecheckVerdict::kPassed) << check.message;
}

// The hammer's limit here (390 s, ATPLimit 175) once made it fail now and
// then: CoqHammer gave cvc4 175 ms (the shim on coqtop's PATH, coqtop.h).
TEST_F(WarmStartTest, AHammerCallThatComesFirstWaitsForTheHammerAndWorks) {
  CoqConfig config = Config();
  config.hammer_mode = HammerMode::kNative;
  {
    CoqBackend backend(config);
    auto session = backend.NewSession();
    ASSERT_TRUE(session.ok()) << session.status();
    Phases phases;
    (*session)->SetProgressCallback(phases.Callback());
    const Theorem t = Thm("forall l1 l2 : list nat, length (l1 ++ l2) = length (l2 ++ l1)");
    Theorem with_list = t;
    with_list.imports = {"List"};
    absl::StatusOr<ProofState> s0 = (*session)->Start(with_list, absl::Seconds(60));
    ASSERT_TRUE(s0.ok()) << s0.status();
    EXPECT_TRUE(phases.Has("hammer_loading"));
    StepResult intros = (*session)->Apply(*s0, "intros l1 l2.", absl::Seconds(10));
    ASSERT_EQ(intros.kind, StepKind::kNewState) << intros.message;
    // Before CoqHammer is ready: the call waits for it within its limit.
    ASSERT_EQ(backend.pool().idle(), 0);
    HammerStepResult h = (*session)->Hammer(intros.state, kWarmUp + absl::Seconds(90));
    ASSERT_EQ(h.step.kind, StepKind::kProofFinished) << h.message;
    EXPECT_TRUE(phases.Has("hammer_ready"));
    EXPECT_EQ(backend.light_pool()->idle(), 1);  // The light coqtop went back.
    RecheckResult check = backend.Recheck(with_list, h.step.state.steps, absl::Seconds(60));
    EXPECT_EQ(check.verdict, RecheckVerdict::kPassed) << check.message;
    // The session goes on in the hammer-ready process.
    StepResult again = (*session)->Apply(intros.state, "rewrite !app_length.", absl::Seconds(10));
    EXPECT_EQ(again.kind, StepKind::kNewState) << again.message;
  }
}

TEST_F(WarmStartTest, APoolKeptWarmStartsSessionsOnAHammerReadyProcess) {
  std::vector<pid_t> coqtops;
  {
    CoqBackend backend(Config());
    backend.KeepWarm(1);
    const absl::Time end = absl::Now() + kWarmUp;
    while (backend.pool().idle() < 1 && absl::Now() < end) absl::SleepFor(absl::Seconds(1));
    ASSERT_EQ(backend.pool().idle(), 1) << "no warm coqtop after " << kWarmUp;
    auto session = backend.NewSession();
    ASSERT_TRUE(session.ok()) << session.status();
    Phases phases;
    (*session)->SetProgressCallback(phases.Callback());
    absl::StatusOr<ProofState> s0 = (*session)->Start(Thm("True"), absl::Seconds(60));
    ASSERT_TRUE(s0.ok()) << s0.status();
    EXPECT_TRUE(phases.Has("hammer_ready"));
    EXPECT_FALSE(phases.Has("hammer_loading"));
    EXPECT_EQ(backend.light_pool()->started(), 0);  // No light coqtop needed.
    coqtops.push_back(static_cast<CoqSession*>(session->get())->CoqtopPid());
    // The pool refills in the background: the next session finds one too.
    const absl::Time refilled = absl::Now() + kWarmUp;
    while (backend.pool().idle() < 1 && absl::Now() < refilled) {
      absl::SleepFor(absl::Seconds(1));
    }
    EXPECT_EQ(backend.pool().idle(), 1);
    EXPECT_EQ(backend.pool().started(), 2);
  }
  for (pid_t pid : coqtops) EXPECT_NE(::kill(pid, 0), 0) << "coqtop " << pid << " survived";
}

}  // namespace
}  // namespace thor::coq
