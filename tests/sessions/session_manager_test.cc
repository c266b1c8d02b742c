// SessionManager over scripted prover sessions and the fake clock: the
// state tree (branching, dropping, ids never reused), the allow-list before
// the prover, a lost prover replaced, limits, idle expiry, closing,
// cancellation, and the turn-taking of calls.
#include "sessions/session_manager.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>
#include <vector>

#include "tests/sessions/fake_session_prover.h"
#include "tests/testing/fake_env.h"

namespace thor::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class SessionManagerTest : public ::testing::Test {
 protected:
  void Make(SessionLimits limits = {}) {
    manager_ = std::make_unique<SessionManager>(limits, &env_);
  }
  void SetUp() override { Make(); }

  std::string Open(SessionOptions options = {}) {
    Theorem t;
    t.prover = "fake";
    t.statement = "P";
    absl::StatusOr<OpenedSession> s = manager_->Open(backend_, t, options, nullptr);
    EXPECT_TRUE(s.ok()) << s.status();
    return s.ok() ? s->session_id : "";
  }
  absl::StatusOr<SessionStepReply> Step(const std::string& session, const std::string& state,
                                        const std::string& step,
                                        const std::atomic<bool>* cancel = nullptr) {
    return manager_->RunStep(session, state, step, absl::Seconds(5), cancel);
  }
  std::string NewState(const std::string& session, const std::string& state,
                       const std::string& step) {
    absl::StatusOr<SessionStepReply> r = Step(session, state, step);
    EXPECT_TRUE(r.ok()) << r.status();
    if (!r.ok() || !r->state.has_value()) return "";
    return r->state->state_id;
  }

  FakeEnv env_;
  std::shared_ptr<FakeSessionBackend> backend_ = std::make_shared<FakeSessionBackend>();
  FakeProverWorld& world_ = backend_->world;
  std::unique_ptr<SessionManager> manager_;
};

TEST_F(SessionManagerTest, OpenGivesAnUnguessableIdAndTheRootWithUnparsedGoals) {
  Theorem t;
  t.prover = "fake";
  t.statement = "P";
  absl::StatusOr<OpenedSession> a = manager_->Open(backend_, t, {}, nullptr);
  absl::StatusOr<OpenedSession> b = manager_->Open(backend_, t, {}, nullptr);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->session_id.size(), 32u);
  EXPECT_NE(a->session_id, b->session_id);
  EXPECT_EQ(a->root.state_id, "0");
  EXPECT_EQ(a->root.parent_id, "");
  EXPECT_EQ(a->root.goals_text, "|- P");
  // The default seam: one goal, the whole text as its conclusion.
  ASSERT_EQ(a->root.goals.size(), 1u);
  EXPECT_EQ(a->root.goals[0].conclusion, "|- P");
  EXPECT_TRUE(a->root.goals[0].hypotheses.empty());
  EXPECT_EQ(world_.live, 2);
}

