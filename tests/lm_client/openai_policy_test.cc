// OpenAI-compatible policy against the fake model server over real HTTP.
#include "lm_client/openai_policy.h"

#include <cstdlib>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/lm_client/fake_model_server.h"
#include "tests/testing/fake_env.h"

namespace thor {
namespace {

using testing::FakeModelServer;
using testing::FakeReply;
using ::testing::HasSubstr;
using nlohmann::json;

PolicyOptions Options(const std::string& base_url) {
  PolicyOptions o;
  o.base_url = base_url;
  o.model = "thor-700m";
  o.api_key_env = "THOR_TEST_OPENAI_KEY";
  o.http.initial_backoff = absl::Milliseconds(10);
  return o;
}

PolicyQuery Query(int n = 4) {
  PolicyQuery q;
  q.state_text = "goal (1 subgoal): 1. a + 0 = a";
  q.last_step = "apply simp";
  q.n = n;
  q.temperature = 1.2;
  q.seed = 42;
  q.hammer_token = "HAMMER";
  return q;
}

std::unique_ptr<OpenAiPolicy> Make(const PolicyOptions& o, bool chat = false) {
  auto p = OpenAiPolicy::Create(o, chat);
  EXPECT_TRUE(p.ok()) << p.status();
  return p.ok() ? std::move(*p) : nullptr;
}

TEST(OpenAiPolicyTest, CompletionsRequestAndResponse) {
  setenv("THOR_TEST_OPENAI_KEY", "sk-test", 1);
  FakeModelServer server;
  FakeReply r;
  r.texts = {" by simp <EOS>", "by auto", "by simp", "<hammer>"};
  r.logprobs = {-0.4, -1.0, -0.2, -0.7};
  server.SetDefault(r);
  auto policy = Make(Options(server.base_url()));
  auto got = policy->Propose(Query(4), absl::Seconds(5));
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->size(), 3u);
  EXPECT_EQ((*got)[0].step, "by simp");
  EXPECT_NEAR((*got)[0].logprob, -0.2, 1e-9);  // Best of the two copies.
  EXPECT_EQ((*got)[1].step, "HAMMER");
  EXPECT_TRUE((*got)[1].is_hammer);
  EXPECT_EQ((*got)[2].step, "by auto");
  EXPECT_EQ(policy->Name(), "openai:thor-700m");

  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].path, "/v1/completions");
  EXPECT_EQ(reqs[0].authorization, "Bearer sk-test");
  json body = json::parse(reqs[0].body);
  EXPECT_EQ(body["model"], "thor-700m");
  EXPECT_EQ(body["n"], 4);
  EXPECT_DOUBLE_EQ(body["temperature"].get<double>(), 1.2);
  EXPECT_EQ(body["max_tokens"], 128);
  EXPECT_EQ(body["logprobs"], 1);
  EXPECT_EQ(body["seed"], 42);
  EXPECT_EQ(body["stop"], json({"<EOS>", "\n"}));
  EXPECT_EQ(body["prompt"],
            "<CTX> apply simp <PRF_STT> goal (1 subgoal): 1. a + 0 = a <PRF_STP>");
  unsetenv("THOR_TEST_OPENAI_KEY");
}

TEST(OpenAiPolicyTest, ChatCompletionsWithV1BaseUrl) {
  FakeModelServer server;
  FakeReply r;
  r.texts = {"by blast", "by arith"};
  r.logprobs = {-0.3, -0.9};
  server.SetDefault(r);
  PolicyOptions o = Options(server.base_url() + "/v1/");
  o.system_prompt = "You write Isabelle proof steps.";
  auto policy = Make(o, /*chat=*/true);
  auto got = policy->Propose(Query(2), absl::Seconds(5));
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->size(), 2u);
  EXPECT_EQ((*got)[0].step, "by blast");
  EXPECT_NEAR((*got)[0].logprob, -0.3, 1e-9);
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].path, "/v1/chat/completions");
  EXPECT_EQ(reqs[0].authorization, "");
  json body = json::parse(reqs[0].body);
  EXPECT_EQ(body["messages"][0]["role"], "system");
  EXPECT_EQ(body["messages"][1]["role"], "user");
  EXPECT_EQ(body["logprobs"], true);
}

