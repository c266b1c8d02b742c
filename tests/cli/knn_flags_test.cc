// --knn_model and --policy=knn (cli/model_flags.cc): a model file given alone
// makes the learned policy the server's default, and mistakes are errors
// naming the flag, before any search.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "cli/server_flags.h"
#include "learn/knn_model.h"
#include "server/log.h"

ABSL_DECLARE_FLAG(std::string, policy);
ABSL_DECLARE_FLAG(std::string, knn_model);
ABSL_DECLARE_FLAG(std::string, lm_url);

namespace thor {
namespace {

using ::testing::HasSubstr;

class KnnFlagsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetLogStream(nullptr);
    learn::TrainingData d;
    d.files = {"a.v"};
    learn::TrainingStep s;
    s.file = "a.v";
    s.theorem = "t";
    s.state_text = "1 goal (ID 1)\n  \n  n : nat\n  ============================\n  n = n";
    s.tactic = "reflexivity.";
    d.steps = {s};
    model_ = ::testing::TempDir() + "/flags.knn";
    ASSERT_TRUE(learn::KnnModel::Train(d).Save(model_).ok());
  }
  absl::FlagSaver saver_;
  std::string model_;
};

std::string ConfigError() {
  absl::StatusOr<ServerConfig> c = ServerConfigFromFlags();
  return c.ok() ? "" : std::string(c.status().message());
}

TEST_F(KnnFlagsTest, AModelFileAloneSelectsTheKnnPolicy) {
  absl::SetFlag(&FLAGS_knn_model, model_);
  absl::StatusOr<ServerConfig> c = ServerConfigFromFlags();
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->default_policy, "knn");
  ASSERT_EQ(c->policies.count("knn"), 1u);
  EXPECT_EQ(c->policies.at("knn").kind, "knn");
  EXPECT_EQ(nlohmann::json::parse(c->policies.at("knn").options),
            nlohmann::json({{"knn_model", model_}}));
  absl::SetFlag(&FLAGS_policy, "knn");  // The same, said twice.
  c = ServerConfigFromFlags();
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->default_policy, "knn");
}

TEST_F(KnnFlagsTest, MistakesNameTheFlag) {
  absl::SetFlag(&FLAGS_policy, "knn");
  EXPECT_THAT(ConfigError(), HasSubstr("--knn_model=FILE"));
  absl::SetFlag(&FLAGS_knn_model, ::testing::TempDir() + "/missing.knn");
  EXPECT_THAT(ConfigError(), HasSubstr("missing.knn cannot be read; train one with: thor train"));
  absl::SetFlag(&FLAGS_knn_model, model_);
  absl::SetFlag(&FLAGS_lm_url, "http://127.0.0.1:1");
  EXPECT_THAT(ConfigError(), HasSubstr("--lm_url: policy 'knn' (kind knn) asks no model server"));
  absl::SetFlag(&FLAGS_lm_url, "");
  absl::SetFlag(&FLAGS_policy, "pisa-http");
  EXPECT_THAT(ConfigError(), HasSubstr("--knn_model: policy 'pisa-http' (kind pisa-http) reads "
                                       "no k-NN model"));
}

}  // namespace
}  // namespace thor
