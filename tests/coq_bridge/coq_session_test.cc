// CoqSession / CoqBackend against the real coqtop and coqc (Debian's coq
// and libcoq-hammer). One backend (one warm coqtop pool) is shared by the
// whole file; the last test checks that nothing is left running.
#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <atomic>
#include <thread>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "common/subprocess.h"
#include "coq_bridge/coq_backend.h"
#include "gtest/gtest.h"
#include "tests/testing/paths.h"
#include "tests/testing/processes.h"

namespace thor::coq {
namespace {

const absl::Duration kStart = absl::Seconds(60);

// True once `pid` (our child, not yet reaped) has exited.
bool IsZombie(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  size_t paren = text.rfind(')');
  return paren == std::string::npos || paren + 2 >= text.size() || text[paren + 2] == 'Z';
}
const absl::Duration kStep = absl::Seconds(10);

class CoqSessionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_TRUE(CheckProgramAvailable("coqtop", "apt-get install coq libcoq-hammer").ok())
        << "coqtop is missing: apt-get install coq libcoq-hammer (scripts/bootstrap)";
    CoqConfig config;
    config.max_idle_processes = 2;
    config.warm_hammer = false;  // Restarts stay cheap; one hammer test pays extraction.
    backend_ = new CoqBackend(config);
  }
  static void TearDownTestSuite() {
    delete backend_;
    backend_ = nullptr;
  }

  static Theorem Thm(const std::string& statement, const std::string& name = "t") {
    Theorem t;
    t.prover = "coq";
    t.name = name;
    t.statement = statement;
    return t;
  }

  std::unique_ptr<ProverSession> NewSession() {
    auto s = backend_->NewSession();
    EXPECT_TRUE(s.ok()) << s.status();
    return std::move(*s);
  }

  static CoqBackend* backend_;
};
CoqBackend* CoqSessionTest::backend_ = nullptr;

TEST_F(CoqSessionTest, ProvesStepByStepAndRecheckJudgesTheProof) {
  Theorem thm = Thm("forall n : nat, n + 0 = n", "add_0_r'");
  auto session = NewSession();
  absl::StatusOr<ProofState> s0 = session->Start(thm, kStart);
  ASSERT_TRUE(s0.ok()) << s0.status();
  EXPECT_TRUE(absl::StrContains(s0->text, "forall n : nat, n + 0 = n")) << s0->text;
  StepResult r1 = session->Apply(*s0, "intros n", kStep);  // No period: one is added.
  ASSERT_EQ(r1.kind, StepKind::kNewState) << r1.message;
  EXPECT_EQ(r1.state.steps, std::vector<std::string>{"intros n"});
  EXPECT_TRUE(absl::StrContains(r1.state.text, "n + 0 = n")) << r1.state.text;
  StepResult r2 = session->Apply(r1.state, "induction n; simpl; auto.", kStep);
  ASSERT_EQ(r2.kind, StepKind::kProofFinished) << r2.message << r2.state.text;
  ASSERT_EQ(r2.state.steps.size(), 2u);

  RecheckResult good = backend_->Recheck(thm, r2.state.steps, absl::Seconds(60));
  EXPECT_EQ(good.verdict, RecheckVerdict::kPassed) << good.message;
  RecheckResult bad = backend_->Recheck(thm, {"intros n.", "reflexivity."}, absl::Seconds(60));
  EXPECT_EQ(bad.verdict, RecheckVerdict::kFailed) << bad.message;
  EXPECT_TRUE(absl::StrContains(bad.message, "coqc")) << bad.message;
  RecheckResult cheat = backend_->Recheck(thm, {"admit."}, absl::Seconds(60));
  EXPECT_EQ(cheat.verdict, RecheckVerdict::kFailed) << cheat.message;
  EXPECT_TRUE(absl::StrContains(backend_->ProofText(r2.state.steps), "intros n.\n"));
}

