// The server over the real Coq bridge (coqtop, CoqHammer, coqc): a Prove
// happy path, CheckProof, and cancellation during a hammer call leaving no
// coqtop or ATP process behind. Needs `coq` and `libcoq-hammer` (Debian).
#include <gtest/gtest.h>

#include <fstream>

#include "app/wiring.h"
#include "common/subprocess.h"
#include "server/log.h"
#include "tests/server/server_fixture.h"
#include "tests/testing/paths.h"
#include "tests/testing/processes.h"

namespace thor::testing {
namespace {

class CoqRpcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(CheckProgramAvailable("coqtop", "apt-get install coq libcoq-hammer").ok())
        << "coqtop is missing: apt-get install coq libcoq-hammer";
    SetLogStream(nullptr);
    // Theorem files may be named inside this folder only.
    root_ = MakeTempDir();
    // No warm coqtop kept between requests and no spare started in the
    // background (the pool's default keeps one), so "no child left" is exact.
    StartServer(R"({"max_idle_processes": 0, "spare_processes": 0})");
  }
  void StartServer(const std::string& coq_options) {
    server_.reset();
    ServerConfig config;
    config.listen = "127.0.0.1:0";
    config.provers["coq"].options = coq_options;
    config.theorem_file_root = root_;
    auto registry = BuildRegistry(config);
    ASSERT_TRUE(registry.ok()) << registry.status();
    auto server = ThorServer::Start(config, *registry);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    stub_ = v1::ProofSearch::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", server_->port()), grpc::InsecureChannelCredentials()));
  }
  void TearDown() override {
    server_.reset();
    EXPECT_EQ(LeftoverChildren(5000), "");
  }

  static v1::Theorem Coq(const std::string& statement) {
    v1::Theorem t;
    t.set_prover("coq");
    t.set_name("t");
    t.set_statement(statement);
    return t;
  }

  std::string root_;
  std::unique_ptr<ThorServer> server_;
  std::unique_ptr<v1::ProofSearch::Stub> stub_;
};

// Issue 12's round trip: what Prove returns as proof.text, CheckProof takes
// verbatim as proof_text, and the kernel's checkers say what it rests on.
TEST_F(CoqRpcTest, ProofTextFromProveIsAcceptedVerbatimByCheckProof) {
  // The cheap steps prove it: no hammer loaded at start.
  StartServer(R"({"max_idle_processes": 0, "spare_processes": 0, "warm_hammer": false})");
  v1::ProveRequest req;
  *req.mutable_theorem() = Coq("forall n : nat, n + 0 = n");
  req.mutable_config()->set_sequential(true);
  req.mutable_config()->set_wall_time_s(120);
  req.mutable_config()->set_hammer_timeout_s(5);
  auto ctx = ContextWithTimeout(absl::Seconds(180));
  auto reader = stub_->Prove(ctx.get(), req);
  v1::SearchEvent e;
  v1::ProveResult result;
  while (reader->Read(&e)) {
    if (e.has_finished()) result = e.finished();
  }
  ASSERT_TRUE(reader->Finish().ok());
  ASSERT_EQ(result.status(), v1::PROVED) << result.message();
  EXPECT_EQ(result.axioms_size(), 0);  // Rests on nothing.

  v1::CheckProofRequest check;
  *check.mutable_theorem() = req.theorem();
  check.set_proof_text(result.proof().text());
  v1::CheckProofResponse verdict;
  auto ctx2 = ContextWithTimeout(absl::Seconds(120));
  grpc::Status s = stub_->CheckProof(ctx2.get(), check, &verdict);
  ASSERT_TRUE(s.ok()) << s.error_message() << "\nproof text:\n" << result.proof().text();
  EXPECT_EQ(verdict.verdict(), v1::RECHECK_PASSED) << verdict.message() << "\n"
                                                   << result.proof().text();
  EXPECT_EQ(verdict.axioms_size(), 0);
  const std::vector<std::string> all_three = {"coqc", "print_assumptions", "coqchk"};
  EXPECT_EQ(std::vector<std::string>(verdict.checkers().begin(), verdict.checkers().end()),
            all_three);
  EXPECT_EQ(std::vector<std::string>(result.checkers().begin(), result.checkers().end()),
            all_three);
}