TEST(OpenAiPolicyTest, ReusesConnections) {
  FakeModelServer server;
  auto policy = Make(Options(server.base_url()));
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(policy->Propose(Query(1), absl::Seconds(5)).ok());
  }
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[0].remote_port, reqs[2].remote_port);
}

TEST(OpenAiPolicyTest, ServesConcurrentQueries) {
  FakeModelServer server;
  FakeReply r;
  r.latency = absl::Milliseconds(150);
  server.SetDefault(r);
  auto policy = Make(Options(server.base_url()));
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      if (policy->Propose(Query(1), absl::Seconds(5)).ok()) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 4);
  EXPECT_GE(server.max_concurrent(), 2);
}

TEST(OpenAiPolicyTest, ServerDownIsUnavailableNamingTheUrl) {
  PolicyOptions o = Options(
      "http://127.0.0.1:" + std::to_string(FakeModelServer::UnusedPort()));
  auto got = Make(o)->Propose(Query(), absl::Seconds(5));
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(got.status().message(), HasSubstr("cannot reach model server"));
  EXPECT_THAT(got.status().message(), HasSubstr(o.base_url));
}

TEST(OpenAiPolicyTest, SlowServerHitsDeadline) {
  FakeModelServer server;
  FakeReply r;
  r.latency = absl::Seconds(3);
  server.SetDefault(r);
  const absl::Time t0 = absl::Now();
  auto got = Make(Options(server.base_url()))->Propose(Query(), absl::Milliseconds(200));
  EXPECT_EQ(got.status().code(), absl::StatusCode::kDeadlineExceeded) << got.status();
  EXPECT_LT(absl::Now() - t0, absl::Seconds(2));
}

TEST(OpenAiPolicyTest, CancelStopsAQueryInFlight) {
  FakeModelServer server;
  FakeReply r;
  r.latency = absl::Seconds(3);
  server.SetDefault(r);
  std::atomic<bool> cancel{false};
  PolicyQuery q = Query();
  q.cancel = &cancel;
  std::thread t([&] {
    absl::SleepFor(absl::Milliseconds(100));
    cancel = true;
  });
  const absl::Time t0 = absl::Now();
  auto got = Make(Options(server.base_url()))->Propose(q, absl::Seconds(10));
  t.join();
  EXPECT_EQ(got.status().code(), absl::StatusCode::kCancelled) << got.status();
  EXPECT_LT(absl::Now() - t0, absl::Seconds(2));
}