TEST_F(CoqSessionTest, ErrorsRefusalsAndBranchingKeepStatesUsable) {
  auto session = NewSession();
  absl::StatusOr<ProofState> s0 = session->Start(Thm("forall a b : bool, andb a b = andb b a"), kStart);
  ASSERT_TRUE(s0.ok()) << s0.status();
  StepResult bad = session->Apply(*s0, "apply no_such_lemma.", kStep);
  EXPECT_EQ(bad.kind, StepKind::kStepError);
  EXPECT_TRUE(absl::StrContains(bad.message, "no_such_lemma")) << bad.message;
  StepResult syntax = session->Apply(*s0, "intros ((.", kStep);
  EXPECT_EQ(syntax.kind, StepKind::kStepError) << syntax.message;
  StepResult comment = session->Apply(*s0, "intros (* unterminated", kStep);
  EXPECT_EQ(comment.kind, StepKind::kStepError) << comment.message;
  for (const char* cheat : {"admit.", "Admitted.", "Abort.", "Qed.", "Axiom x : False.",
                            "Load \"/etc/passwd\".", "Drop.", "Declare ML Module \"x\".",
                            "Check thor_sentinel_1.",
                            // coqtop reads ".(" as a token, then runs the Axiom.
                            "auto.(* . Axiom x : False. *)", "auto.\xc2\xa0" "Axiom x : False."}) {
    StepResult r = session->Apply(*s0, cheat, kStep);
    EXPECT_EQ(r.kind, StepKind::kRefused) << cheat << ": " << r.message;
  }
  // A forged state whose path holds a command is refused, not replayed.
  ProofState forged = *s0;
  forged.id = "forged";
  forged.steps = {"intros a b.", "Axiom x : False."};
  EXPECT_EQ(session->Apply(forged, "auto.", kStep).kind, StepKind::kRefused);
  // Partial progress is undone: the first sentence works, the second fails.
  StepResult partial = session->Apply(*s0, "intros a b. apply no_such_lemma.", kStep);
  EXPECT_EQ(partial.kind, StepKind::kStepError);
  // Two branches from the same state, then back to the first one.
  StepResult a = session->Apply(*s0, "intros a b.", kStep);
  ASSERT_EQ(a.kind, StepKind::kNewState) << a.message;
  StepResult b = session->Apply(*s0, "intro a.", kStep);
  ASSERT_EQ(b.kind, StepKind::kNewState) << b.message;
  StepResult a2 = session->Apply(a.state, "destruct a; destruct b; reflexivity.", kStep);
  EXPECT_EQ(a2.kind, StepKind::kProofFinished) << a2.message;
  // A state from this session replayed in another session.
  auto other = NewSession();
  ASSERT_TRUE(other->Start(Thm("forall a b : bool, andb a b = andb b a"), kStart).ok());
  StepResult o = other->Apply(b.state, "intro c; destruct a; destruct c; reflexivity.", kStep);
  EXPECT_EQ(o.kind, StepKind::kProofFinished) << o.message;
  EXPECT_EQ(o.state.steps.size(), 2u);
}

TEST_F(CoqSessionTest, LoopingStepTimesOutAndSessionRecovers) {
  auto session = NewSession();
  absl::StatusOr<ProofState> s0 = session->Start(Thm("forall n m : nat, n + m = m + n"), kStart);
  ASSERT_TRUE(s0.ok()) << s0.status();
  absl::Time t0 = absl::Now();
  StepResult loop = session->Apply(*s0, "intros n m. repeat rewrite PeanoNat.Nat.add_comm.",
                                   absl::Seconds(2));
  EXPECT_EQ(loop.kind, StepKind::kTimeout) << loop.message;
  EXPECT_LT(absl::Now() - t0, absl::Seconds(8));
  StepResult ok = session->Apply(*s0, "intros n m; apply PeanoNat.Nat.add_comm.", kStep);
  EXPECT_EQ(ok.kind, StepKind::kProofFinished) << ok.message;
}

