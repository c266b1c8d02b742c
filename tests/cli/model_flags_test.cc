// A model backend from flags alone: `thor prove --policy=openai --lm_url=...
// --model=...` and the same flags on `thor serve` define the server's
// default policy without a configuration file; only the flags the user set
// are applied, and mistakes are errors naming the flag. The end-to-end test
// runs the real `thor prove` in-process against a fake OpenAI-compatible
// server over HTTP on loopback (and the fake prover).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "app/wiring.h"
#include "cli/cli.h"
#include "cli/connection.h"
#include "cli/server_flags.h"
#include "nlohmann/json.hpp"
#include "server/log.h"
#include "tests/lm_client/fake_model_server.h"
#include "tests/server/fake_prover.h"
#include "tests/testing/paths.h"

ABSL_DECLARE_FLAG(std::string, config);
ABSL_DECLARE_FLAG(std::string, policy);
ABSL_DECLARE_FLAG(std::string, default_policy);
ABSL_DECLARE_FLAG(std::string, lm_url);
ABSL_DECLARE_FLAG(std::string, model);
ABSL_DECLARE_FLAG(std::string, lm_api_key_file);
ABSL_DECLARE_FLAG(std::string, lm_api_key_env);
ABSL_DECLARE_FLAG(std::string, lm_ca_file);
ABSL_DECLARE_FLAG(std::string, server);

namespace thor {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

class ModelFlagsTest : public ::testing::Test {
 protected:
  void SetUp() override { SetLogStream(nullptr); }
  absl::FlagSaver saver_;  // Each test's flags are undone after it.
};

// The message of ServerConfigFromFlags()'s error; "" if it succeeded.
std::string ConfigError() {
  absl::StatusOr<ServerConfig> c = ServerConfigFromFlags();
  if (c.ok()) return "";
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument) << c.status();
  return std::string(c.status().message());
}

TEST_F(ModelFlagsTest, FlagsDefineTheDefaultPolicyWithoutAConfigFile) {
  absl::SetFlag(&FLAGS_policy, "openai");
  absl::SetFlag(&FLAGS_lm_url, "http://127.0.0.1:8000/v1");
  absl::SetFlag(&FLAGS_model, "Qwen/Qwen2.5-7B");
  absl::StatusOr<ServerConfig> c = ServerConfigFromFlags();
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->default_policy, "openai");
  ASSERT_EQ(c->policies.count("openai"), 1u);
  EXPECT_EQ(c->policies.at("openai").kind, "openai");
  // Exactly the flags given: the others keep the policy's own defaults.
  EXPECT_EQ(json::parse(c->policies.at("openai").options),
            json({{"base_url", "http://127.0.0.1:8000/v1"}, {"model", "Qwen/Qwen2.5-7B"}}));

  absl::SetFlag(&FLAGS_policy, "pisa-http");  // Needs no model name.
  absl::SetFlag(&FLAGS_model, "");
  c = ServerConfigFromFlags();
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->policies.at("pisa-http").kind, "pisa-http");

  absl::SetFlag(&FLAGS_policy, "heuristic");  // Built in: nothing to define.
  absl::SetFlag(&FLAGS_lm_url, "");
  c = ServerConfigFromFlags();
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->default_policy, "heuristic");
  EXPECT_TRUE(c->policies.empty());
}

TEST_F(ModelFlagsTest, AConfiguredPolicyGetsTheFlagsOverItsKeys) {
  const std::string config = testing::MakeTempDir() + "/config.json";
  std::ofstream(config) << R"({"policies": {"gpt": {"kind": "openai-chat", "model": "a",
                                                     "max_tokens": 7}}})";
  absl::SetFlag(&FLAGS_config, config);
  absl::SetFlag(&FLAGS_policy, "gpt");
  absl::SetFlag(&FLAGS_lm_url, "http://127.0.0.1:9/v1");
  absl::StatusOr<ServerConfig> c = ServerConfigFromFlags();
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->default_policy, "gpt");
  EXPECT_EQ(c->policies.at("gpt").kind, "openai-chat");
  EXPECT_EQ(json::parse(c->policies.at("gpt").options),
            json({{"kind", "openai-chat"},
                  {"model", "a"},
                  {"max_tokens", 7},
                  {"base_url", "http://127.0.0.1:9/v1"}}));
}