TEST_F(SessionManagerTest, StatesBranchAndDroppedIdsAreNeverReused) {
  const std::string s = Open();
  EXPECT_EQ(NewState(s, "0", "a"), "1");
  EXPECT_EQ(NewState(s, "0", "b"), "2");  // A second branch from the root.
  absl::StatusOr<SessionStepReply> c = Step(s, "1", "c");
  ASSERT_TRUE(c.ok() && c->state.has_value());
  EXPECT_EQ(c->state->state_id, "3");
  EXPECT_EQ(c->state->parent_id, "1");
  EXPECT_EQ(c->state->step, "c");
  EXPECT_EQ(c->state->depth, 2);
  EXPECT_THAT(c->state->steps, ElementsAre("a", "c"));
  EXPECT_EQ(c->state->goals_text, "|- after a ; c");

  absl::StatusOr<int> dropped = manager_->DropState(s, "1", nullptr);
  ASSERT_TRUE(dropped.ok());
  EXPECT_EQ(*dropped, 2);  // 1 and 3.
  EXPECT_THAT(manager_->GetState(s, "3").status().message(), HasSubstr("was dropped"));
  EXPECT_TRUE(manager_->GetState(s, "2").ok());
  EXPECT_EQ(NewState(s, "0", "d"), "4");
  EXPECT_THAT(manager_->GetState(s, "9").status().message(), HasSubstr("unknown state 9"));
  EXPECT_EQ(manager_->GetState(s, "01").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(manager_->DropState(s, "0", nullptr).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(manager_->held_states(), 3);  // 0, 2, 4.
}

TEST_F(SessionManagerTest, RefusedStepNeverReachesTheProver) {
  const std::string s = Open();
  absl::StatusOr<SessionStepReply> r = Step(s, "0", "admit");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->outcome.kind, StepKind::kRefused);
  EXPECT_THAT(r->outcome.message, HasSubstr("cheat"));
  EXPECT_FALSE(r->state.has_value());
  EXPECT_EQ(world_.applies, 0);
  EXPECT_EQ(manager_->held_states(), 1);
}

TEST_F(SessionManagerTest, StepErrorIsAnOutcomeAndEmptyStepAnError) {
  const std::string s = Open();
  absl::StatusOr<SessionStepReply> r = Step(s, "0", "fail");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->outcome.kind, StepKind::kStepError);
  EXPECT_EQ(r->outcome.message, "Error: no such tactic");
  EXPECT_FALSE(r->state.has_value());
  EXPECT_EQ(manager_->held_states(), 1);
  EXPECT_EQ(Step(s, "0", "  ").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(SessionManagerTest, LostProverIsReplacedAndTheStepTriedOnceMore) {
  const std::string s = Open();
  world_.lose_next = 1;
  absl::StatusOr<SessionStepReply> r = Step(s, "0", "a");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->outcome.kind, StepKind::kNewState);
  EXPECT_EQ(world_.applies, 2);
  world_.lose_next = 2;  // The step itself kills it: reported.
  r = Step(s, "1", "b");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->outcome.kind, StepKind::kProverLost);
  EXPECT_EQ(world_.applies, 4);
  EXPECT_FALSE(r->state.has_value());
}

