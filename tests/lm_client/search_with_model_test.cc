// The search driven by a real HTTP policy against the fake model server.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lm_client/policy_factory.h"
#include "search/best_first.h"
#include "tests/lm_client/fake_model_server.h"
#include "tests/search/search_test_util.h"
#include "tests/search/sim_prover.h"

namespace thor::testing {
namespace {

using ::testing::HasSubstr;

struct Fixture {
  Fixture() {
    world->Step("root", "apply simp", "s1").Finish("s1", "by arith");
    backend = std::make_unique<SimProverBackend>(world, SimProverOptions());
  }
  SearchResult Run(const std::string& base_url, SearchConfig c = FastConfig()) {
    PolicyOptions o;
    o.base_url = base_url;
    o.model = "fake";
    o.http.initial_backoff = absl::Milliseconds(10);
    auto policy = MakePolicy("openai", o);
    EXPECT_TRUE(policy.ok()) << policy.status();
    Theorem t = SimTheorem("root");
    return RunBestFirstSearch(*backend, **policy, t, c, nullptr, nullptr);
  }
  std::shared_ptr<ScriptedWorld> world = std::make_shared<ScriptedWorld>();
  std::unique_ptr<SimProverBackend> backend;
};

TEST(SearchWithModelTest, FindsProofWithOpenAiPolicy) {
  FakeModelServer server;
  FakeReply r;
  r.texts = {"apply simp", "by arith", "apply auto"};
  r.logprobs = {-0.2, -0.3, -1.0};
  server.SetDefault(r);
  Fixture f;
  SearchResult res = f.Run(server.base_url());
  ASSERT_EQ(res.status, SearchStatus::kProved) << res.message;
  EXPECT_EQ(res.proof_text, "apply simp\nby arith");
  EXPECT_EQ(res.policy, "openai:fake");
}

TEST(SearchWithModelTest, ModelDownGivesErrorStatusAndClearMessage) {
  Fixture f;
  SearchResult res = f.Run("http://127.0.0.1:" +
                           std::to_string(FakeModelServer::UnusedPort()));
  EXPECT_EQ(res.status, SearchStatus::kError);
  EXPECT_THAT(res.message, HasSubstr("cannot reach model server"));
}

TEST(SearchWithModelTest, MalformedModelGivesErrorStatus) {
  FakeModelServer server;
  FakeReply r;
  r.kind = FakeReply::Kind::kMalformed;
  server.SetDefault(r);
  Fixture f;
  SearchResult res = f.Run(server.base_url());
  EXPECT_EQ(res.status, SearchStatus::kError);
  EXPECT_THAT(res.message, HasSubstr("malformed JSON"));
}

TEST(SearchWithModelTest, SlowModelGivesErrorStatus) {
  FakeModelServer server;
  FakeReply r;
  r.latency = absl::Seconds(2);
  server.SetDefault(r);
  Fixture f;
  SearchConfig c = FastConfig();
  c.query_timeout = absl::Milliseconds(100);
  SearchResult res = f.Run(server.base_url(), c);
  EXPECT_EQ(res.status, SearchStatus::kError);
  EXPECT_THAT(res.message, HasSubstr("DEADLINE_EXCEEDED"));
}

TEST(SearchWithModelTest, EmptyCompletionsExhaustTheSearch) {
  FakeModelServer server;
  FakeReply r;
  r.kind = FakeReply::Kind::kEmpty;
  server.SetDefault(r);
  Fixture f;
  SearchResult res = f.Run(server.base_url());
  EXPECT_EQ(res.status, SearchStatus::kExhausted) << res.message;
}

}  // namespace
}  // namespace thor::testing