TEST_F(ModelFlagsTest, MistakesAreErrorsNamingTheFlag) {
  absl::SetFlag(&FLAGS_policy, "gpt5");
  EXPECT_THAT(ConfigError(), HasSubstr("--policy: unknown policy 'gpt5'; built in: heuristic, "
                                       "hammer, knn, openai, openai-chat, pisa-http"));
  absl::SetFlag(&FLAGS_policy, "openai");
  absl::SetFlag(&FLAGS_lm_url, "localhost:8000");
  absl::SetFlag(&FLAGS_model, "m");
  EXPECT_THAT(ConfigError(), HasSubstr("--lm_url: base URL 'localhost:8000' must look like"));
  absl::SetFlag(&FLAGS_lm_url, "http://127.0.0.1:8000");
  absl::SetFlag(&FLAGS_model, "");
  EXPECT_THAT(ConfigError(), HasSubstr("--model: policy 'openai' needs the name of the model"));
  absl::SetFlag(&FLAGS_model, "m");
  absl::SetFlag(&FLAGS_lm_api_key_env, "THOR_TEST_NO_SUCH_VARIABLE");
  EXPECT_THAT(ConfigError(),
              HasSubstr("--lm_api_key_env: the environment variable THOR_TEST_NO_SUCH_VARIABLE"));
  absl::SetFlag(&FLAGS_lm_api_key_env, "");
  const std::string key = testing::MakeTempDir() + "/key";
  std::ofstream(key) << "sk-secret\n";
  chmod(key.c_str(), 0644);
  absl::SetFlag(&FLAGS_lm_api_key_file, key);
  std::string error = ConfigError();
  EXPECT_THAT(error, HasSubstr("--lm_api_key_file: "));
  EXPECT_THAT(error, HasSubstr("chmod 600"));
  EXPECT_THAT(error, ::testing::Not(HasSubstr("sk-secret")));
  absl::SetFlag(&FLAGS_lm_api_key_file, "");
  absl::SetFlag(&FLAGS_lm_ca_file, key);
  EXPECT_THAT(ConfigError(), HasSubstr("--lm_ca_file: "));  // And the URL is not https.
  absl::SetFlag(&FLAGS_lm_ca_file, "");
  absl::SetFlag(&FLAGS_default_policy, "other");
  EXPECT_THAT(ConfigError(), HasSubstr("--default_policy=other and --policy=openai"));
  absl::SetFlag(&FLAGS_default_policy, "heuristic");

  absl::SetFlag(&FLAGS_policy, "pisa-http");  // A model name it would not send.
  EXPECT_THAT(ConfigError(), HasSubstr("--model: policy 'pisa-http' (kind pisa-http) sends no"));
  absl::SetFlag(&FLAGS_policy, "heuristic");
  EXPECT_THAT(ConfigError(), HasSubstr("--lm_url: the heuristic policy asks no model server"));
  absl::SetFlag(&FLAGS_policy, "hammer");
  EXPECT_THAT(ConfigError(), HasSubstr("--lm_url: the hammer policy asks no model server"));
  absl::SetFlag(&FLAGS_policy, "");
  EXPECT_THAT(ConfigError(), HasSubstr("--lm_url: needs --policy"));
}

TEST_F(ModelFlagsTest, ARemoteServerKeepsItsOwnPolicies) {
  absl::SetFlag(&FLAGS_server, "127.0.0.1:1");
  absl::SetFlag(&FLAGS_policy, "openai");
  absl::SetFlag(&FLAGS_model, "m");
  v1::Theorem theorem;
  absl::StatusOr<Connection> c = ConnectFromFlags(BuildRegistry, theorem);
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("--model: defines the policy of the in-process"));
}

// Runs `thor ARGS` here; returns the exit code, with stdout and stderr.
int RunThor(std::vector<std::string> args, const RegistryFactory& factory, std::string* out,
            std::string* err) {
  args.insert(args.begin(), "thor");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  const int code = RunCli(static_cast<int>(argv.size()), argv.data(), factory);
  *out = ::testing::internal::GetCapturedStdout();
  *err = ::testing::internal::GetCapturedStderr();
  return code;
}

TEST_F(ModelFlagsTest, ProveInProcessAsksTheModelTheFlagsName) {
  // No coqtop here: the fake prover stands in for "coq".
  const std::string config = testing::MakeTempDir() + "/config.json";
  std::ofstream(config)
      << R"({"provers": {"coq": {"max_idle_processes": 0, "spare_processes": 0}}})";
  testing::FakeProverOptions prover_options;
  prover_options.spawn_child = false;
  auto prover = std::make_shared<testing::FakeProverBackend>(prover_options);
  RegistryFactory factory =
      [&](const ServerConfig& c) -> absl::StatusOr<std::shared_ptr<Registry>> {
    absl::StatusOr<std::shared_ptr<Registry>> registry = BuildRegistry(c);
    if (registry.ok()) (*registry)->AddBackend("coq", prover);
    return registry;
  };
  testing::FakeModelServer model;
  testing::FakeReply reply;
  reply.texts = {"close"};
  model.SetDefault(reply);
  const std::vector<std::string> theorem = {
      "prove",
      "--config=" + config,
      "--prover=coq",
      "--statement=Lemma t : quadruple 1 = 4.",
      "--context=Definition double (n : nat) := n + n.\n"
      "Definition quadruple (n : nat) := double (double n).\n",
      "--max_queries=3",
      "--json",
      "--policy=openai"};
  std::string out, err;
  std::vector<std::string> args = theorem;
  args.push_back("--lm_url=" + model.base_url() + "/v1");
  EXPECT_EQ(RunThor(args, factory, &out, &err), 2);  // No --model.
  EXPECT_THAT(err, HasSubstr("--model: policy 'openai' needs the name of the model"));

  args.push_back("--model=thor-test");
  ASSERT_EQ(RunThor(args, factory, &out, &err), 0) << err << out;
  EXPECT_THAT(out, HasSubstr("\"PROVED\""));
  const std::vector<testing::RecordedRequest> requests = model.requests();
  ASSERT_FALSE(requests.empty());
  EXPECT_EQ(requests[0].path, "/v1/completions");
  const json body = json::parse(requests[0].body);
  EXPECT_EQ(body["model"], "thor-test");
  // The goal mentions quadruple: its definition and double's are in the prompt.
  EXPECT_THAT(body["prompt"].get<std::string>(),
              HasSubstr("Definition double (n : nat) := n + n.\n"
                        "Definition quadruple (n : nat) := double (double n).\n<CTX> "));
}

}  // namespace
}  // namespace thor