TEST(OpenAiPolicyTest, MalformedJsonIsInternalError) {
  FakeModelServer server;
  FakeReply r;
  r.kind = FakeReply::Kind::kMalformed;
  server.SetDefault(r);
  auto got = Make(Options(server.base_url()))->Propose(Query(), absl::Seconds(5));
  EXPECT_EQ(got.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(got.status().message(), HasSubstr("malformed JSON"));
}

TEST(OpenAiPolicyTest, RetriesServerErrorsThenSucceeds) {
  FakeModelServer server;
  FakeReply bad;
  bad.http_status = 503;
  server.Enqueue(bad);
  auto got = Make(Options(server.base_url()))->Propose(Query(1), absl::Seconds(5));
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(server.requests().size(), 2u);
}

// Options for a model server that answers every request with HTTP 503,
// retried `retries` times with 10 s doubling to 60 s of backoff in `env`.
PolicyOptions AlwaysUnavailable(FakeModelServer& server, testing::FakeEnv& env, int retries) {
  FakeReply bad;
  bad.http_status = 503;
  server.SetDefault(bad);
  PolicyOptions o = Options(server.base_url());
  o.http.retries = retries;
  o.http.initial_backoff = absl::Seconds(10);
  o.http.max_backoff = absl::Seconds(60);
  o.http.env = &env;
  return o;
}

TEST(OpenAiPolicyTest, BackoffBetweenRetriesIsTheEnvsTime) {
  FakeModelServer server;
  testing::FakeEnv env;
  PolicyOptions o = AlwaysUnavailable(server, env, 4);
  o.http.request_timeout = absl::Minutes(10);
  const absl::Time fake_start = env.Now();
  const absl::Time real_start = absl::Now();
  auto got = Make(o)->Propose(Query(1), absl::Minutes(10));
  EXPECT_EQ(got.status().code(), absl::StatusCode::kUnavailable) << got.status();
  EXPECT_THAT(got.status().message(), HasSubstr("HTTP 503"));
  EXPECT_EQ(server.requests().size(), 5u);
  EXPECT_EQ(env.Now() - fake_start, absl::Seconds(10 + 20 + 40 + 60));
  EXPECT_LT(absl::Now() - real_start, absl::Seconds(5));
}

TEST(OpenAiPolicyTest, TheDeadlineCutsTheRetriesInTheEnvsTime) {
  FakeModelServer server;
  testing::FakeEnv env;
  PolicyOptions o = AlwaysUnavailable(server, env, 10);
  const absl::Time fake_start = env.Now();
  // Attempts at 0, 10, 30 and 70 s; the last wait is cut to the 100 s deadline.
  auto got = Make(o)->Propose(Query(1), absl::Seconds(100));
  EXPECT_EQ(got.status().code(), absl::StatusCode::kUnavailable) << got.status();
  EXPECT_EQ(server.requests().size(), 4u);
  EXPECT_EQ(env.Now() - fake_start, absl::Seconds(100));
}

TEST(OpenAiPolicyTest, ClientErrorsAreNotRetried) {
  FakeModelServer server;
  FakeReply bad;
  bad.http_status = 404;
  server.SetDefault(bad);
  auto got = Make(Options(server.base_url()))->Propose(Query(1), absl::Seconds(5));
  EXPECT_EQ(got.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(got.status().message(), HasSubstr("model name"));
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(OpenAiPolicyTest, EmptyAndHugeCompletions) {
  FakeModelServer server;
  FakeReply empty;
  empty.kind = FakeReply::Kind::kEmpty;
  server.Enqueue(empty);
  FakeReply huge;
  huge.kind = FakeReply::Kind::kHuge;
  huge.huge_bytes = 64 * 1024;
  server.Enqueue(huge);
  server.Enqueue(huge);
  PolicyOptions o = Options(server.base_url());
  auto policy = Make(o);
  auto got = policy->Propose(Query(), absl::Seconds(5));
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(got->empty());
  got = policy->Propose(Query(), absl::Seconds(5));  // Step over max_step_bytes.
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(got->empty());
  o.http.max_response_bytes = 16 * 1024;
  got = Make(o)->Propose(Query(), absl::Seconds(5));
  EXPECT_EQ(got.status().code(), absl::StatusCode::kResourceExhausted);
}

TEST(OpenAiPolicyTest, BadOptionsAreRefused) {
  PolicyOptions o = Options("localhost:8000");
  EXPECT_EQ(OpenAiPolicy::Create(o, false).status().code(),
            absl::StatusCode::kInvalidArgument);
  o = Options("http://127.0.0.1:8000");
  o.model.clear();
  EXPECT_EQ(OpenAiPolicy::Create(o, false).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ParseOpenAiResponseTest, MissingLogprobsAndErrors) {
  auto raw = ParseOpenAiResponse(
      R"({"choices":[{"text":"a","index":0,"logprobs":null,"finish_reason":"stop"}]})",
      false);
  ASSERT_TRUE(raw.ok());
  ASSERT_EQ(raw->size(), 1u);
  EXPECT_FALSE((*raw)[0].has_logprob);
  auto err = ParseOpenAiResponse(R"({"error":{"message":"overloaded"}})", false);
  EXPECT_EQ(err.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(err.status().message(), HasSubstr("overloaded"));
}

}  // namespace
}  // namespace thor