// With a theorem_file_root, a .v file inside it gives the context (read by
// the real bridge); one outside it is refused before coqtop sees a byte.
TEST_F(CoqRpcTest, TheoremFileInsideTheRootGivesTheContextOutsideIsRefused) {
  std::ofstream(root_ + "/T.v") << "Definition d := 0.\nLemma uses_d : d = 0.\n";
  const std::string outside = MakeTempDir() + "/secret.v";
  std::ofstream(outside) << "(* THOR-SECRET-MARKER *) Definition d := 1.\nLemma uses_d : d = 0.\n";
  v1::CheckProofRequest check;
  *check.mutable_theorem() = Coq("Lemma uses_d : d = 0.");
  check.mutable_theorem()->set_file_path("T.v");
  check.add_steps("reflexivity.");
  v1::CheckProofResponse verdict;
  auto ctx = ContextWithTimeout(absl::Seconds(120));
  grpc::Status s = stub_->CheckProof(ctx.get(), check, &verdict);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(verdict.verdict(), v1::RECHECK_PASSED) << verdict.message();

  check.mutable_theorem()->set_file_path(outside);
  auto ctx2 = ContextWithTimeout(absl::Seconds(120));
  s = stub_->CheckProof(ctx2.get(), check, &verdict);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();
  EXPECT_EQ(s.error_message().find("THOR-SECRET-MARKER"), std::string::npos);
}

TEST_F(CoqRpcTest, ProveAndCheckWithRealCoq) {
  v1::ProveRequest req;
  *req.mutable_theorem() = Coq("forall n : nat, n + 0 = n");
  req.mutable_config()->set_sequential(true);
  req.mutable_config()->set_wall_time_s(120);
  auto ctx = ContextWithTimeout(absl::Seconds(180));
  auto reader = stub_->Prove(ctx.get(), req);
  v1::SearchEvent e;
  v1::ProveResult result;
  int steps = 0;
  while (reader->Read(&e)) {
    steps += e.has_step();
    if (e.has_finished()) result = e.finished();
  }
  grpc::Status s = reader->Finish();
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(result.status(), v1::PROVED) << result.message();
  EXPECT_EQ(result.recheck(), v1::RECHECK_PASSED);
  EXPECT_GE(steps, 1);
  EXPECT_NE(result.proof().text().find("Qed."), std::string::npos) << result.proof().text();

  v1::CheckProofRequest check;
  *check.mutable_theorem() = req.theorem();
  for (const v1::ProofStep& step : result.proof().steps()) check.add_steps(step.text());
  v1::CheckProofResponse verdict;
  auto ctx2 = ContextWithTimeout(absl::Seconds(120));
  ASSERT_TRUE(stub_->CheckProof(ctx2.get(), check, &verdict).ok());
  EXPECT_EQ(verdict.verdict(), v1::RECHECK_PASSED) << verdict.message();

  check.clear_steps();
  check.add_steps("reflexivity.");  // n + 0 = n does not hold by reflexivity alone.
  auto ctx3 = ContextWithTimeout(absl::Seconds(120));
  ASSERT_TRUE(stub_->CheckProof(ctx3.get(), check, &verdict).ok());
  EXPECT_EQ(verdict.verdict(), v1::RECHECK_FAILED) << verdict.message();
}