TEST_F(CoqSessionTest, KilledCoqtopIsReplaced) {
  auto session = NewSession();
  absl::StatusOr<ProofState> s0 = session->Start(Thm("forall n : nat, 0 + n = n"), kStart);
  ASSERT_TRUE(s0.ok()) << s0.status();
  StepResult r1 = session->Apply(*s0, "intros n.", kStep);
  ASSERT_EQ(r1.kind, StepKind::kNewState);
  auto* coq = static_cast<CoqSession*>(session.get());
  // Killed between steps: the next step restarts coqtop and replays.
  pid_t first = coq->CoqtopPid();
  ASSERT_GT(first, 0);
  ::kill(first, SIGKILL);
  // Let the death be seen: a killed coqtop (a large heap) can take a while
  // to become a zombie on a loaded machine.
  for (int i = 0; i < 100 && !IsZombie(first); ++i) absl::SleepFor(absl::Milliseconds(50));
  StepResult r2 = session->Apply(r1.state, "reflexivity.", kStep);
  EXPECT_EQ(r2.kind, StepKind::kProofFinished) << r2.message;
  EXPECT_NE(coq->CoqtopPid(), first);
  // Killed during a step: kProverLost, then usable again.
  pid_t second = coq->CoqtopPid();
  ASSERT_GT(second, 0);  // Never kill(-1, ...).
  std::thread killer([second] {
    absl::SleepFor(absl::Seconds(1));
    ::kill(second, SIGKILL);
  });
  StepResult lost = session->Apply(r1.state, "repeat (assert True by trivial).", kStep);
  killer.join();
  EXPECT_EQ(lost.kind, StepKind::kProverLost) << lost.message;
  StepResult r3 = session->Apply(r1.state, "simpl. reflexivity.", kStep);
  EXPECT_EQ(r3.kind, StepKind::kProofFinished) << r3.message;
}

TEST_F(CoqSessionTest, HungCoqtopIsKilledAndTheSpareTakesOver) {
  auto session = NewSession();
  absl::StatusOr<ProofState> s0 = session->Start(Thm("forall n : nat, n * 1 = n"), kStart);
  ASSERT_TRUE(s0.ok()) << s0.status();
  auto* coq = static_cast<CoqSession*>(session.get());
  const pid_t hung = coq->CoqtopPid();
  ASSERT_GT(hung, 0);  // Never kill(-1, ...).
  // Stopped, coqtop answers neither the step nor its interrupt: it must be
  // killed at the limit plus the grace period, and replaced.
  std::thread stopper([hung] {
    absl::SleepFor(absl::Milliseconds(500));
    ::kill(hung, SIGSTOP);
  });
  absl::Time t0 = absl::Now();
  StepResult r = session->Apply(*s0, "repeat (assert True by trivial).", absl::Seconds(2));
  stopper.join();
  EXPECT_EQ(r.kind, StepKind::kTimeout) << r.message;
  EXPECT_TRUE(absl::StrContains(r.message, "killed")) << r.message;
  EXPECT_LT(absl::Now() - t0, absl::Seconds(10));
  EXPECT_NE(::kill(hung, 0), 0) << "the hung coqtop is still there";
  const int started = backend_->pool().started();
  StepResult ok = session->Apply(*s0, "intros n; apply PeanoNat.Nat.mul_1_r.", kStep);
  EXPECT_EQ(ok.kind, StepKind::kProofFinished) << ok.message;
  EXPECT_NE(coq->CoqtopPid(), hung);
  // The replacement came from the pool's spare, not from a start on the
  // session's clock; the pool starts the next spare in the background.
  EXPECT_LE(backend_->pool().started(), started + 1);
}

// Interrupt() on a coqtop that cannot answer (stopped here; under
// system() coqtop ignores SIGINT): the call is cut the grace period after
// the SIGINT, not at its own limit a minute later, and the process killed.
TEST_F(CoqSessionTest, AnInterruptNotAnsweredKillsWithinTheGracePeriod) {
  auto session = NewSession();
  absl::StatusOr<ProofState> s0 = session->Start(Thm("True"), kStart);
  ASSERT_TRUE(s0.ok()) << s0.status();
  auto* coq = static_cast<CoqSession*>(session.get());
  const pid_t hung = coq->CoqtopPid();
  ASSERT_GT(hung, 0);  // Never kill(-1, ...).
  std::thread stopper([&session, hung] {
    absl::SleepFor(absl::Milliseconds(500));
    ::kill(hung, SIGSTOP);
    absl::SleepFor(absl::Milliseconds(500));
    session->Interrupt();
  });
  const absl::Time t0 = absl::Now();
  StepResult r = session->Apply(*s0, "repeat (assert True by trivial).", absl::Seconds(60));
  stopper.join();
  const absl::Duration took = absl::Now() - t0;
  EXPECT_EQ(r.kind, StepKind::kTimeout) << r.message;
  EXPECT_TRUE(absl::StrContains(r.message, "did not answer its interrupt")) << r.message;
  EXPECT_GE(took, absl::Seconds(3)) << "the 3 s grace period";
  EXPECT_LT(took, absl::Seconds(8)) << r.message;
  EXPECT_NE(::kill(hung, 0), 0) << "the stopped coqtop is still there";
  EXPECT_EQ(session->Apply(*s0, "exact I.", kStep).kind, StepKind::kProofFinished);
}

