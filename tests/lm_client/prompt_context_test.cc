// The prompt carries the theorem's local context: the definitions, lemmas
// and notations of Theorem::context that the goals mention (split into
// items by each prover's bridge), within a size cap. Asserted on what a
// fake OpenAI-compatible server receives over real HTTP on loopback.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lm_client/policy_factory.h"
#include "lm_client/prompt.h"
#include "nlohmann/json.hpp"
#include "provers/provers.h"
#include "tests/lm_client/fake_model_server.h"

namespace thor {
namespace {

using nlohmann::json;
using ::testing::EndsWith;
using testing::FakeModelServer;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kCoqContext[] =
    "Require Import Arith.\n"
    "Definition double (n : nat) : nat := n + n.\n"
    "Definition quadruple (n : nat) : nat := double (double n).\n"
    "Lemma unrelated : True.\nProof. exact I. Qed.\n"
    "Inductive color := Red | Green.\n"
    "Notation \"x +++ y\" := (x + y) (at level 50).\n";

class PromptContextTest : public ::testing::Test {
 protected:
  // The prompt the model server received for one query on `goals`, sent
  // by the policy `kind` with `options`.
  std::string PromptFor(const std::string& kind, PolicyOptions options, const Theorem& theorem,
                        const std::string& goals) {
    options.base_url = server_.base_url();
    options.model = "m";
    options.prover_heuristics = AllProverHeuristics();
    absl::StatusOr<std::unique_ptr<Policy>> policy = MakePolicy(kind, options);
    EXPECT_TRUE(policy.ok()) << policy.status();
    if (!policy.ok()) return "";
    PolicyQuery query;
    query.theorem = &theorem;
    query.state_text = goals;
    query.last_step = "intros.";
    query.n = 1;
    const size_t before = server_.requests().size();
    absl::StatusOr<std::vector<Candidate>> got = (*policy)->Propose(query, absl::Seconds(10));
    EXPECT_TRUE(got.ok()) << got.status();
    const std::vector<testing::RecordedRequest> requests = server_.requests();
    EXPECT_EQ(requests.size(), before + 1);
    if (requests.size() != before + 1) return "";
    json body = json::parse(requests.back().body);
    if (body.contains("messages")) return body["messages"].back()["content"].get<std::string>();
    if (body.contains("context")) return body["context"].get<std::string>();
    return body["prompt"].get<std::string>();
  }

  static Theorem CoqTheorem() {
    Theorem t;
    t.prover = "coq";
    t.context = kCoqContext;
    t.statement = "Lemma t : forall n, quadruple n = n +++ n +++ n +++ n.";
    return t;
  }

  FakeModelServer server_;
};

TEST_F(PromptContextTest, CoqDefinitionsAndNotationsTheGoalMentions) {
  const std::string prompt =
      PromptFor("openai", {}, CoqTheorem(),
                "n : nat\n============================\nquadruple n = n +++ n +++ n +++ n");
  // The goal's definition, the one that definition uses, and the notation.
  EXPECT_THAT(prompt, StartsWith("Definition double (n : nat) : nat := n + n.\n"
                                 "Definition quadruple (n : nat) : nat := double (double n).\n"
                                 "Notation \"x +++ y\" := (x + y) (at level 50).\n"));
  EXPECT_THAT(prompt, Not(HasSubstr("unrelated")));
  EXPECT_THAT(prompt, Not(HasSubstr("color")));
  EXPECT_THAT(prompt, Not(HasSubstr("Require")));
  EXPECT_THAT(prompt, EndsWith("<CTX> intros. <PRF_STT> n : nat\n"
                               "============================\n"
                               "quadruple n = n +++ n +++ n +++ n <PRF_STP>"));
  // A constructor names its type; the chat endpoint gets the same prompt.
  const std::string chat = PromptFor("openai-chat", {}, CoqTheorem(), "Red = Green");
  EXPECT_THAT(chat, StartsWith("Inductive color := Red | Green.\n<CTX> "));
  EXPECT_THAT(chat, Not(HasSubstr("double")));
}

TEST_F(PromptContextTest, TheSizeCapKeepsTheItemsTheGoalMentions) {
  PolicyOptions options;
  options.local_context_bytes = 70;  // The quadruple line (59 bytes + newline), not double too.
  const std::string prompt = PromptFor("openai", options, CoqTheorem(), "quadruple 2 = 8");
  EXPECT_THAT(prompt, StartsWith("Definition quadruple (n : nat) : nat := double (double n).\n"
                                 "<CTX> "));
  options.local_context_bytes = 0;  // Off: Thor's exact format.
  EXPECT_EQ(PromptFor("openai", options, CoqTheorem(), "quadruple 2 = 8"),
            "<CTX> intros. <PRF_STT> quadruple 2 = 8 <PRF_STP>");
  options = {};
  options.prompt_template = "{state}";  // A template without it.
  EXPECT_EQ(PromptFor("openai", options, CoqTheorem(), "quadruple 2 = 8"), "quadruple 2 = 8");
}

TEST_F(PromptContextTest, IsabelleItemsComeFromItsBridgeToo) {
  Theorem t;
  t.prover = "isabelle";
  t.context =
      "theory T imports Main begin\n"
      "definition sq :: \"nat \\<Rightarrow> nat\" where \"sq n = n * n\"\n"
      "lemma sq_mono [simp]: \"m \\<le> n \\<Longrightarrow> sq m \\<le> sq n\"\n"
      "  unfolding sq_def by (simp add: mult_le_mono)\n"
      "fun plus3 :: \"nat \\<Rightarrow> nat \\<Rightarrow> nat\" (infixl \"+++\" 65) where\n"
      "  \"a +++ b = a + b\"\n";
  t.statement = "lemma \"sq 3 = 9\"";
  const std::string prompt = PromptFor("pisa-http", {}, t, "goal (1 subgoal):\n 1. sq 3 = 9");
  EXPECT_THAT(prompt, StartsWith("definition sq :: \"nat \\<Rightarrow> nat\" where "
                                 "\"sq n = n * n\"\n<CTX> "));
  EXPECT_THAT(prompt, Not(HasSubstr("sq_mono")));  // It mentions sq, not the other way round.
  EXPECT_THAT(prompt, Not(HasSubstr("unfolding")));
  const std::string notation = PromptFor("pisa-http", {}, t, "goal (1 subgoal):\n 1. 1 +++ 2 = 3");
  EXPECT_THAT(notation, StartsWith("fun plus3 "));
}

TEST(LocalContextTest, NoTheoremContextOrProverGivesNothing) {
  PolicyOptions options;
  options.prover_heuristics = AllProverHeuristics();
  Theorem t;
  t.prover = "coq";
  PolicyQuery query;
  query.state_text = "double 2 = 4";
  EXPECT_EQ(LocalContext(options, query), "");  // No theorem.
  query.theorem = &t;
  EXPECT_EQ(LocalContext(options, query), "");  // No context.
  t.context = kCoqContext;
  EXPECT_THAT(LocalContext(options, query), StartsWith("Definition double"));
  t.prover = "lean";
  EXPECT_EQ(LocalContext(options, query), "");  // A prover without a bridge.
}

}  // namespace
}  // namespace thor