// The error model (thor.proto, "Errors"): a statement Coq cannot parse is a
// bad request, INVALID_ARGUMENT with Coq's own words, on every call that opens
// the theorem; never a finished event with status ERROR.
TEST_F(CoqRpcTest, UnparsableStatementIsInvalidArgumentWithCoqsMessage) {
  // No hammer runs here: without CoqHammer's warm-up (10 s or more per
  // process, and this server keeps none idle) the four calls take seconds.
  StartServer(R"({"max_idle_processes": 0, "spare_processes": 0, "warm_hammer": false})");
  const v1::Theorem bad = Coq("forall n : nat, n + = n");
  v1::ProveRequest req;
  *req.mutable_theorem() = bad;
  req.mutable_config()->set_wall_time_s(120);
  auto ctx = ContextWithTimeout(absl::Seconds(180));
  auto reader = stub_->Prove(ctx.get(), req);
  v1::SearchEvent e;
  int preparing = 0;
  bool finished = false;
  while (reader->Read(&e)) {
    preparing += e.has_preparing();
    finished |= e.has_finished();
    EXPECT_FALSE(e.has_started()) << "no search starts on a theorem Coq refused";
  }
  grpc::Status s = reader->Finish();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
  EXPECT_EQ(s.error_message().rfind("theorem: coq could not open the theorem: ", 0), 0u)
      << s.error_message();
  EXPECT_NE(s.error_message().find("Syntax error"), std::string::npos) << s.error_message();
  EXPECT_FALSE(finished);
  EXPECT_GE(preparing, 1);  // Sent before the prover refused: still a clean status.

  v1::CheckProofRequest check;
  *check.mutable_theorem() = bad;
  check.add_steps("reflexivity.");
  v1::CheckProofResponse verdict;
  s = stub_->CheckProof(ContextWithTimeout(absl::Seconds(120)).get(), check, &verdict);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << verdict.ShortDebugString();
  EXPECT_NE(s.error_message().find("Syntax error"), std::string::npos) << s.error_message();

  v1::SuggestStepsRequest suggest;
  *suggest.mutable_theorem() = bad;
  v1::SuggestStepsResponse suggested;
  s = stub_->SuggestSteps(ContextWithTimeout(absl::Seconds(120)).get(), suggest, &suggested);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
  EXPECT_NE(s.error_message().find("Syntax error"), std::string::npos) << s.error_message();

  // The server keeps serving: a good theorem's failed check stays a verdict.
  *check.mutable_theorem() = Coq("forall n : nat, n + 0 = n");
  s = stub_->CheckProof(ContextWithTimeout(absl::Seconds(120)).get(), check, &verdict);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(verdict.verdict(), v1::RECHECK_FAILED) << verdict.message();
}

TEST_F(CoqRpcTest, CancellingDuringTheHammerLeavesNoProcess) {
  v1::ProveRequest req;
  *req.mutable_theorem() = Coq("forall n m : nat, n + m = n * m + 1");  // False.
  req.mutable_config()->set_sequential(true);
  req.mutable_config()->set_hammer_timeout_s(60);
  auto ctx = ContextWithTimeout(absl::Seconds(180));
  auto reader = stub_->Prove(ctx.get(), req);
  v1::SearchEvent e;
  ASSERT_TRUE(reader->Read(&e));
  ASSERT_TRUE(e.has_preparing()) << e.ShortDebugString();  // At once.
  while (e.has_preparing()) ASSERT_TRUE(reader->Read(&e));
  ASSERT_TRUE(e.has_started()) << e.ShortDebugString();
  // The cheap steps fail quickly; then the hammer runs for a long time.
  absl::SleepFor(absl::Seconds(6));
  EXPECT_GE(LiveChildren(), 1);  // coqtop (and its ATPs) are running.
  const absl::Time cancelled = absl::Now();
  ctx->TryCancel();
  while (reader->Read(&e)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
  while (server_->service().admission().running() > 0 &&
         absl::Now() - cancelled < absl::Seconds(20)) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_EQ(server_->service().admission().running(), 0);
  EXPECT_LT(absl::Now() - cancelled, absl::Seconds(10));
  EXPECT_EQ(LiveChildren(), 0);
  EXPECT_EQ(LeftoverChildren(5000), "");
}

}  // namespace
}  // namespace thor::testing