TEST_F(CoqSessionTest, InterruptStopsARunningStep) {
  auto session = NewSession();
  absl::StatusOr<ProofState> s0 = session->Start(Thm("True"), kStart);
  ASSERT_TRUE(s0.ok()) << s0.status();
  std::thread stopper([&session] {
    absl::SleepFor(absl::Seconds(1));
    session->Interrupt();
  });
  absl::Time t0 = absl::Now();
  StepResult r = session->Apply(*s0, "repeat (assert True by trivial).", absl::Seconds(30));
  stopper.join();
  EXPECT_EQ(r.kind, StepKind::kTimeout) << r.message;
  EXPECT_LT(absl::Now() - t0, absl::Seconds(6));
  auto* coq = static_cast<CoqSession*>(session.get());
  const pid_t pid = coq->CoqtopPid();
  EXPECT_EQ(session->Apply(*s0, "exact I.", kStep).kind, StepKind::kProofFinished);
  // A search re-sends interrupts until its sessions are idle: one that
  // arrives after the step has ended must not fail the BackTo that the next
  // step needs (the process would be dropped and a warm-up paid).
  std::atomic<bool> stop{false};
  std::thread spammer([&] {
    while (!stop) {
      session->Interrupt();
      absl::SleepFor(absl::Milliseconds(1));
    }
  });
  int finished = 0;
  for (int i = 0; i < 40; ++i) {
    // Each step starts from s0: a BackTo first, which interrupts must not hit.
    StepKind k = session->Apply(*s0, "idtac.", kStep).kind;
    finished += k == StepKind::kNewState;
    EXPECT_TRUE(k == StepKind::kNewState || k == StepKind::kTimeout) << StepKindName(k);
  }
  stop = true;
  spammer.join();
  StepResult again = session->Apply(*s0, "split.", kStep);
  EXPECT_EQ(again.kind, StepKind::kProofFinished) << again.message;
  EXPECT_EQ(coq->CoqtopPid(), pid) << "the coqtop was replaced (" << finished << " steps done)";
}

// Coqtop::RunStep sends no SIGINT once the step's own units have answered:
// what follows (here a sentence that takes a second by Coq's own Timeout;
// in a session, `Show.` and the sentinel) runs to its end, where Run
// interrupts it. (A SIGINT that lands while coqtop prints a reply kills it.)
TEST_F(CoqSessionTest, RunStepInterruptsOnlyTheStepItself) {
  const std::string text =
      "idtac.\nFail Timeout 1 repeat (assert True by trivial).";
  for (bool step : {true, false}) {
    absl::StatusOr<std::unique_ptr<Coqtop>> coq =
        Coqtop::Start(CoqtopOptions(), absl::Now() + kStart);
    ASSERT_TRUE(coq.ok()) << coq.status();
    absl::StatusOr<CoqReply> goal = (*coq)->Run("Goal True.", absl::Now() + kStep);
    ASSERT_TRUE(goal.ok()) << goal.status();
    const absl::Time t0 = absl::Now();
    const absl::Time deadline = t0 + absl::Milliseconds(300);
    absl::StatusOr<CoqReply> r = step ? (*coq)->RunStep(text, 1, deadline)
                                      : (*coq)->Run(text, deadline);
    ASSERT_TRUE(r.ok()) << r.status();
    const std::string all = r->sentences.empty() ? "" : r->sentences.back().output;
    if (step) {
      EXPECT_FALSE(r->interrupted);
      EXPECT_GE(absl::Now() - t0, absl::Milliseconds(900));
      EXPECT_TRUE(absl::StrContains(all, "has indeed failed")) << all;
    } else {
      // (How soon coqtop answers its SIGINT depends on the machine's load.)
      EXPECT_TRUE(r->interrupted);
    }
    EXPECT_TRUE((*coq)->Alive());
    absl::StatusOr<CoqReply> after = (*coq)->Run("exact I.", absl::Now() + kStep);
    ASSERT_TRUE(after.ok()) << after.status();
    EXPECT_FALSE(after->Failed()) << after->ErrorText();
  }
}

