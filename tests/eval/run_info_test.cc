// The run record: every budget field, tool versions (scripted, and the real
// coqtop), the fields `thor eval report` prints.
#include <gtest/gtest.h>

#include <regex>

#include "eval/run_info.h"
#include "tests/testing/fake_env.h"

namespace thor::eval {
namespace {

using nlohmann::json;

void ScriptTools(thor::testing::FakeEnv& env) {
  RunResult coqtop;
  coqtop.exit_code = 0;
  coqtop.out = "\nThe Coq Proof Assistant, version 8.16.1\ncompiled with OCaml 4.13.1\n";
  env.Script({"coqtop", absl::Milliseconds(50), coqtop});
  RunResult failed;
  failed.exit_code = 2;
  failed.err = "cvc5: unknown option\n";
  env.Script({"cvc5", absl::Milliseconds(10), failed});
  env.Script({"cvc4", absl::Seconds(30), RunResult{}});  // Hangs past the timeout.
  // eprover is not scripted: the fake refuses to run it.
}

TEST(RunInfoTest, EveryBudgetFieldWithItsEffectiveValue) {
  v1::SearchConfig c;
  c.set_wall_time_s(10);
  c.set_max_model_queries(16);
  c.set_sequential(true);
  c.set_seed(7);
  c.set_policy("heuristic");
  thor::SearchConfig defaults;  // Thor's (the paper's).
  json j = EffectiveSearchConfig(c, defaults);
  EXPECT_EQ(j.size(), 16u) << j.dump();  // Every thor.v1.SearchConfig field.
  EXPECT_EQ(j["wall_time_s"], 10.0);
  EXPECT_EQ(j["max_model_queries"], 16);
  EXPECT_EQ(j["queue_size"], 32);
  EXPECT_EQ(j["temperature"], 1.2);
  EXPECT_EQ(j["step_timeout_s"], 10.0);
  EXPECT_EQ(j["hammer_timeout_s"], 30.0);
  EXPECT_EQ(j["samples_per_query"], 32);
  EXPECT_EQ(j["sequential"], true);
  EXPECT_EQ(j["reproducible"], false);
  EXPECT_EQ(j["seed"], 7);
  EXPECT_EQ(j["hammer_token"], "<hammer>");
  EXPECT_EQ(j["root_hammer_place"], -1);  // The policy's order, by default.
  c.set_root_hammer_place(0);
  EXPECT_EQ(EffectiveSearchConfig(c, defaults)["root_hammer_place"], 0);
  defaults.queue_size = 8;  // A server's own defaults show through.
  EXPECT_EQ(EffectiveSearchConfig(c, defaults)["queue_size"], 8);
}

TEST(RunInfoTest, ToolVersionsAreFirstLinesAndFailuresAreSaid) {
  thor::testing::FakeEnv env;
  ScriptTools(env);
  json v = ToolVersions({"coq", "no-such-prover"}, &env);
  EXPECT_EQ(v["coqtop"], "The Coq Proof Assistant, version 8.16.1");
  EXPECT_EQ(v["cvc5"], "unknown (exit 2): cvc5: unknown option");
  EXPECT_EQ(v["cvc4"], "unknown (no answer within the timeout)");
  EXPECT_EQ(v["eprover"].get<std::string>().rfind("unknown (", 0), 0u) << v.dump();
  EXPECT_EQ(v.size(), 4u) << v.dump();
  // The timeout bounds the whole: cvc4 was cut at 5 s.
  EXPECT_LE(env.Now() - absl::UnixEpoch(), absl::Hours(24 * 365 * 50) + absl::Seconds(6));
}

TEST(RunInfoTest, RealCoqtopVersionIsRecorded) {
  json v = ToolVersions({"coq"}, nullptr);
  const std::string coqtop = v.value("coqtop", "");
  EXPECT_EQ(coqtop.rfind("The Coq Proof Assistant, version ", 0), 0u)
      << coqtop << " (coqtop comes from: apt-get install coq)";
}

TEST(RunInfoTest, RecordHasTheConfigurationAndReportPrintsIt) {
  thor::testing::FakeEnv env;
  ScriptTools(env);
  RunInfo info;
  info.budget = "ci,wall_time_s=10";
  info.config.set_wall_time_s(10);
  info.defaults_known = true;
  info.policy = "openai";
  info.model = {{"kind", "openai"}, {"model", "gpt-f"}, {"base_url", "http://127.0.0.1:8000/v1"}};
  info.servers = {"in-process"};
  info.concurrency = 2;
  info.suite = "coq-stdlib";
  info.config_hash = "abc";
  info.shard = "1/4";
  info.limit = 20;
  info.theorems = 20;
  info.provers = {"coq"};
  json r = MakeRunRecord(info, &env);
  EXPECT_EQ(r["record"], "run");
  EXPECT_TRUE(std::regex_match(r["started_utc"].get<std::string>(),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")))
      << r["started_utc"];
  EXPECT_FALSE(r["thor_version"].get<std::string>().empty());
  EXPECT_FALSE(r["thor_commit"].get<std::string>().empty());
  EXPECT_GT(r["machine"]["cores"].get<int>(), 0);
  EXPECT_EQ(r["search_config"].size(), 16u);
  EXPECT_EQ(r["tools"]["coqtop"], "The Coq Proof Assistant, version 8.16.1");
  EXPECT_EQ(r["shard"], "1/4");
  EXPECT_EQ(r["theorems"], 20);
  EXPECT_FALSE(r.contains("records_before"));

  const std::string md = DescribeRunRecord(r);
  for (const std::string& needle :
       {std::string("- started ") + r["started_utc"].get<std::string>() + " by thor ",
        std::string("- suite coq-stdlib, shard 1/4, limit 20: 20 theorems\n"),
        std::string("- policy openai; model: base_url http://127.0.0.1:8000/v1, kind openai, "
                    "model gpt-f\n"),
        std::string("- budget `ci,wall_time_s=10`: "), std::string(", wall_time_s=10 (unset"),
        std::string("(unset fields: the in-process server's defaults)"),
        std::string("- servers in-process, concurrency 2\n"),
        std::string("coqtop: The Coq Proof Assistant, version 8.16.1"),
        std::string("- configuration hash abc\n")}) {
    EXPECT_NE(md.find(needle), std::string::npos) << needle << "\nin:\n" << md;
  }
}

}  // namespace
}  // namespace thor::eval
