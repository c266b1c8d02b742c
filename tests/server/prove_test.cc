// Prove over gRPC with the fake prover: the event stream, cancellation and
// deadlines (no child process survives either).
#include <gtest/gtest.h>

#include "common/build_info.h"
#include "common/subprocess.h"
#include "tests/server/server_fixture.h"
#include "tests/testing/processes.h"

namespace thor::testing {
namespace {

struct Streamed {
  std::vector<v1::SearchEvent> events;
  grpc::Status status;
};

Streamed Prove(v1::ProofSearch::Stub* stub, grpc::ClientContext* ctx, const v1::ProveRequest& r) {
  Streamed s;
  auto reader = stub->Prove(ctx, r);
  v1::SearchEvent e;
  while (reader->Read(&e)) s.events.push_back(e);
  s.status = reader->Finish();
  return s;
}

v1::ProveRequest Request(const std::string& policy) {
  v1::ProveRequest r;
  *r.mutable_theorem() = FakeTheorem();
  r.mutable_config()->set_policy(policy);
  r.mutable_config()->set_wall_time_s(60);
  r.mutable_config()->set_seed(7);
  return r;
}

// Waits until the server has no request running (or 10 s pass).
void WaitIdle(TestServer& t) {
  const absl::Time end = absl::Now() + absl::Seconds(10);
  while (t.server->service().admission().running() > 0 && absl::Now() < end) {
    absl::SleepFor(absl::Milliseconds(10));
  }
}

TEST(ProveTest, StreamsEventsAndEndsWithARecheckedProof) {
  auto t = TestServer::Start();
  ASSERT_NE(t, nullptr);
  v1::ProveRequest req = Request("fixed");
  req.mutable_config()->set_wall_time_s(1e6);  // Clamped by the server.
  req.mutable_config()->set_sequential(true);  // Thor's order: "fail" is tried first.
  req.set_include_trace(true);
  auto ctx = ContextWithTimeout(absl::Hours(2));
  Streamed s = Prove(t->stub.get(), ctx.get(), req);
  ASSERT_TRUE(s.status.ok()) << s.status.error_message();
  ASSERT_GE(s.events.size(), 4u);
  // First, at once, the prover is being started; then the search starts.
  ASSERT_TRUE(s.events[0].has_preparing()) << s.events[0].ShortDebugString();
  EXPECT_EQ(s.events[0].preparing().phase(), "starting_prover");
  EXPECT_EQ(s.events[0].preparing().prover(), "fake");
  ASSERT_TRUE(s.events[1].has_started()) << s.events[1].ShortDebugString();
  const v1::SearchStarted& started = s.events[1].started();
  EXPECT_EQ(started.search_id().size(), 16u);
  EXPECT_EQ(started.prover(), "fake");  // ProverBackend::Name()
  EXPECT_EQ(started.policy(), "heuristic");
  EXPECT_EQ(started.config().wall_time_s(), 3600);  // BudgetClamps().max_wall_time
  EXPECT_EQ(started.config().queue_size(), 32u);    // The paper's default.
  EXPECT_NE(started.initial_state().find("goal: Lemma t"), std::string::npos);
  // The build that ran it, as `thor --version` prints it.
  EXPECT_EQ(started.server().version(), ThorVersion());
  EXPECT_EQ(started.server().commit(), ThorCommit());
  EXPECT_EQ(started.server().protocol(), "thor.v1");
  EXPECT_FALSE(started.server().version().empty());
  int finished = 0, failed_steps = 0;
  for (const v1::SearchEvent& e : s.events) {
    finished += e.has_finished();
    failed_steps += e.has_step() && e.step().outcome().kind() == v1::StepOutcome::STEP_ERROR;
  }
  EXPECT_EQ(finished, 1);
  // Event times never go back, the final event's included.
  for (size_t i = 1; i < s.events.size(); ++i) {
    EXPECT_GE(s.events[i].t_s(), s.events[i - 1].t_s()) << s.events[i].ShortDebugString();
  }
  EXPECT_GE(failed_steps, 1) << [&] {  // "fail" is proposed first.
    std::string all;
    for (const v1::SearchEvent& e : s.events) all += e.ShortDebugString() + "\n";
    return all;
  }();
  ASSERT_TRUE(s.events.back().has_finished());
  const v1::ProveResult& r = s.events.back().finished();
  EXPECT_EQ(r.status(), v1::PROVED) << r.message();
  EXPECT_EQ(r.recheck(), v1::RECHECK_PASSED);
  EXPECT_EQ(r.search_id(), started.search_id());
  ASSERT_GE(r.proof().steps_size(), 1);
  const std::string last = r.proof().steps(r.proof().steps_size() - 1).text();
  EXPECT_TRUE(last == "close" || last == "closed_by_hammer") << last;
  EXPECT_GE(r.stats().model_queries(), 1u);
  EXPECT_FALSE(r.trace_json().empty());
  WaitIdle(*t);
  EXPECT_EQ(LeftoverChildren(), "");
}

TEST(ProveTest, HammerCallsAreStreamed) {
  auto t = TestServer::Start();
  ASSERT_NE(t, nullptr);
  auto ctx = ContextWithTimeout(absl::Seconds(60));
  Streamed s = Prove(t->stub.get(), ctx.get(), Request("hammer_only"));
  ASSERT_TRUE(s.status.ok()) << s.status.error_message();
  const v1::SearchEvent* hammer = nullptr;
  for (const v1::SearchEvent& e : s.events) {
    if (e.has_hammer()) hammer = &e;
  }
  ASSERT_NE(hammer, nullptr);
  EXPECT_TRUE(hammer->hammer().success());
  EXPECT_EQ(hammer->hammer().step(), "closed_by_hammer");
  EXPECT_EQ(hammer->hammer().prover(), "fake/1");
  const v1::ProveResult& r = s.events.back().finished();
  EXPECT_EQ(r.status(), v1::PROVED) << r.message();
  ASSERT_EQ(r.proof().steps_size(), 1);
  EXPECT_TRUE(r.proof().steps(0).from_hammer());
  EXPECT_EQ(r.proof().steps(0).hammer_prover(), "fake/1");
}

TEST(ProveTest, CancellingMidSearchStopsItAndKillsEveryChild) {
  FakeProverOptions hangs;
  hangs.hammer_hangs = true;
  auto t = TestServer::Start({}, hangs, {"hang"});
  ASSERT_NE(t, nullptr);
  v1::ProveRequest req = Request("fixed");
  req.mutable_config()->set_step_timeout_s(100);
  req.mutable_config()->set_hammer_timeout_s(100);
  auto ctx = ContextWithTimeout(absl::Seconds(60));
  auto reader = t->stub->Prove(ctx.get(), req);
  v1::SearchEvent e;
  ASSERT_TRUE(reader->Read(&e));
  EXPECT_TRUE(e.has_preparing());
  ASSERT_TRUE(reader->Read(&e));
  EXPECT_TRUE(e.has_started());
  // Wait until sessions (each with a child) are busy on "hang".
  const absl::Time end = absl::Now() + absl::Seconds(20);
  while (LiveChildren() < 1 && absl::Now() < end) absl::SleepFor(absl::Milliseconds(10));
  ASSERT_GE(LiveChildren(), 1);
  absl::SleepFor(absl::Milliseconds(200));
  const absl::Time cancelled = absl::Now();
  ctx->TryCancel();
  while (reader->Read(&e)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
  WaitIdle(*t);
  EXPECT_LT(absl::Now() - cancelled, absl::Seconds(5));
  EXPECT_EQ(t->server->service().admission().running(), 0);
  EXPECT_GE(t->backend->interrupts(), 1);
  EXPECT_EQ(t->backend->sessions_alive(), 0);
  EXPECT_EQ(LiveChildren(), 0);
  EXPECT_EQ(LeftoverChildren(), "");
}

TEST(ProveTest, DeadlineEndsTheSearchInTime) {
  FakeProverOptions hangs;
  hangs.hammer_hangs = true;
  auto t = TestServer::Start({}, hangs, {"hang"});
  ASSERT_NE(t, nullptr);
  v1::ProveRequest req = Request("fixed");
  req.mutable_config()->set_wall_time_s(500);
  req.mutable_config()->set_step_timeout_s(100);
  req.mutable_config()->set_hammer_timeout_s(100);
  const absl::Time start = absl::Now();
  auto ctx = ContextWithTimeout(absl::Seconds(3));
  Streamed s = Prove(t->stub.get(), ctx.get(), req);
  // The server fits the search into the deadline: it ends on its time budget
  // and still delivers the result (or, at worst, the deadline passes).
  if (s.status.ok()) {
    ASSERT_TRUE(s.events.back().has_finished());
    // Every step hangs: the search stops them at its (shortened) wall time.
    const v1::SearchStatus status = s.events.back().finished().status();
    EXPECT_TRUE(status == v1::TIME_BUDGET || status == v1::EXHAUSTED)
        << v1::SearchStatus_Name(status) << ": " << s.events.back().finished().message();
    EXPECT_LT(s.events.back().finished().stats().wall_s(), 3.0);
  } else {
    EXPECT_EQ(s.status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  }
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  WaitIdle(*t);
  EXPECT_EQ(t->backend->sessions_alive(), 0);
  EXPECT_EQ(LeftoverChildren(), "");
}

}  // namespace
}  // namespace thor::testing