// coqtop keeps a SIGINT it takes while idle (one sent as a command ended)
// and fails the next command with "User interrupt"; that command was not
// interrupted and is run again, on the process and state it had.
TEST_F(CoqSessionTest, AStaleSigintFailsNeitherAStatementNorAStep) {
  Theorem t1 = Thm("sa = 1", "s1");
  t1.context = "Definition sa := 1.\n";
  pid_t pid = 0;
  {
    auto session = NewSession();
    absl::StatusOr<ProofState> s0 = session->Start(t1, kStart);
    ASSERT_TRUE(s0.ok()) << s0.status();
    pid = static_cast<CoqSession*>(session.get())->CoqtopPid();
    ASSERT_GT(pid, 0);
    EXPECT_EQ(session->Apply(*s0, "reflexivity.", kStep).kind, StepKind::kProofFinished);
  }
  // Idle in the pool at the state after this whole preamble: another
  // statement in it goes on from there, and the statement is the first
  // command the SIGINT meets.
  CoqtopPool& pool = backend_->pool();
  const int reuses = pool.whole_reuses();
  ::kill(pid, SIGINT);
  absl::SleepFor(absl::Milliseconds(300));
  Theorem t2 = Thm("sa + 1 = 2", "s2");
  t2.context = t1.context;
  auto session = NewSession();
  absl::StatusOr<ProofState> s0 = session->Start(t2, kStart);
  ASSERT_TRUE(s0.ok()) << s0.status();
  EXPECT_EQ(pool.whole_reuses(), reuses + 1);
  EXPECT_EQ(static_cast<CoqSession*>(session.get())->CoqtopPid(), pid);
  // Between two steps of a session.
  StepResult r1 = session->Apply(*s0, "unfold sa.", kStep);
  ASSERT_EQ(r1.kind, StepKind::kNewState) << r1.message;
  ::kill(pid, SIGINT);
  absl::SleepFor(absl::Milliseconds(300));
  StepResult r2 = session->Apply(r1.state, "reflexivity.", kStep);
  EXPECT_EQ(r2.kind, StepKind::kProofFinished) << r2.message;
  EXPECT_EQ(static_cast<CoqSession*>(session.get())->CoqtopPid(), pid);
}

// The same for a Load, as a theorem's context is loaded: the reply is the
// rerun's, one sentence for the one Load.
TEST_F(CoqSessionTest, AStaleSigintIsAbsorbedByOneRerunOfTheLoad) {
  absl::StatusOr<std::unique_ptr<Coqtop>> coq =
      Coqtop::Start(CoqtopOptions(), absl::Now() + kStart);
  ASSERT_TRUE(coq.ok()) << coq.status();
  const std::string path = (*coq)->tmpdir() + "/stale.v";
  std::ofstream(path) << "Definition la := 1.\nDefinition lb := la + 1.\n";
  ::kill((*coq)->pid(), SIGINT);
  absl::SleepFor(absl::Milliseconds(300));
  absl::StatusOr<CoqReply> r = (*coq)->Run("Load \"" + path + "\".", absl::Now() + kStep);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->Failed()) << r->ErrorText();
  EXPECT_FALSE(r->interrupted);
  EXPECT_EQ(r->sentences.size(), 1u);
  absl::StatusOr<CoqReply> check = (*coq)->Run("Check lb.", absl::Now() + kStep);
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_FALSE(check->Failed()) << check->ErrorText();
}

TEST_F(CoqSessionTest, BadTheoremsGiveTypedErrors) {
  auto s1 = NewSession();
  absl::StatusOr<ProofState> r1 = s1->Start(Thm("forall n : nat, n + = n"), kStart);
  EXPECT_TRUE(absl::IsInvalidArgument(r1.status())) << r1.status();
  EXPECT_TRUE(absl::StrContains(r1.status().message(), "statement")) << r1.status();

  Theorem missing = Thm("forall n : nat, n = n");
  missing.file_path = "/nonexistent/dir/Missing.v";
  auto s2 = NewSession();
  EXPECT_TRUE(absl::IsNotFound(s2->Start(missing, kStart).status()));

  Theorem bad_context = Thm("True");
  bad_context.context = "Definition x := no_such_thing.\n";
  auto s3 = NewSession();
  absl::StatusOr<ProofState> r3 = s3->Start(bad_context, kStart);
  EXPECT_TRUE(absl::IsInvalidArgument(r3.status())) << r3.status();
  EXPECT_TRUE(absl::StrContains(r3.status().message(), "no_such_thing")) << r3.status();
}

