// thor.v1.ProofSession over real gRPC on loopback with real coqtop, coqc
// and coqchk: open, steps, branches, typed outcomes, structured goals, the
// kernel re-check of a finished path, NOT_FOUND cases, and no coqtop left
// once the session is closed. Needs `coq` (Debian).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <thread>

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "app/wiring.h"
#include "common/subprocess.h"
#include "proto/thor/v1/thor.grpc.pb.h"
#include "server/log.h"
#include "server/thor_server.h"
#include "tests/testing/processes.h"

namespace thor::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::unique_ptr<grpc::ClientContext> Deadline(absl::Duration d) {
  auto c = std::make_unique<grpc::ClientContext>();
  c->set_deadline(absl::ToChronoTime(absl::Now() + d));
  return c;
}

class SessionCoqRpcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(CheckProgramAvailable("coqtop", "apt-get install coq").ok())
        << "coqtop is missing: apt-get install coq libcoq-hammer";
    SetLogStream(nullptr);
    ServerConfig config;
    config.listen = "127.0.0.1:0";
    // No idle coqtop kept by the pool and no spare: a closed session's
    // process must be gone, not parked. No hammer warm-up: steps only.
    config.provers["coq"].options =
        R"({"max_idle_processes": 0, "spare_processes": 0, "warm_hammer": false})";
    auto registry = BuildRegistry(config);
    ASSERT_TRUE(registry.ok()) << registry.status();
    auto server = ThorServer::Start(config, *registry);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    stub_ = v1::ProofSession::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", server_->port()), grpc::InsecureChannelCredentials()));
  }
  void TearDown() override {
    server_.reset();
    EXPECT_EQ(LeftoverChildren(5000), "");
  }

  v1::RunStepResponse Step(const std::string& state, const std::string& step) {
    v1::RunStepRequest q;
    q.set_session_id(session_);
    q.set_state_id(state);
    q.set_step(step);
    v1::RunStepResponse r;
    grpc::Status s = stub_->RunStep(Deadline(absl::Seconds(60)).get(), q, &r);
    EXPECT_TRUE(s.ok()) << step << ": " << s.error_message();
    return r;
  }

  std::unique_ptr<ThorServer> server_;
  std::unique_ptr<v1::ProofSession::Stub> stub_;
  std::string session_;
};

