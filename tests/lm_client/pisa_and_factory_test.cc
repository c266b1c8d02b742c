// PISA-style /complete policy, the heuristic policy and the factory.
#include <algorithm>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lm_client/heuristic_policy.h"
#include "coq_bridge/coq_heuristics.h"
#include "lm_client/complete_http_policy.h"
#include "lm_client/policy_factory.h"
#include "provers/provers.h"
#include "nlohmann/json.hpp"
#include "tests/lm_client/fake_model_server.h"

namespace thor {
namespace {

using testing::FakeModelServer;
using testing::FakeReply;
using ::testing::HasSubstr;
using nlohmann::json;

TEST(CompleteHttpPolicyTest, PostsCompleteAndParses) {
  FakeModelServer server;
  FakeReply r;
  r.texts = {"by simp", "<hammer>"};
  r.logprobs = {-0.1, -0.3};
  server.SetDefault(r);
  PolicyOptions o;
  o.base_url = server.base_url();
  o.max_tokens = 64;
  o.top_p = 0.95;
  auto policy = CompleteHttpPolicy::Create(o);
  ASSERT_TRUE(policy.ok());
  PolicyQuery q;
  q.state_text = "goal";
  q.n = 2;
  q.temperature = 0.8;
  auto got = (*policy)->Propose(q, absl::Seconds(5));
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->size(), 2u);
  EXPECT_EQ((*got)[0].step, "by simp");
  EXPECT_TRUE((*got)[1].is_hammer);
  EXPECT_EQ((*got)[1].step, "<hammer>");
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].path, "/complete");
  json body = json::parse(reqs[0].body);
  EXPECT_EQ(body["context"], "<CTX>  <PRF_STT> goal <PRF_STP>");
  EXPECT_DOUBLE_EQ(body["temp"].get<double>(), 0.8);
  EXPECT_EQ(body["gen_tokens"], 64);
  EXPECT_EQ(body["n"], 2);
  EXPECT_DOUBLE_EQ(body["top_p"].get<double>(), 0.95);
}

TEST(ParseCompleteResponseTest, AcceptedShapes) {
  auto a = ParseCompleteResponse(R"(["x", "y"])");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->size(), 2u);
  EXPECT_FALSE((*a)[0].has_logprob);
  auto b = ParseCompleteResponse(R"({"samples":[{"text":"x","log_prob":-2}]})");
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->size(), 1u);
  EXPECT_DOUBLE_EQ((*b)[0].logprob, -2);
  auto c = ParseCompleteResponse(R"({"completion":["x"],"scores":[-1.5]})");
  ASSERT_TRUE(c.ok());
  EXPECT_DOUBLE_EQ((*c)[0].logprob, -1.5);
  EXPECT_EQ(ParseCompleteResponse(R"({"foo":1})").status().code(),
            absl::StatusCode::kInternal);
  EXPECT_EQ(ParseCompleteResponse("not json").status().code(),
            absl::StatusCode::kInternal);
}

TEST(HeuristicPolicyTest, IsabelleListThenHammer) {
  HeuristicPolicy p(AllProverHeuristics());
  Theorem t;
  t.prover = "isabelle";
  PolicyQuery q;
  q.theorem = &t;
  q.n = 32;
  auto got = p.Propose(q, absl::Seconds(1));
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->size(), 12u);
  EXPECT_EQ((*got)[0].step, "by auto");
  EXPECT_EQ((*got)[10].step, "by (auto simp: field_simps)");
  EXPECT_EQ((*got)[11].step, "<hammer>");
  EXPECT_TRUE((*got)[11].is_hammer);
  for (size_t i = 1; i < got->size(); ++i) {
    EXPECT_LT((*got)[i].logprob, (*got)[i - 1].logprob);
  }
  q.n = 3;
  EXPECT_EQ(p.Propose(q, absl::Seconds(1))->size(), 3u);
}

// A query on a Coq theorem whose hammer token is "hammer".
PolicyQuery CoqQuery(Theorem* t) {
  t->prover = "coq";
  PolicyQuery q;
  q.theorem = t;
  q.hammer_token = "hammer";
  return q;
}

TEST(HeuristicPolicyTest, CoqListAndUnknownProver) {
  HeuristicPolicy p(AllProverHeuristics());
  Theorem t;
  PolicyQuery q = CoqQuery(&t);
  auto got = p.Propose(q, absl::Seconds(1));
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->size(), 8u);  // No goal display: no induction steps.
  EXPECT_EQ((*got)[0].step, "auto");
  EXPECT_EQ((*got)[6].step, "hauto");
  EXPECT_EQ((*got)[7].step, "hammer");
  t.prover = "lean";
  auto bad = p.Propose(q, absl::Seconds(1));
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("known: coq, isabelle"));
}

// Goal displays as coqtop -emacs prints them (Coq 8.16).
constexpr char kNthRepeat[] =
    "1 goal (ID 11)\n  \n  A : Type\n  a : A\n  m, n : nat\n"
    "  ============================\n  nth n (repeat a m) a = a\n\n";