TEST_F(CoqSessionTest, TheoremFromFileUsesTheFileBeforeTheStatement) {
  const std::string dir = testing::MakeTempDir();
  const std::string path = dir + "/Ctx.v";
  {
    std::ofstream out(path);
    out << "Require Import List.\nSection S.\nVariable A : Type.\n"
           "Definition twice (l : list A) := l ++ l.\n"
           "Lemma twice_length (l : list A) : length (twice l) = length l + length l.\n"
           "Proof. unfold twice. apply app_length. Qed.\n"
           "Lemma after : False.\nAdmitted.\nEnd S.\n";
  }
  Theorem thm = Thm("Lemma twice_length (l : list A) : length (twice l) = length l + length l.");
  thm.file_path = path;
  auto session = NewSession();
  absl::StatusOr<ProofState> s0 = session->Start(thm, kStart);
  ASSERT_TRUE(s0.ok()) << s0.status();
  // The lemma after the statement is not in the context.
  EXPECT_EQ(session->Apply(*s0, "exfalso; apply after.", kStep).kind, StepKind::kStepError);
  StepResult r = session->Apply(*s0, "unfold twice; apply app_length.", kStep);
  ASSERT_EQ(r.kind, StepKind::kProofFinished) << r.message;
  // The re-check closes Section S itself.
  RecheckResult check = backend_->Recheck(thm, r.state.steps, absl::Seconds(60));
  EXPECT_EQ(check.verdict, RecheckVerdict::kPassed) << check.message;
}