TEST_F(SessionCoqRpcTest, StepsBranchesOutcomesRecheckAndClose) {
  v1::OpenSessionRequest open;
  open.mutable_theorem()->set_prover("coq");
  open.mutable_theorem()->set_name("add_0_r");
  open.mutable_theorem()->set_statement("Lemma add_0_r : forall n : nat, n + 0 = n.");
  v1::OpenSessionResponse opened;
  grpc::Status s = stub_->OpenSession(Deadline(absl::Seconds(120)).get(), open, &opened);
  ASSERT_TRUE(s.ok()) << s.error_message();
  session_ = opened.session_id();
  EXPECT_EQ(session_.size(), 32u);
  EXPECT_EQ(opened.root().state_id(), "0");
  ASSERT_EQ(opened.root().goals_size(), 1);
  EXPECT_EQ(opened.root().goals(0).conclusion(), "forall n : nat, n + 0 = n");

  v1::RunStepResponse intro = Step("0", "intros n.");
  ASSERT_EQ(intro.outcome().kind(), v1::StepOutcome::NEW_STATE) << intro.outcome().message();
  EXPECT_EQ(intro.state().state_id(), "1");
  ASSERT_EQ(intro.state().goals_size(), 1);
  ASSERT_EQ(intro.state().goals(0).hypotheses_size(), 1);
  EXPECT_THAT(intro.state().goals(0).hypotheses(0).names(), ElementsAre("n"));
  EXPECT_EQ(intro.state().goals(0).hypotheses(0).type(), "nat");
  EXPECT_EQ(intro.state().goals(0).conclusion(), "n + 0 = n");

  // Two more branches from the root; the second has two goals.
  v1::RunStepResponse other = Step("0", "intro k.");
  EXPECT_EQ(other.state().state_id(), "2");
  EXPECT_THAT(other.state().goals(0).hypotheses(0).names(), ElementsAre("k"));
  v1::RunStepResponse split = Step("0", "induction n.");
  EXPECT_EQ(split.state().state_id(), "3");
  EXPECT_EQ(split.state().goals_size(), 2);
  EXPECT_EQ(split.state().parent_id(), "0");

  v1::RunStepResponse error = Step("1", "apply no_such_lemma.");
  EXPECT_EQ(error.outcome().kind(), v1::StepOutcome::STEP_ERROR);
  EXPECT_THAT(error.outcome().message(), HasSubstr("no_such_lemma"));
  EXPECT_FALSE(error.has_state());
  v1::RunStepResponse refused = Step("1", "admit.");
  EXPECT_EQ(refused.outcome().kind(), v1::StepOutcome::REFUSED);
  EXPECT_FALSE(refused.outcome().message().empty());

  // The proof, going back to state 1 after the branches.
  std::string at = "1";
  const std::vector<std::string> proof = {"induction n as [|k IH].", "reflexivity.", "simpl.",
                                          "rewrite IH.", "reflexivity."};
  v1::RunStepResponse last;
  for (const std::string& step : proof) {
    last = Step(at, step);
    ASSERT_TRUE(last.has_state()) << step << ": " << last.outcome().message();
    at = last.state().state_id();
  }
  EXPECT_EQ(last.outcome().kind(), v1::StepOutcome::PROOF_FINISHED);
  EXPECT_TRUE(last.state().finished());
  EXPECT_EQ(last.state().depth(), 6u);

  v1::CheckSessionProofRequest check;
  check.set_session_id(session_);
  check.set_state_id(at);
  v1::CheckSessionProofResponse checked;
  s = stub_->CheckProof(Deadline(absl::Seconds(120)).get(), check, &checked);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(checked.check().verdict(), v1::RECHECK_PASSED) << checked.check().message();
  EXPECT_THAT(checked.check().checkers(), ElementsAre("coqc", "print_assumptions", "coqchk"));
  ASSERT_EQ(checked.proof().steps_size(), 6);
  EXPECT_EQ(checked.proof().steps(0).text(), "intros n.");
  EXPECT_FALSE(checked.proof().text().empty());

  check.set_state_id("1");
  s = stub_->CheckProof(Deadline(absl::Seconds(60)).get(), check, &checked);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();

  v1::GetStateRequest get;
  get.set_session_id("00000000000000000000000000000000");
  get.set_state_id("0");
  v1::SessionState state;
  s = stub_->GetState(Deadline(absl::Seconds(10)).get(), get, &state);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(s.error_message(), HasSubstr("unknown session"));

  v1::CloseSessionRequest close;
  close.set_session_id(session_);
  v1::CloseSessionResponse closed;
  s = stub_->CloseSession(Deadline(absl::Seconds(30)).get(), close, &closed);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(closed.states(), 9u);
  // Its coqtop ended with it (the server itself still runs).
  EXPECT_EQ(LeftoverChildren(5000), "");
  get.set_session_id(session_);
  s = stub_->GetState(Deadline(absl::Seconds(10)).get(), get, &state);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(s.error_message(), HasSubstr("closed"));
}

// The session's coqtop dies between two steps: the next step is served by a
// new process with the state's path replayed, unseen by the client.
TEST_F(SessionCoqRpcTest, LostCoqtopIsReplacedAndTheStateReplayed) {
  v1::OpenSessionRequest open;
  open.mutable_theorem()->set_prover("coq");
  open.mutable_theorem()->set_statement("Lemma add_0_r : forall n : nat, n + 0 = n.");
  v1::OpenSessionResponse opened;
  grpc::Status s = stub_->OpenSession(Deadline(absl::Seconds(120)).get(), open, &opened);
  ASSERT_TRUE(s.ok()) << s.error_message();
  session_ = opened.session_id();
  ASSERT_EQ(Step("0", "intros n.").outcome().kind(), v1::StepOutcome::NEW_STATE);
  std::vector<ProcessInfo> coqtops;
  for (const ProcessInfo& p : Descendants(getpid())) {
    if (p.comm == "coqtop") coqtops.push_back(p);
  }
  ASSERT_EQ(coqtops.size(), 1u);
  ASSERT_EQ(kill(coqtops[0].pid, SIGKILL), 0);
  v1::RunStepResponse r = Step("1", "induction n as [|k IH].");
  EXPECT_EQ(r.outcome().kind(), v1::StepOutcome::NEW_STATE) << r.outcome().message();
  EXPECT_EQ(r.state().goals_size(), 2);
  EXPECT_THAT(r.state().steps(), ElementsAre("intros n.", "induction n as [|k IH]."));
  v1::CloseSessionRequest close;
  close.set_session_id(session_);
  v1::CloseSessionResponse closed;
  EXPECT_TRUE(stub_->CloseSession(Deadline(absl::Seconds(30)).get(), close, &closed).ok());
}

