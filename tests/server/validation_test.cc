// Every request field is validated: INVALID_ARGUMENT naming the field and the
// reason; unknown provers and policies list the available ones.
#include <functional>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "server/grpc_server.h"
#include "server/log.h"
#include "tests/server/server_fixture.h"

namespace thor::testing {
namespace {

struct Case {
  std::string name;
  std::function<grpc::Status(v1::ProofSearch::Stub*, grpc::ClientContext*)> call;
  std::string field;   // Must appear in the message.
  std::string reason;  // Must appear in the message.
};

template <typename Req, typename Resp>
using Rpc = grpc::Status (v1::ProofSearch::Stub::*)(grpc::ClientContext*, const Req&, Resp*);

v1::ProveRequest GoodProve() {
  v1::ProveRequest r;
  *r.mutable_theorem() = FakeTheorem();
  return r;
}

// Calls Prove and returns the stream's status.
grpc::Status CallProve(v1::ProofSearch::Stub* stub, grpc::ClientContext* ctx,
                       const v1::ProveRequest& req) {
  auto reader = stub->Prove(ctx, req);
  v1::SearchEvent e;
  while (reader->Read(&e)) {
  }
  return reader->Finish();
}

Case ProveCase(std::string name, std::function<void(v1::ProveRequest&)> edit, std::string field,
               std::string reason) {
  return {name,
          [edit](v1::ProofSearch::Stub* stub, grpc::ClientContext* ctx) {
            v1::ProveRequest r = GoodProve();
            edit(r);
            return CallProve(stub, ctx, r);
          },
          field, reason};
}

template <typename Req, typename Resp>
Case UnaryCase(std::string name, Rpc<Req, Resp> rpc, std::function<void(Req&)> make,
               std::string field, std::string reason) {
  return {name,
          [rpc, make](v1::ProofSearch::Stub* stub, grpc::ClientContext* ctx) {
            Req r;
            make(r);
            Resp resp;
            return (stub->*rpc)(ctx, r, &resp);
          },
          field, reason};
}

std::vector<Case> Cases() {
  using S = v1::ProofSearch::Stub;
  std::vector<Case> c = {
      ProveCase("no theorem", [](auto& r) { r.clear_theorem(); }, "theorem", "required"),
      ProveCase("no prover", [](auto& r) { r.mutable_theorem()->clear_prover(); },
                "theorem.prover", "required"),
      ProveCase("unknown prover", [](auto& r) { r.mutable_theorem()->set_prover("lean"); },
                "theorem.prover", "available: coq"),
      ProveCase("blank statement", [](auto& r) { r.mutable_theorem()->set_statement("  \n"); },
                "theorem.statement", "required"),
      ProveCase("NUL in statement",
                [](auto& r) { r.mutable_theorem()->set_statement(std::string("a\0b", 3)); },
                "theorem.statement", "NUL"),
      ProveCase("NUL in context",
                [](auto& r) { r.mutable_theorem()->set_context(std::string("a\0b", 3)); },
                "theorem.context", "NUL"),
      ProveCase("two-line name", [](auto& r) { r.mutable_theorem()->set_name("a\nb"); },
                "theorem.name", "one line"),
      ProveCase("long file_path",
                [](auto& r) { r.mutable_theorem()->set_file_path(std::string(600, 'x')); },
                "theorem.file_path", "too long"),
      ProveCase("two-line session", [](auto& r) { r.mutable_theorem()->set_session("a\nb"); },
                "theorem.session", "one line"),
      ProveCase("two-line working_directory",
                [](auto& r) { r.mutable_theorem()->set_working_directory("a\nb"); },
                "theorem.working_directory", "one line"),
      ProveCase("empty import", [](auto& r) { r.mutable_theorem()->add_imports(""); },
                "theorem.imports[0]", "empty"),
      ProveCase("zero queue", [](auto& r) { r.mutable_config()->set_queue_size(0); },
                "config.queue_size", "between 1"),
      ProveCase("zero queries", [](auto& r) { r.mutable_config()->set_max_model_queries(0); },
                "config.max_model_queries", "between 1"),
      ProveCase("zero samples", [](auto& r) { r.mutable_config()->set_samples_per_query(0); },
                "config.samples_per_query", "between 1"),
      ProveCase("zero inflight queries",
                [](auto& r) { r.mutable_config()->set_max_inflight_queries(0); },
                "config.max_inflight_queries", "between 1"),
      ProveCase("zero inflight steps",
                [](auto& r) { r.mutable_config()->set_max_inflight_steps(0); },
                "config.max_inflight_steps", "between 1"),
      ProveCase("negative temperature", [](auto& r) { r.mutable_config()->set_temperature(-1); },
                "config.temperature", "between 0 and 10"),
      ProveCase("huge temperature", [](auto& r) { r.mutable_config()->set_temperature(50); },
                "config.temperature", "between 0 and 10"),
      ProveCase("5 MB statement",
                [](auto& r) { r.mutable_theorem()->set_statement(std::string(5 << 20, 'x')); },
                "theorem.statement", "at most 1048576"),
      ProveCase("zero wall time", [](auto& r) { r.mutable_config()->set_wall_time_s(0); },
                "config.wall_time_s", "positive"),
      ProveCase("NaN step timeout",
                [](auto& r) { r.mutable_config()->set_step_timeout_s(std::nan("")); },
                "config.step_timeout_s", "positive"),
      ProveCase("negative hammer timeout",
                [](auto& r) { r.mutable_config()->set_hammer_timeout_s(-3); },
                "config.hammer_timeout_s", "positive"),
      ProveCase("unknown policy", [](auto& r) { r.mutable_config()->set_policy("gpt-9"); },
                "config.policy", "available: fixed, hammer_only"),
      ProveCase("two-line hammer token",
                [](auto& r) { r.mutable_config()->set_hammer_token("a\nb"); },
                "config.hammer_token", "one line"),
      UnaryCase<v1::SuggestStepsRequest, v1::SuggestStepsResponse>(
          "suggest n too big", &S::SuggestSteps,
          [](auto& r) { *r.mutable_theorem() = FakeTheorem(); r.set_n(65); }, "n",
          "between 1 and 64"),
      UnaryCase<v1::SuggestStepsRequest, v1::SuggestStepsResponse>(
          "suggest empty step", &S::SuggestSteps,
          [](auto& r) { *r.mutable_theorem() = FakeTheorem(); r.add_steps("a"); r.add_steps(" "); },
          "steps[1]", "empty step"),
      UnaryCase<v1::SuggestStepsRequest, v1::SuggestStepsResponse>(
          "suggest bad temperature", &S::SuggestSteps,
          [](auto& r) { *r.mutable_theorem() = FakeTheorem(); r.set_temperature(-0.5); },
          "temperature", "between 0"),
      UnaryCase<v1::SuggestStepsRequest, v1::SuggestStepsResponse>(
          "suggest bad step timeout", &S::SuggestSteps,
          [](auto& r) { *r.mutable_theorem() = FakeTheorem(); r.set_step_timeout_s(0); },
          "step_timeout_s", "positive"),
      UnaryCase<v1::SuggestStepsRequest, v1::SuggestStepsResponse>(
          "suggest unknown policy", &S::SuggestSteps,
          [](auto& r) { *r.mutable_theorem() = FakeTheorem(); r.set_policy("nope"); }, "policy",
          "available: fixed"),
      UnaryCase<v1::SuggestStepsRequest, v1::SuggestStepsResponse>(
          "suggest no theorem", &S::SuggestSteps, [](auto&) {}, "theorem", "required"),
      UnaryCase<v1::SelectPremisesRequest, v1::SelectPremisesResponse>(
          "premises no problem", &S::SelectPremises, [](auto&) {}, "tptp_problem", "required"),
      UnaryCase<v1::SelectPremisesRequest, v1::SelectPremisesResponse>(
          "premises bad method", &S::SelectPremises,
          [](auto& r) { r.set_tptp_problem("fof(c, conjecture, p)."); r.set_method("bm25"); },
          "method", "available: mepo, knn, mesh"),
      UnaryCase<v1::SelectPremisesRequest, v1::SelectPremisesResponse>(
          "premises zero max", &S::SelectPremises,
          [](auto& r) { r.set_tptp_problem("fof(c, conjecture, p)."); r.set_max_premises(0); },
          "max_premises", "between 1"),
      UnaryCase<v1::SelectPremisesRequest, v1::SelectPremisesResponse>(
          "premises malformed tptp", &S::SelectPremises,
          [](auto& r) { r.set_tptp_problem("fof(c, conjecture, ((("); }, "tptp_problem", ""),
      UnaryCase<v1::HammerRequest, v1::HammerResponse>(
          "hammer no goal", &S::Hammer, [](auto&) {}, "goal", "required"),
      UnaryCase<v1::HammerRequest, v1::HammerResponse>(
          "hammer unknown atp", &S::Hammer,
          [](auto& r) { r.set_tptp_problem("fof(c, conjecture, p)."); r.add_provers("e");
                        r.add_provers("prover9"); },
          "provers[1]", "available: cvc4, cvc5, e"),
      UnaryCase<v1::HammerRequest, v1::HammerResponse>(
          "hammer zero timeout", &S::Hammer,
          [](auto& r) { r.set_tptp_problem("fof(c, conjecture, p)."); r.set_timeout_s(0); },
          "timeout_s", "positive"),
      UnaryCase<v1::HammerRequest, v1::HammerResponse>(
          "hammer zero premises", &S::Hammer,
          [](auto& r) { r.set_tptp_problem("fof(c, conjecture, p)."); r.set_max_premises(0); },
          "max_premises", "between 1"),
      UnaryCase<v1::HammerRequest, v1::HammerResponse>(
          "hammer state without theorem", &S::Hammer,
          [](auto& r) { r.mutable_state()->add_steps("x"); }, "state.theorem", "required"),
      UnaryCase<v1::HammerRequest, v1::HammerResponse>(
          "hammer state unknown prover", &S::Hammer,
          [](auto& r) { *r.mutable_state()->mutable_theorem() = FakeTheorem();
                        r.mutable_state()->mutable_theorem()->set_prover("hol"); },
          "state.theorem.prover", "available: coq"),
      UnaryCase<v1::CheckProofRequest, v1::CheckProofResponse>(
          "check neither steps nor text", &S::CheckProof,
          [](auto& r) { *r.mutable_theorem() = FakeTheorem(); }, "proof_text", "exactly one"),
      UnaryCase<v1::CheckProofRequest, v1::CheckProofResponse>(
          "check both steps and text", &S::CheckProof,
          [](auto& r) { *r.mutable_theorem() = FakeTheorem(); r.add_steps("close");
                        r.set_proof_text("close"); },
          "steps", "exactly one"),
      UnaryCase<v1::CheckProofRequest, v1::CheckProofResponse>(
          "check zero timeout", &S::CheckProof,
          [](auto& r) { *r.mutable_theorem() = FakeTheorem(); r.add_steps("close");
                        r.set_timeout_s(0); },
          "timeout_s", "positive"),
      UnaryCase<v1::CheckProofRequest, v1::CheckProofResponse>(
          "check no theorem", &S::CheckProof, [](auto& r) { r.add_steps("close"); }, "theorem",
          "required"),
  };
  return c;
}

// No status message or log line carries an unbounded input.
TEST(ValidationTest, StatusMessagesAndLogLinesAreBounded) {
  const std::string huge(5 << 20, 'y');
  grpc::Status s = ToGrpcStatus(absl::InvalidArgumentError("Coq rejected: " + huge));
  EXPECT_LE(s.error_message().size(), 8u << 10);
  EXPECT_NE(s.error_message().find("bytes cut]"), std::string::npos);
  std::ostringstream log;
  SetLogStream(&log);
  LogEvent("warning", "rpc_failed", {{"message", huge}, {"code", "INVALID_ARGUMENT"}});
  SetLogStream(nullptr);
  EXPECT_LT(log.str().size(), 4u << 10) << log.str().substr(0, 200);
  EXPECT_NE(log.str().find("INVALID_ARGUMENT"), std::string::npos);
}

TEST(ValidationTest, EveryBadFieldIsNamed) {
  auto t = TestServer::Start();
  ASSERT_NE(t, nullptr);
  for (const Case& c : Cases()) {
    auto ctx = ContextWithTimeout(absl::Seconds(20));
    grpc::Status s = c.call(t->stub.get(), ctx.get());
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << c.name << ": " << s.error_message();
    const std::string& m = s.error_message();
    EXPECT_TRUE(m.rfind(c.field + ":", 0) == 0 || m.rfind(c.field + ",", 0) == 0 ||
                m.find(" " + c.field + ":") != std::string::npos)
        << c.name << ": the message does not name " << c.field << ": " << m;
    EXPECT_NE(s.error_message().find(c.reason), std::string::npos)
        << c.name << ": " << s.error_message();
  }
  // Nothing was admitted: bad requests never reach a prover.
  EXPECT_EQ(t->backend->sessions_started(), 0);
}

}  // namespace
}  // namespace thor::testing