TEST_F(CoqSessionTest, AContextThatExtendsAParkedOneLoadsOnlyTheRest) {
  CoqtopPool& pool = backend_->pool();
  const std::string first = "Definition a := 1.\n(* a comment. *)\n";
  Theorem t1 = Thm("a = 1", "t1");
  t1.context = first;
  {
    auto session = NewSession();
    absl::StatusOr<ProofState> s0 = session->Start(t1, kStart);
    ASSERT_TRUE(s0.ok()) << s0.status();
    EXPECT_EQ(session->Apply(*s0, "reflexivity.", kStep).kind, StepKind::kProofFinished);
  }  // The process goes back parked at "Definition a := 1.".
  // The next "theorem of the file": the first context and more.
  Theorem t2 = Thm("b = 2", "t2");
  t2.context = first + "Lemma a1 : a = 1. Proof. reflexivity. Qed.\nDefinition b := a + 1.\n";
  const int before = pool.parked_reuses();
  {
    auto session = NewSession();
    absl::StatusOr<ProofState> s0 = session->Start(t2, kStart);
    ASSERT_TRUE(s0.ok()) << s0.status();
    EXPECT_EQ(pool.parked_reuses(), before + 1);
    // What only the text in between defines is there.
    StepResult r = session->Apply(*s0, "unfold b; rewrite a1; reflexivity.", kStep);
    EXPECT_EQ(r.kind, StepKind::kProofFinished) << r.message;
  }
  // The same theorem again: the process loaded this whole preamble last and
  // continues from there; another statement in the same context too.
  const int whole_before = pool.whole_reuses();
  {
    auto session = NewSession();
    absl::StatusOr<ProofState> s0 = session->Start(t2, kStart);
    ASSERT_TRUE(s0.ok()) << s0.status();
    EXPECT_EQ(pool.parked_reuses(), before + 2);
    EXPECT_EQ(pool.whole_reuses(), whole_before + 1);
    EXPECT_EQ(session->Apply(*s0, "unfold b; rewrite a1; reflexivity.", kStep).kind,
              StepKind::kProofFinished);
  }
  {
    Theorem t2b = Thm("a + a = b", "t2b");
    t2b.context = t2.context;
    auto session = NewSession();
    absl::StatusOr<ProofState> s0 = session->Start(t2b, kStart);
    ASSERT_TRUE(s0.ok()) << s0.status();
    EXPECT_EQ(pool.whole_reuses(), whole_before + 2);
    EXPECT_EQ(session->Apply(*s0, "reflexivity.", kStep).kind, StepKind::kProofFinished);
  }
  // A context that does not extend it starts from the base state: nothing of
  // the parked text is visible (the statement names `a`, which only the
  // parked contexts define), and a failed load leaves the pool usable.
  {
    Theorem t3 = Thm("a = 1", "t3");
    t3.context = "Definition c := 3.\n";
    auto session = NewSession();
    absl::StatusOr<ProofState> s0 = session->Start(t3, kStart);
    EXPECT_TRUE(absl::IsInvalidArgument(s0.status())) << s0.status();
    EXPECT_TRUE(absl::StrContains(s0.status().message(), "reference a was not found"))
        << s0.status();
  }
  // A context that begins like the parked one but differs: on top of it,
  // `Definition a` would fail as defined twice. Here `a` is 2, and
  // reflexivity cannot prove `a = 1`.
  {
    Theorem t4 = Thm("a = 1", "t4");
    t4.context = "Definition a := 2.\n";
    auto session = NewSession();
    absl::StatusOr<ProofState> s0 = session->Start(t4, kStart);
    ASSERT_TRUE(s0.ok()) << s0.status();
    EXPECT_EQ(session->Apply(*s0, "reflexivity.", kStep).kind, StepKind::kStepError);
  }
  EXPECT_EQ(pool.parked_reuses(), before + 3);
  // The theorems of one file, one after the other, as the suite loads them.
  const std::string dir = testing::MakeTempDir();
  const std::string path = dir + "/Park.v";
  {
    std::ofstream out(path);
    out << "Require Import List.\nSection S.\nVariable A : Type.\n"
           "Lemma one (l : list A) : l ++ nil = l.\nProof. apply app_nil_r. Qed.\n"
           "Definition twice (l : list A) := l ++ l.\n"
           "Lemma two (l : list A) : twice l ++ nil = twice l.\nProof. apply one. Qed.\n"
           "End S.\n";
  }
  Theorem f1 = Thm("Lemma one (l : list A) : l ++ nil = l.");
  f1.file_path = path;
  Theorem f2 = Thm("Lemma two (l : list A) : twice l ++ nil = twice l.");
  f2.file_path = path;
  {
    auto session = NewSession();
    absl::StatusOr<ProofState> s0 = session->Start(f1, kStart);
    ASSERT_TRUE(s0.ok()) << s0.status();
  }
  const int file_before = pool.parked_reuses();
  auto session = NewSession();
  absl::StatusOr<ProofState> s0 = session->Start(f2, kStart);
  ASSERT_TRUE(s0.ok()) << s0.status();
  EXPECT_EQ(pool.parked_reuses(), file_before + 1);
  EXPECT_EQ(pool.whole_reuses(), whole_before + 2);  // Not the same preamble.
  // Inside Section S, with `one` (proved in the text in between) usable.
  StepResult r = session->Apply(*s0, "apply one.", kStep);
  ASSERT_EQ(r.kind, StepKind::kProofFinished) << r.message;
  RecheckResult check = backend_->Recheck(f2, r.state.steps, absl::Seconds(60));
  EXPECT_EQ(check.verdict, RecheckVerdict::kPassed) << check.message;
}

TEST_F(CoqSessionTest, WithoutReuseEveryContextLoadsWhole) {
  CoqConfig config;
  config.max_idle_processes = 1;
  config.warm_hammer = false;
  config.reuse_context = false;
  config.spare_processes = 0;
  CoqBackend backend(config);
  Theorem t1 = Thm("a = 1", "t1");
  t1.context = "Definition a := 1.\n";
  Theorem t2 = Thm("b = 2", "t2");
  t2.context = "Definition a := 1.\nDefinition b := a + 1.\n";
  for (const Theorem& t : {t1, t2, t2}) {
    auto session = backend.NewSession();
    ASSERT_TRUE(session.ok()) << session.status();
    absl::StatusOr<ProofState> s0 = (*session)->Start(t, kStart);
    ASSERT_TRUE(s0.ok()) << s0.status();
    EXPECT_EQ((*session)->Apply(*s0, "reflexivity.", kStep).kind, StepKind::kProofFinished);
  }
  EXPECT_EQ(backend.pool().parked_reuses(), 0);
  EXPECT_EQ(backend.pool().whole_reuses(), 0);
  EXPECT_EQ(backend.pool().started(), 1);  // One process served all three.
}