TEST_F(SessionManagerTest, LimitsNameTheirConfigurationKeys) {
  SessionLimits limits;
  limits.max_sessions = 2;
  limits.max_states_per_session = 3;
  limits.max_states = 5;
  Make(limits);
  const std::string a = Open();
  const std::string b = Open();
  Theorem t;
  t.prover = "fake";
  t.statement = "P";
  absl::Status third = manager_->Open(backend_, t, {}, nullptr).status();
  EXPECT_EQ(third.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(third.message(), HasSubstr("max_sessions"));
  EXPECT_EQ(world_.live, 2);  // The refused one never started a prover.

  NewState(a, "0", "x");
  NewState(a, "0", "y");
  absl::Status full = Step(a, "0", "z").status();
  EXPECT_EQ(full.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(full.message(), HasSubstr("max_states_per_session"));
  ASSERT_TRUE(manager_->DropState(a, "2", nullptr).ok());
  EXPECT_EQ(NewState(a, "0", "z"), "3");

  NewState(b, "0", "x");  // 5 states in all now.
  absl::Status server_full = Step(b, "0", "y").status();
  EXPECT_EQ(server_full.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(server_full.message(), HasSubstr("max_session_states"));
  const int applies = world_.applies;
  EXPECT_EQ(Step(b, "0", "y").status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(world_.applies, applies);  // Refused before the prover.
}

// A session's memory: huge goals fill it, the step that would pass the
// limit is refused naming the key, and dropping states frees the room.
TEST_F(SessionManagerTest, MemoryLimitRefusesTheStateThatPassesIt) {
  SessionLimits limits;
  limits.max_session_bytes = 2 << 20;
  Make(limits);
  const std::string a = Open();
  // The fake's goal text repeats the path: a state one big step deep holds
  // ~600 KiB (text, path, step), two deep ~1000 KiB.
  const std::string big(200 << 10, 'x');
  const std::string s1 = NewState(a, "0", big);
  const std::string s2 = NewState(a, "0", big);
  ASSERT_FALSE(s1.empty());
  ASSERT_FALSE(s2.empty());
  // 1200 KiB held; a state two deep would pass 2 MiB.
  absl::StatusOr<SessionStepReply> full = Step(a, s1, big);
  EXPECT_EQ(full.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(full.status().message(), HasSubstr("max_session_memory_mb"));
  EXPECT_THAT(full.status().message(), HasSubstr("DropState"));
  EXPECT_EQ(manager_->held_states(), 3);  // The refused state's room is given back.
  // A small step still fits; dropping a big state makes room for the big one.
  EXPECT_FALSE(NewState(a, "0", "x").empty());
  ASSERT_TRUE(manager_->DropState(a, s2, nullptr).ok());
  EXPECT_FALSE(NewState(a, s1, big).empty());
}

TEST_F(SessionManagerTest, IdleSessionsExpireOnTheClockAndEndTheirProver) {
  SessionOptions options;
  options.idle_timeout = absl::Seconds(60);
  const std::string s = Open(options);
  const std::string kept = Open(options);
  env_.Advance(absl::Seconds(50));
  ASSERT_TRUE(manager_->GetState(kept, "0").ok());  // A call resets its clock.
  env_.Advance(absl::Seconds(11));
  absl::Status gone = Step(s, "0", "a").status();
  EXPECT_EQ(gone.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(gone.message(), HasSubstr("expired after 60 s idle"));
  EXPECT_EQ(world_.live, 1);
  EXPECT_TRUE(manager_->GetState(kept, "0").ok());
  EXPECT_EQ(manager_->held_states(), 1);
  // The server's limit bounds what a client asks for.
  SessionLimits limits;
  limits.idle_timeout = absl::Seconds(5);
  Make(limits);
  options.idle_timeout = absl::Seconds(600);
  Open(options);
  env_.Advance(absl::Seconds(6));
  EXPECT_EQ(manager_->ExpireIdle(), 1);
}

TEST_F(SessionManagerTest, BackgroundSweepEndsIdleSessionsWithoutCalls) {
  manager_ = std::make_unique<SessionManager>(SessionLimits(), &env_, absl::Milliseconds(5));
  SessionOptions options;
  options.idle_timeout = absl::Seconds(10);
  Open(options);
  env_.Advance(absl::Seconds(11));
  const absl::Time give_up = absl::Now() + absl::Seconds(5);
  while (world_.live > 0 && absl::Now() < give_up) absl::SleepFor(absl::Milliseconds(5));
  EXPECT_EQ(world_.live, 0);
  EXPECT_EQ(manager_->open_sessions(), 0);
}

TEST_F(SessionManagerTest, CloseEndsTheProverAndUnknownDiffersFromClosed) {
  const std::string s = Open();
  NewState(s, "0", "a");
  absl::StatusOr<int> held = manager_->Close(s);
  ASSERT_TRUE(held.ok());
  EXPECT_EQ(*held, 2);
  EXPECT_EQ(world_.live, 0);
  EXPECT_EQ(manager_->held_states(), 0);
  EXPECT_THAT(manager_->GetState(s, "0").status().message(), HasSubstr("was closed"));
  absl::Status unknown = manager_->GetState("0123456789abcdef0123456789abcdef", "0").status();
  EXPECT_EQ(unknown.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(unknown.message(), HasSubstr("unknown session"));
}

TEST_F(SessionManagerTest, CallsOnOneSessionTakeTurns) {
  const std::string s = Open();
  world_.apply_time = absl::Milliseconds(20);
  std::vector<std::thread> threads;
  std::vector<std::string> ids(4);
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] { ids[i] = NewState(s, "0", "step" + std::to_string(i)); });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(world_.max_in_apply, 1);
  std::sort(ids.begin(), ids.end());
  EXPECT_THAT(ids, ElementsAre("1", "2", "3", "4"));
}

TEST_F(SessionManagerTest, CallsOnDifferentSessionsRunInParallel) {
  const std::string a = Open();
  const std::string b = Open();
  // Each step waits until the other is inside the prover too: only
  // parallel calls get through before the deadline.
  world_.on_apply = [this] {
    const absl::Time give_up = absl::Now() + absl::Seconds(10);
    while (world_.applies < 2 && absl::Now() < give_up) absl::SleepFor(absl::Milliseconds(1));
  };
  const absl::Time start = absl::Now();
  std::thread other([&] { NewState(b, "0", "y"); });
  NewState(a, "0", "x");
  other.join();
  EXPECT_EQ(world_.max_in_apply, 2);
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
}

TEST_F(SessionManagerTest, CancellingInterruptsTheProverAndAWaitingCall) {
  const std::string s = Open();
  std::atomic<bool> cancel{false};
  absl::Status status;
  std::thread running([&] { status = Step(s, "0", "slow", &cancel).status(); });
  while (world_.in_apply == 0) absl::SleepFor(absl::Milliseconds(1));
  // A second call waits for its turn; its own cancel ends the wait.
  std::atomic<bool> cancel_waiting{true};
  EXPECT_EQ(Step(s, "0", "a", &cancel_waiting).status().code(), absl::StatusCode::kCancelled);
  cancel = true;
  running.join();
  EXPECT_EQ(status.code(), absl::StatusCode::kCancelled);
  EXPECT_GE(world_.interrupts, 1);
  EXPECT_EQ(manager_->held_states(), 1);
  EXPECT_EQ(NewState(s, "0", "a"), "1");  // The session goes on.
}

TEST_F(SessionManagerTest, CloseInterruptsARunningStep) {
  const std::string s = Open();
  absl::StatusOr<SessionStepReply> r;
  std::thread running([&] { r = Step(s, "0", "slow"); });
  while (world_.in_apply == 0) absl::SleepFor(absl::Milliseconds(1));
  ASSERT_TRUE(manager_->Close(s).ok());
  running.join();
  EXPECT_EQ(world_.live, 0);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->outcome.kind, StepKind::kTimeout);
}

TEST_F(SessionManagerTest, CheckProofRechecksTheFinishedPathOnly) {
  const std::string s = Open();
  NewState(s, "0", "a");
  absl::Status open = manager_->CheckProof(s, "1", absl::Seconds(5)).status();
  EXPECT_EQ(open.code(), absl::StatusCode::kFailedPrecondition);
  absl::StatusOr<SessionStepReply> done = Step(s, "1", "done");
  ASSERT_TRUE(done.ok() && done->state.has_value());
  EXPECT_TRUE(done->state->finished);
  EXPECT_EQ(done->state->goals_text, "");
  EXPECT_TRUE(done->state->goals.empty());
  absl::StatusOr<SessionProofCheck> check = manager_->CheckProof(s, "2", absl::Seconds(5));
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_EQ(check->check.verdict, RecheckVerdict::kPassed);
  EXPECT_EQ(check->proof_text, "a done");
  absl::MutexLock lock(&world_.mu);
  EXPECT_THAT(world_.rechecked, ElementsAre(ElementsAre("a", "done")));
}

TEST_F(SessionManagerTest, HammerAddsTheReconstructedStep) {
  const std::string s = Open();
  NewState(s, "0", "a");
  absl::StatusOr<SessionHammerReply> h =
      manager_->Hammer(s, "1", absl::Seconds(5), nullptr);
  ASSERT_TRUE(h.ok()) << h.status();
  ASSERT_TRUE(h->state.has_value());
  EXPECT_EQ(h->state->step, "hammered");
  EXPECT_TRUE(h->state->finished);
  EXPECT_THAT(h->state->steps, ElementsAre("a", "hammered"));
  absl::StatusOr<SessionProofCheck> check = manager_->CheckProof(s, "2", absl::Seconds(5));
  ASSERT_TRUE(check.ok());
  ASSERT_EQ(check->proof.size(), 2u);
  EXPECT_TRUE(check->proof[1].from_hammer);
  EXPECT_EQ(check->proof[1].hammer_prover, "fake-atp");
}

}  // namespace
}  // namespace thor::testing
