// SuggestSteps, CheckProof, Hammer (on a proof state) and admission, over a
// real gRPC connection to an in-process server with the fake prover.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>
#include <set>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/subprocess.h"
#include "tests/server/server_fixture.h"
#include "tests/testing/processes.h"

namespace thor::testing {
namespace {

TEST(ServiceTest, SuggestStepsRanksProvedStepsFirst) {
  auto t = TestServer::Start();
  ASSERT_NE(t, nullptr);
  v1::SuggestStepsRequest req;
  *req.mutable_theorem() = FakeTheorem();
  req.add_steps("intro");
  req.set_try_steps(true);
  v1::SuggestStepsResponse resp;
  auto ctx = ContextWithTimeout(absl::Seconds(20));
  grpc::Status s = t->stub->SuggestSteps(ctx.get(), req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.state_text(), "goal: Lemma t : True. | intro");
  ASSERT_EQ(resp.suggestions_size(), 4);  // fail, step, close, <hammer>
  // The two that close the goal come first, by logprob: close, then hammer.
  EXPECT_EQ(resp.suggestions(0).step(), "close");
  EXPECT_EQ(resp.suggestions(0).outcome().kind(), v1::StepOutcome::PROOF_FINISHED);
  EXPECT_TRUE(resp.suggestions(1).is_hammer());
  EXPECT_EQ(resp.suggestions(1).outcome().kind(), v1::StepOutcome::PROOF_FINISHED);
  EXPECT_EQ(resp.suggestions(2).step(), "fail");
  EXPECT_EQ(resp.suggestions(2).outcome().kind(), v1::StepOutcome::STEP_ERROR);
  EXPECT_EQ(resp.suggestions(3).step(), "step");
  EXPECT_EQ(resp.suggestions(3).outcome().kind(), v1::StepOutcome::NEW_STATE);
  EXPECT_EQ(resp.suggestions(3).outcome().state_text(), "goal: Lemma t : True. | intro | step");
  EXPECT_EQ(t->backend->sessions_alive(), 0);
  EXPECT_EQ(LeftoverChildren(), "");
}

TEST(ServiceTest, SuggestStepsWithoutTryingKeepsPolicyOrderAndN) {
  auto t = TestServer::Start();
  ASSERT_NE(t, nullptr);
  v1::SuggestStepsRequest req;
  *req.mutable_theorem() = FakeTheorem();
  req.set_n(2);
  v1::SuggestStepsResponse resp;
  auto ctx = ContextWithTimeout(absl::Seconds(20));
  ASSERT_TRUE(t->stub->SuggestSteps(ctx.get(), req, &resp).ok());
  ASSERT_EQ(resp.suggestions_size(), 2);
  EXPECT_EQ(resp.suggestions(0).step(), "fail");
  EXPECT_FALSE(resp.suggestions(0).has_outcome());
  EXPECT_GT(resp.suggestions(0).logprob(), resp.suggestions(1).logprob());
}

TEST(ServiceTest, SuggestStepsReportsAStepThatDoesNotReplay) {
  auto t = TestServer::Start();
  ASSERT_NE(t, nullptr);
  v1::SuggestStepsRequest req;
  *req.mutable_theorem() = FakeTheorem();
  req.add_steps("intro");
  req.add_steps("fail");
  v1::SuggestStepsResponse resp;
  auto ctx = ContextWithTimeout(absl::Seconds(20));
  grpc::Status s = t->stub->SuggestSteps(ctx.get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("steps[1]"), std::string::npos) << s.error_message();
}

TEST(ServiceTest, CheckProofPassesAndRejects) {
  auto t = TestServer::Start();
  ASSERT_NE(t, nullptr);
  v1::CheckProofRequest req;
  *req.mutable_theorem() = FakeTheorem();
  req.add_steps("intro");
  req.add_steps("close");
  v1::CheckProofResponse resp;
  auto ctx = ContextWithTimeout(absl::Seconds(20));
  ASSERT_TRUE(t->stub->CheckProof(ctx.get(), req, &resp).ok());
  EXPECT_EQ(resp.verdict(), v1::RECHECK_PASSED);

  req.clear_steps();
  req.add_steps("intro");
  auto ctx2 = ContextWithTimeout(absl::Seconds(20));
  ASSERT_TRUE(t->stub->CheckProof(ctx2.get(), req, &resp).ok());
  EXPECT_EQ(resp.verdict(), v1::RECHECK_FAILED);
  EXPECT_NE(resp.message().find("does not close"), std::string::npos);
}

TEST(ServiceTest, HammerOnAProofState) {
  auto t = TestServer::Start();
  ASSERT_NE(t, nullptr);
  v1::HammerRequest req;
  *req.mutable_state()->mutable_theorem() = FakeTheorem();
  req.mutable_state()->add_steps("intro");
  v1::HammerResponse resp;
  auto ctx = ContextWithTimeout(absl::Seconds(20));
  grpc::Status s = t->stub->Hammer(ctx.get(), req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.status(), v1::ATP_PROVED);
  EXPECT_EQ(resp.step(), "closed_by_hammer");
  EXPECT_EQ(resp.prover(), "fake/1");
  EXPECT_EQ(resp.used_premises_size(), 2);
}

constexpr char kProblem[] =
    "fof(a, axiom, p).\n"
    "fof(b, axiom, p => q).\n"
    "fof(unrelated, axiom, r => s).\n"
    "fof(goal, conjecture, q).\n";

TEST(ServiceTest, SelectPremisesRanksTheRelevantOnesFirst) {
  auto t = TestServer::Start();
  ASSERT_NE(t, nullptr);
  v1::SelectPremisesRequest req;
  req.set_tptp_problem(kProblem);
  req.set_method("mepo");
  v1::SelectPremisesResponse resp;
  auto ctx = ContextWithTimeout(absl::Seconds(20));
  grpc::Status s = t->stub->SelectPremises(ctx.get(), req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_GE(resp.premises_size(), 2);
  EXPECT_EQ(resp.premises(0).name(), "b");  // Shares q with the goal.
  for (const v1::Premise& p : resp.premises()) EXPECT_NE(p.name(), "goal");
}

TEST(ServiceTest, HammerOnATptpProblemRunsTheAtps) {
  ASSERT_FALSE(FindProgram("eprover").empty()) << "eprover missing: apt-get install eprover";
  auto t = TestServer::Start();
  ASSERT_NE(t, nullptr);
  v1::HammerRequest req;
  req.set_tptp_problem(kProblem);
  req.add_provers("e");
  req.set_timeout_s(20);
  req.set_minimize(true);
  v1::HammerResponse resp;
  auto ctx = ContextWithTimeout(absl::Seconds(60));
  grpc::Status s = t->stub->Hammer(ctx.get(), req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.status(), v1::ATP_PROVED) << resp.message();
  EXPECT_EQ(resp.szs_status(), "Theorem");
  std::vector<std::string> used(resp.used_premises().begin(), resp.used_premises().end());
  std::sort(used.begin(), used.end());
  EXPECT_EQ(used, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(LeftoverChildren(), "");
}

// The goal of kProblem is q, proved from a and b. Another goal on q: before
// the server learned that proof, k-NN has nothing that links a (p) to q;
// after it, a ranks with b.
constexpr char kSimilarProblem[] =
    "fof(unrelated, axiom, r => s).\n"
    "fof(c, axiom, t => u).\n"
    "fof(b, axiom, p => q).\n"
    "fof(a, axiom, p).\n"
    "fof(goal2, conjecture, q).\n";

std::set<std::string> KnnTop2(TestServer& t) {
  v1::SelectPremisesRequest req;
  req.set_tptp_problem(kSimilarProblem);
  req.set_method("knn");
  req.set_max_premises(2);
  v1::SelectPremisesResponse resp;
  auto ctx = ContextWithTimeout(absl::Seconds(20));
  grpc::Status s = t.stub->SelectPremises(ctx.get(), req, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  std::set<std::string> top;
  for (const v1::Premise& p : resp.premises()) top.insert(p.name());
  return top;
}

TEST(ServiceTest, TheServersHammerLearnsFromItsProofsAndKeepsThemInThePremiseDb) {
  ASSERT_FALSE(FindProgram("eprover").empty()) << "eprover missing: apt-get install eprover";
  ServerConfig config;
  config.premise_db = ::testing::TempDir() + "/service_premise_db.jsonl";
  std::filesystem::remove(config.premise_db);
  const std::set<std::string> learned = {"a", "b"};
  {
    auto t = TestServer::Start(config);
    ASSERT_NE(t, nullptr);
    EXPECT_NE(KnnTop2(*t), learned);  // Nothing learned yet.
    v1::HammerRequest req;
    req.set_tptp_problem(kProblem);
    req.add_provers("e");
    req.set_timeout_s(20);
    v1::HammerResponse resp;
    auto ctx = ContextWithTimeout(absl::Seconds(60));
    grpc::Status s = t->stub->Hammer(ctx.get(), req, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
    ASSERT_EQ(resp.status(), v1::ATP_PROVED) << resp.message();
    // One server-wide hammer: the next call ranks with that proof.
    EXPECT_EQ(KnnTop2(*t), learned);
  }
  std::ifstream in(config.premise_db);
  const std::string written((std::istreambuf_iterator<char>(in)), {});
  EXPECT_THAT(written, ::testing::HasSubstr("\"goal\":\"goal\""));
  // A restarted server starts from the file.
  auto restarted = TestServer::Start(config);
  ASSERT_NE(restarted, nullptr);
  EXPECT_EQ(KnnTop2(*restarted), learned);
  EXPECT_EQ(LeftoverChildren(), "");
}

TEST(ServiceTest, AnUnreadablePremiseDbStopsTheServerFromStarting) {
  ServerConfig config;
  config.premise_db = ::testing::TempDir() + "/service_premise_db_broken.jsonl";
  std::ofstream(config.premise_db) << "not json\n";
  config.listen = "127.0.0.1:0";
  absl::StatusOr<std::unique_ptr<ThorServer>> server =
      ThorServer::Start(config, std::make_shared<Registry>());
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(server.status().message()),
              ::testing::HasSubstr("premise_db: " + config.premise_db + ":1:"));
}

TEST(ServiceTest, FullServerRefusesWithRetryHintAndQueueAdmitsLater) {
  ServerConfig config;
  config.admission.max_concurrent = 1;
  config.admission.max_queued = 1;
  config.admission.retry_after = absl::Seconds(7);
  FakeProverOptions slow;
  slow.start_latency = absl::Seconds(1);
  auto t = TestServer::Start(config, slow);
  ASSERT_NE(t, nullptr);
  auto call = [&](grpc::ClientContext* ctx, v1::SuggestStepsResponse* resp) {
    v1::SuggestStepsRequest req;
    *req.mutable_theorem() = FakeTheorem();
    return t->stub->SuggestSteps(ctx, req, resp);
  };
  auto c1 = ContextWithTimeout(absl::Seconds(30));
  auto c2 = ContextWithTimeout(absl::Seconds(30));
  v1::SuggestStepsResponse r1, r2, r3;
  auto first = std::async(std::launch::async, [&] { return call(c1.get(), &r1); });
  while (t->server->service().admission().running() < 1) absl::SleepFor(absl::Milliseconds(5));
  auto second = std::async(std::launch::async, [&] { return call(c2.get(), &r2); });
  while (t->server->service().admission().queued() < 1) absl::SleepFor(absl::Milliseconds(5));
  auto c3 = ContextWithTimeout(absl::Seconds(30));
  grpc::Status refused = call(c3.get(), &r3);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(refused.error_message().find("retry after 7s"), std::string::npos)
      << refused.error_message();
  auto trailer = c3->GetServerTrailingMetadata().find("retry-after-s");
  ASSERT_NE(trailer, c3->GetServerTrailingMetadata().end());
  EXPECT_EQ(std::string(trailer->second.data(), trailer->second.size()), "7");
  EXPECT_TRUE(first.get().ok());
  EXPECT_TRUE(second.get().ok());  // Queued, then admitted.
}

TEST(ServiceTest, DeadlineStopsTheWorkAndKillsChildren) {
  FakeProverOptions slow;
  slow.start_latency = absl::Seconds(60);
  auto t = TestServer::Start({}, slow);
  ASSERT_NE(t, nullptr);
  v1::SuggestStepsRequest req;
  *req.mutable_theorem() = FakeTheorem();
  v1::SuggestStepsResponse resp;
  const absl::Time start = absl::Now();
  auto ctx = ContextWithTimeout(absl::Milliseconds(500));
  grpc::Status s = t->stub->SuggestSteps(ctx.get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  // The server side notices too: the session is interrupted and destroyed.
  while (t->server->service().admission().running() > 0 &&
         absl::Now() - start < absl::Seconds(10)) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(t->server->service().admission().running(), 0);
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  EXPECT_GE(t->backend->interrupts(), 1);
  EXPECT_EQ(t->backend->sessions_alive(), 0);
  EXPECT_EQ(LeftoverChildren(), "");
  EXPECT_EQ(LiveChildren(), 0);
}

TEST(ServiceTest, ShutdownCancelsRunningWorkAndRefusesNewRequests) {
  FakeProverOptions slow;
  slow.start_latency = absl::Seconds(60);
  auto t = TestServer::Start({}, slow);
  ASSERT_NE(t, nullptr);
  auto ctx = ContextWithTimeout(absl::Seconds(60));
  v1::SuggestStepsRequest req;
  *req.mutable_theorem() = FakeTheorem();
  v1::SuggestStepsResponse resp;
  auto running = std::async(std::launch::async,
                            [&] { return t->stub->SuggestSteps(ctx.get(), req, &resp); });
  while (t->server->service().admission().running() < 1) absl::SleepFor(absl::Milliseconds(5));
  // Draining: new requests are refused while the running one goes on.
  t->server->service().StopAdmitting();
  auto late_ctx = ContextWithTimeout(absl::Seconds(10));
  v1::SuggestStepsResponse late_resp;
  grpc::Status late = t->stub->SuggestSteps(late_ctx.get(), req, &late_resp);
  EXPECT_EQ(late.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(late.error_message().find("shutting down"), std::string::npos);
  EXPECT_EQ(t->server->service().admission().running(), 1);
  const absl::Time start = absl::Now();
  EXPECT_FALSE(t->server->Shutdown(absl::Milliseconds(200)));  // Had to cancel.
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));
  grpc::Status s = running.get();
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(t->backend->sessions_alive(), 0);
  EXPECT_EQ(LeftoverChildren(), "");
}

}  // namespace
}  // namespace thor::testing