// A client that gives up on a step stops the prover work: a cancelled call
// ends at once, not at the step's own 60 s limit (nor Coq's Default Timeout
// of 10 s), and the session's next step runs on the interrupted coqtop. A
// client deadline shorter than the step's limit becomes the step's limit.
TEST_F(SessionCoqRpcTest, CancelledStepIsInterruptedAndTheSessionGoesOn) {
  v1::OpenSessionRequest open;
  open.mutable_theorem()->set_prover("coq");
  open.mutable_theorem()->set_statement("Lemma add_0_r : forall n : nat, n + 0 = n.");
  v1::OpenSessionResponse opened;
  grpc::Status s = stub_->OpenSession(Deadline(absl::Seconds(120)).get(), open, &opened);
  ASSERT_TRUE(s.ok()) << s.error_message();
  session_ = opened.session_id();
  v1::RunStepRequest endless;
  endless.set_session_id(session_);
  endless.set_state_id("0");
  endless.set_step("repeat (assert True by trivial).");  // Never ends by itself.
  endless.set_timeout_s(60);
  v1::RunStepResponse r;
  std::unique_ptr<grpc::ClientContext> context = Deadline(absl::Seconds(60));
  absl::Time start = absl::Now();
  std::thread canceller([&context] {
    absl::SleepFor(absl::Milliseconds(1500));
    context->TryCancel();
  });
  s = stub_->RunStep(context.get(), endless, &r);
  canceller.join();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::CANCELLED) << s.error_message();
  // The next call waits for the interrupted one to give the session back.
  v1::RunStepResponse next = Step("0", "intros n.");
  EXPECT_EQ(next.outcome().kind(), v1::StepOutcome::NEW_STATE) << next.outcome().message();
  EXPECT_LT(absl::Now() - start, absl::Seconds(8)) << "the step ran on after the cancel";

  start = absl::Now();
  s = stub_->RunStep(Deadline(absl::Seconds(2)).get(), endless, &r);
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(r.outcome().kind(), v1::StepOutcome::TIMEOUT) << r.ShortDebugString();
  next = Step("1", "induction n.");
  EXPECT_EQ(next.outcome().kind(), v1::StepOutcome::NEW_STATE) << next.outcome().message();
  EXPECT_LT(absl::Now() - start, absl::Seconds(8)) << "the step ran past the client's deadline";
  v1::CloseSessionRequest close;
  close.set_session_id(session_);
  v1::CloseSessionResponse closed;
  EXPECT_TRUE(stub_->CloseSession(Deadline(absl::Seconds(30)).get(), close, &closed).ok());
}

TEST_F(SessionCoqRpcTest, BadRequestsGetTypedStatuses) {
  v1::OpenSessionRequest open;  // No theorem.
  v1::OpenSessionResponse opened;
  grpc::Status s = stub_->OpenSession(Deadline(absl::Seconds(10)).get(), open, &opened);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("theorem"));
  // A theorem file without a theorem_file_root: refused as Prove refuses it.
  open.mutable_theorem()->set_prover("coq");
  open.mutable_theorem()->set_statement("Lemma x : True.");
  open.mutable_theorem()->set_file_path("/etc/passwd");
  s = stub_->OpenSession(Deadline(absl::Seconds(10)).get(), open, &opened);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();
  // A statement Coq cannot parse: INVALID_ARGUMENT led by the field, with
  // Coq's message (thor.proto, "Errors"), and no coqtop left (TearDown).
  open.mutable_theorem()->clear_file_path();
  open.mutable_theorem()->set_statement("forall n : nat, n + = n");
  s = stub_->OpenSession(Deadline(absl::Seconds(60)).get(), open, &opened);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
  EXPECT_THAT(s.error_message(), HasSubstr("theorem: coq could not open the theorem: "));
  EXPECT_THAT(s.error_message(), HasSubstr("Syntax error"));
  v1::RunStepRequest step;
  step.set_session_id("nope");
  step.set_state_id("0");
  v1::RunStepResponse r;
  s = stub_->RunStep(Deadline(absl::Seconds(10)).get(), step, &r);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);  // Empty step.
  step.set_step("auto.");
  s = stub_->RunStep(Deadline(absl::Seconds(10)).get(), step, &r);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace thor::testing
