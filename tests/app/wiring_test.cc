// The server's registry built from configuration: HTTP model policies from
// config.policies (talking to a real HTTP fake), Coq hammer modes, and errors
// that name the key.
#include "app/wiring.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "server/config.h"
#include "tests/lm_client/fake_model_server.h"

namespace thor {
namespace {

ServerConfig Parse(const std::string& json) {
  absl::StatusOr<ServerConfig> c = ParseServerConfig(json);
  EXPECT_TRUE(c.ok()) << c.status();
  return c.ok() ? *c : ServerConfig{};
}

TEST(WiringTest, OpenAiPolicyFromConfigAsksTheModelServer) {
  testing::FakeModelServer model;
  testing::FakeReply reply;
  reply.texts = {"by simp", "by auto"};
  model.SetDefault(reply);
  ServerConfig config = Parse(absl::StrCat(
      R"({"policies": {"gpt": {"kind": "openai", "base_url": ")", model.base_url(),
      R"(", "model": "thor-700m", "max_tokens": 64, "retries": 0}}})"));
  auto registry = BuildRegistry(config);
  ASSERT_TRUE(registry.ok()) << registry.status();
  auto policy = (*registry)->GetPolicy("gpt", "policy");
  ASSERT_TRUE(policy.ok()) << policy.status();
  Theorem theorem;
  theorem.prover = "isabelle";
  PolicyQuery query;
  query.theorem = &theorem;
  query.state_text = "goal (1 subgoal): 1. x = x";
  query.n = 4;
  auto candidates = (*policy)->Propose(query, absl::Seconds(10));
  ASSERT_TRUE(candidates.ok()) << candidates.status();
  ASSERT_FALSE(candidates->empty());
  std::vector<testing::RecordedRequest> requests = model.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].path, "/v1/completions");
  EXPECT_NE(requests[0].body.find("\"thor-700m\""), std::string::npos) << requests[0].body;
}

TEST(WiringTest, PolicyErrorsNameTheKey) {
  auto bad_key = BuildRegistry(Parse(R"({"policies": {"m": {"kind": "openai", "modle": "x"}}})"));
  ASSERT_FALSE(bad_key.ok());
  EXPECT_NE(bad_key.status().message().find("config.policies.m.modle"), std::string::npos)
      << bad_key.status();
  auto bad_type = BuildRegistry(Parse(R"({"policies": {"m": {"kind": "openai", "top_p": "x"}}})"));
  ASSERT_FALSE(bad_type.ok());
  EXPECT_NE(bad_type.status().message().find("top_p"), std::string::npos) << bad_type.status();
  auto bad_kind = BuildRegistry(Parse(R"({"policies": {"m": {"kind": "gpt5"}}})"));
  ASSERT_FALSE(bad_kind.ok());
  EXPECT_NE(bad_kind.status().message().find("pisa-http"), std::string::npos)
      << "the error lists the available kinds: " << bad_kind.status();
}

TEST(WiringTest, CoqHammerModes) {
  for (const char* mode : {"native", "external", "both"}) {
    auto r = BuildRegistry(Parse(absl::StrCat(R"({"provers": {"coq": {"hammer": ")", mode,
                                              R"("}}})")));
    EXPECT_TRUE(r.ok()) << mode << ": " << r.status();
  }
  auto bad = BuildRegistry(Parse(R"({"provers": {"coq": {"hammer": "magic"}}})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("config.provers.coq.hammer"), std::string::npos)
      << bad.status();
}

// Every prover of provers/ is registered as the configuration says.
TEST(WiringTest, ProversComeFromTheProverList) {
  auto defaults = BuildRegistry(Parse("{}"));
  ASSERT_TRUE(defaults.ok()) << defaults.status();
  EXPECT_EQ((*defaults)->BackendNames(), (std::vector<std::string>{"coq"}));
  EXPECT_TRUE((*defaults)->Backend("coq", "prover").ok());
  // Isabelle needs PISA servers: listed, unavailable, and the error says how.
  auto isabelle = (*defaults)->Backend("isabelle", "prover");
  EXPECT_EQ(isabelle.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(isabelle.status().message().find("--pisa"), std::string::npos) << isabelle.status();
  // A disabled Coq is not offered at all.
  auto no_coq = BuildRegistry(Parse(R"({"provers": {"coq": {"enabled": false}}})"));
  ASSERT_TRUE(no_coq.ok()) << no_coq.status();
  EXPECT_EQ((*no_coq)->Backend("coq", "prover").status().code(),
            absl::StatusCode::kInvalidArgument);
  // An unknown prover names the key and lists the known ones.
  auto lean = BuildRegistry(Parse(R"({"provers": {"lean": {}}})"));
  ASSERT_FALSE(lean.ok());
  EXPECT_NE(lean.status().message().find("config.provers.lean"), std::string::npos);
  EXPECT_NE(lean.status().message().find("available: coq, isabelle"), std::string::npos)
      << lean.status();
}

// The built-in and configured heuristic policies ask the provers' modules for
// their cheap steps.
TEST(WiringTest, HeuristicPoliciesUseEveryProversSteps) {
  auto registry = BuildRegistry(Parse(R"({"policies": {"h": {"kind": "heuristic"}}})"));
  ASSERT_TRUE(registry.ok()) << registry.status();
  for (const char* name : {"heuristic", "h"}) {
    auto policy = (*registry)->GetPolicy(name, "policy");
    ASSERT_TRUE(policy.ok()) << policy.status();
    Theorem theorem;
    PolicyQuery query;
    query.theorem = &theorem;
    query.n = 1;
    theorem.prover = "coq";
    auto coq = (*policy)->Propose(query, absl::Seconds(1));
    ASSERT_TRUE(coq.ok()) << name << ": " << coq.status();
    EXPECT_EQ((*coq)[0].step, "auto") << name;
    theorem.prover = "isabelle";
    auto isabelle = (*policy)->Propose(query, absl::Seconds(1));
    ASSERT_TRUE(isabelle.ok()) << name << ": " << isabelle.status();
    EXPECT_EQ((*isabelle)[0].step, "by auto") << name;
  }
}

}  // namespace
}  // namespace thor