TEST_F(CoqSessionTest, InputsAreValidatedAndFileContextsNeverEchoed) {
  // Refused before any coqtop sees it.
  Theorem evil = Thm("True");
  evil.context = "Unset Guard Checking.\n";
  auto s1 = NewSession();
  absl::StatusOr<ProofState> r1 = s1->Start(evil, kStart);
  EXPECT_TRUE(absl::IsInvalidArgument(r1.status())) << r1.status();
  EXPECT_TRUE(absl::StrContains(r1.status().message(), "switches a kernel check off")) << r1.status();
  EXPECT_EQ(static_cast<CoqSession*>(s1.get())->CoqtopPid(), -1);
  Theorem bad_import = Thm("True");
  bad_import.imports = {"List. Axiom x : False"};
  auto s2 = NewSession();
  absl::StatusOr<ProofState> r2 = s2->Start(bad_import, kStart);
  EXPECT_TRUE(absl::StartsWith(r2.status().message(), "imports[0]")) << r2.status();
  // A context Coq rejects, read from a file: none of its text is echoed.
  const std::string path = testing::MakeTempDir() + "/Secret.v";
  {
    std::ofstream out(path);
    out << "Definition a := 1.\nDefinition b := SECRET_no_such_name.\nLemma goal : True.\n";
  }
  Theorem thm = Thm("Lemma goal : True.");
  thm.file_path = path;
  thm.imports = {"List"};
  auto s3 = NewSession();
  absl::StatusOr<ProofState> r3 = s3->Start(thm, kStart);
  EXPECT_TRUE(absl::IsInvalidArgument(r3.status())) << r3.status();
  EXPECT_EQ(r3.status().message(),
            "Coq rejected the context read from the theorem's file (check it with coqc)");
}

TEST_F(CoqSessionTest, NativeHammerClosesAListGoalAndTheProofRechecks) {
  Theorem thm = Thm("forall l1 l2 : list nat, length (l1 ++ l2) = length (l2 ++ l1)", "len_app");
  thm.imports = {"List"};
  auto session = NewSession();
  absl::StatusOr<ProofState> s0 = session->Start(thm, kStart);
  ASSERT_TRUE(s0.ok()) << s0.status();
  HammerStepResult h = session->Hammer(*s0, absl::Seconds(60));
  ASSERT_EQ(h.step.kind, StepKind::kProofFinished)
      << h.message << " step: " << h.step_text << " state: " << h.step.state.text;
  EXPECT_FALSE(h.step_text.empty());
  EXPECT_EQ(h.step.state.steps, std::vector<std::string>{h.step_text});
  EXPECT_FALSE(absl::StrContains(h.step_text, "hammer")) << h.step_text;
  RecheckResult check = backend_->Recheck(thm, h.step.state.steps, absl::Seconds(60));
  EXPECT_EQ(check.verdict, RecheckVerdict::kPassed) << check.message;
  // A false goal: the hammer fails within its budget (plus the grace
  // period), leaves no ATP running, and the session stays usable.
  StepResult unprovable = session->Apply(*s0, "intros l1 l2; assert (l1 = l2).", kStep);
  ASSERT_EQ(unprovable.kind, StepKind::kNewState) << unprovable.message;
  absl::Time t0 = absl::Now();
  HammerStepResult no = session->Hammer(unprovable.state, absl::Seconds(4));
  EXPECT_TRUE(no.step.kind == StepKind::kTimeout || no.step.kind == StepKind::kStepError)
      << StepKindName(no.step.kind) << ": " << no.message;
  EXPECT_LT(absl::Now() - t0, absl::Seconds(9));
  for (const testing::ProcessInfo& p : testing::Descendants(::getpid())) {
    EXPECT_TRUE(p.comm.rfind("coqtop", 0) == 0) << "left running: " << p.pid << " " << p.comm;
  }
  StepResult after =
      session->Apply(*s0, "intros l1 l2; rewrite !app_length; apply PeanoNat.Nat.add_comm.", kStep);
  EXPECT_EQ(after.kind, StepKind::kProofFinished) << after.message;
  absl::StatusOr<ProofState> f0 = session->Start(thm, kStart);  // Second Start is refused.
  EXPECT_FALSE(f0.ok());
}

TEST_F(CoqSessionTest, ZzNothingLeftRunning) {
  delete backend_;
  backend_ = nullptr;
  EXPECT_EQ(testing::LeftoverChildren(5000), "");
  backend_ = new CoqBackend(CoqConfig());
}

}  // namespace
}  // namespace thor::coq