constexpr char kForalls[] =
    "1 goal (ID 15)\n  \n  ============================\n"
    "  forall (A : Type) (l : list A) (f : A -> nat),\n"
    "  list A -> forall n k : nat, (forall z : nat, z = z) -> length l = n + k\n\n"
    "goal 2 (ID 16) is:\n forall q : nat, q = q\n";

TEST(HeuristicPolicyTest, CoqInductionVariablesFromTheGoalDisplay) {
  // Hypotheses: the sort A and `a : A` (uppercase type) are not targets.
  EXPECT_EQ(coq::CoqInductionVariables(kNthRepeat, 3), (std::vector<std::string>{"m", "n"}));
  // Binders of top-level foralls, not of the nested one, not functions, not
  // the second goal's.
  EXPECT_EQ(coq::CoqInductionVariables(kForalls, 5), (std::vector<std::string>{"l", "n", "k"}));
  EXPECT_EQ(coq::CoqInductionVariables(kForalls, 2), (std::vector<std::string>{"l", "n"}));
  // Recursive datatypes first; other lowercase types after.
  EXPECT_EQ(coq::CoqInductionVariables("  b : bool\n  x : nat\n  ====\n  forall t : tree, P\n", 3),
            (std::vector<std::string>{"x", "b", "t"}));
  EXPECT_TRUE(coq::CoqInductionVariables("no goals here", 3).empty());
  EXPECT_TRUE(coq::CoqInductionVariables("  ====\n  forall (x : nat\n", 3).empty());
}

TEST(HeuristicPolicyTest, CoqInductionStepsComeBeforeTheHammer) {
  HeuristicPolicy p(AllProverHeuristics());
  Theorem t;
  PolicyQuery q = CoqQuery(&t);
  q.state_text = kNthRepeat;
  auto got = p.Propose(q, absl::Seconds(1));
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->size(), 10u);
  EXPECT_EQ((*got)[7].step, "induction m; sauto");
  EXPECT_EQ((*got)[8].step, "induction n; sauto");
  EXPECT_TRUE((*got)[9].is_hammer);
  // An explicit list is used as given.
  HeuristicPolicy fixed({"trivial"});
  EXPECT_EQ(fixed.Propose(q, absl::Seconds(1))->size(), 2u);
}

TEST(HammerPolicyTest, OnlyTheHammerTokenForEveryState) {
  auto p = MakePolicy("hammer", PolicyOptions());
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ((*p)->Name(), "hammer");
  Theorem t;
  PolicyQuery q = CoqQuery(&t);
  q.n = 32;
  for (const char* state : {"", kNthRepeat, kForalls}) {
    q.state_text = state;
    auto got = (*p)->Propose(q, absl::Seconds(1));
    ASSERT_TRUE(got.ok()) << got.status();
    ASSERT_EQ(got->size(), 1u) << state;
    EXPECT_EQ((*got)[0].step, "hammer");
    EXPECT_TRUE((*got)[0].is_hammer);
    EXPECT_DOUBLE_EQ((*got)[0].logprob, 0);
  }
  // Isabelle's token, whatever the prover.
  t.prover = "isabelle";
  q.hammer_token = "<hammer>";
  EXPECT_EQ((*(*p)->Propose(q, absl::Seconds(1)))[0].step, "<hammer>");
  q.n = 0;
  EXPECT_TRUE((*p)->Propose(q, absl::Seconds(1))->empty());
}

TEST(PolicyFactoryTest, BuildsEveryNamedPolicy) {
  PolicyOptions o;
  o.model = "m";
  for (const std::string& name : PolicyNames()) {
    if (name == "knn") continue;  // Needs a model file: knn_policy_test.
    auto p = MakePolicy(name, o);
    ASSERT_TRUE(p.ok()) << name << ": " << p.status();
  }
  EXPECT_EQ((*MakePolicy("openai-chat", o))->Name(), "openai-chat:m");
  o.heuristic_steps = {"trivial"};
  Theorem t;
  t.prover = "coq";
  PolicyQuery q;
  q.theorem = &t;
  auto got = (*MakePolicy("heuristic", o))->Propose(q, absl::Seconds(1));
  ASSERT_TRUE(got.ok());
  EXPECT_EQ((*got)[0].step, "trivial");
}

TEST(PolicyFactoryTest, ModelFreePoliciesBuildWithoutAnyOption) {
  const std::vector<std::string> all = PolicyNames();
  for (const std::string& name : ModelFreePolicyNames()) {
    EXPECT_NE(std::find(all.begin(), all.end(), name), all.end()) << name;
    PolicyOptions o;
    o.prover_heuristics = AllProverHeuristics();
    auto p = MakePolicy(name, o);
    ASSERT_TRUE(p.ok()) << name << ": " << p.status();
    EXPECT_EQ((*p)->Name(), name);
  }
  EXPECT_EQ(ModelFreePolicyNames(), (std::vector<std::string>{"heuristic", "hammer"}));
}

TEST(PolicyFactoryTest, UnknownNameListsTheAvailableOnes) {
  auto p = MakePolicy("gpt-f", PolicyOptions());
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(p.status().message(),
              HasSubstr("heuristic, hammer, knn, openai, openai-chat, pisa-http"));
}

}  // namespace
}  // namespace thor
