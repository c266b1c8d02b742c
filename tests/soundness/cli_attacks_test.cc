// Issue #12's red team through the `thor` binary: `thor check` (steps and
// --proof_file), `thor prove` and `thor suggest --try_steps` with an OpenAI
// policy pointed at a fake model server that offers the attack's steps, and
// `thor eval` over a JSONL suite of cheating theorems, each in-process with
// real coqtop/coqc. Every case asserts that nothing counted as a proof, that
// no file appeared in the attack's target directory and that no secret
// reached the output; the controls prove honest proofs still pass.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/subprocess.h"
#include "tests/lm_client/fake_model_server.h"
#include "tests/testing/paths.h"
#include "tests/testing/processes.h"

namespace thor::testing {
namespace {

#ifndef THOR_BIN_DEFAULT
#define THOR_BIN_DEFAULT ""
#endif

constexpr char kSecret[] = "thor_cli_secret_marker_b7c2";

class CliSoundness : public ::testing::Test {
 protected:
  void SetUp() override {
    thor_ = TestBinary("THOR_BIN", "app/thor", THOR_BIN_DEFAULT);
    ASSERT_FALSE(thor_.empty()) << "set THOR_BIN to the thor binary";
    ASSERT_TRUE(CheckProgramAvailable("coqtop", "apt-get install coq libcoq-hammer").ok())
        << "coqtop is missing: apt-get install coq libcoq-hammer";
    dir_ = MakeTempDir();
    target_ = dir_ + "/target";
    std::filesystem::create_directories(target_);
    secret_ = dir_ + "/secret.v";
    std::ofstream(secret_) << "Check " << kSecret << ".\n";
    nlohmann::json config = {
        {"default_policy", "attack"},
        {"policies",
         {{"attack",
           {{"kind", "openai"}, {"base_url", model_.base_url()}, {"model", "attacker"},
            {"retries", 0}}}}},
        {"provers",
         {{"coq", {{"warm_hammer", false}, {"max_idle_processes", 0}, {"spare_processes", 0}}}}}};
    config_ = dir_ + "/server.json";
    std::ofstream(config_) << config.dump();
  }
  void TearDown() override {
    EXPECT_EQ(std::filesystem::is_empty(target_), true) << "an attack wrote into " << target_;
    EXPECT_EQ(LeftoverChildren(10000), "");
  }

  void ModelReturns(std::vector<std::string> steps) {
    FakeReply r;
    r.texts = std::move(steps);
    model_.SetDefault(r);
  }

  // Runs `thor <args>` in-process (its own server from --config); the output
  // must not hold the secret.
  RunResult Thor(std::vector<std::string> args) {
    SubprocessOptions o;
    o.argv = {thor_};
    o.argv.insert(o.argv.end(), args.begin(), args.end());
    o.argv.push_back("--config=" + config_);
    auto r = RunSubprocess(o, "", absl::Seconds(120));
    EXPECT_TRUE(r.ok()) << r.status();
    if (!r.ok()) return RunResult{};
    EXPECT_FALSE(absl::StrContains(r->out + r->err, kSecret)) << r->out << r->err;
    return *r;
  }

  static void ExpectNotPassed(const RunResult& r) {
    EXPECT_NE(r.exit_code, 0) << r.out << r.err;
    EXPECT_FALSE(absl::StrContains(r.out, "RECHECK_PASSED")) << r.out;
  }
  static void ExpectNotProved(const RunResult& r) {
    EXPECT_FALSE(absl::StrContains(r.out, "\"status\":\"PROVED\"")) << r.out << r.err;
    EXPECT_FALSE(absl::StrContains(r.out, "RECHECK_PASSED")) << r.out;
  }
  static void ExpectNoFinishedSuggestion(const RunResult& r) {
    EXPECT_FALSE(absl::StrContains(r.out, "PROOF_FINISHED")) << r.out << r.err;
  }

  FakeModelServer model_;
  std::string thor_, dir_, target_, secret_, config_;
};

TEST_F(CliSoundness, CheckContextAxiomUsed) {
  ExpectNotPassed(Thor({"check", "--prover=coq", "--statement=False",
                        "--context=Axiom a : False.", "exact a."}));
}

TEST_F(CliSoundness, CheckProofFileWithContextCommand) {
  const std::string proof = dir_ + "/proof.v";
  std::ofstream(proof) << "Proof.\n  Context (a : False).\n  exact a.\nQed.\n";
  ExpectNotPassed(Thor({"check", "--prover=coq", "--statement=False", "--proof_file=" + proof}));
}

TEST_F(CliSoundness, CheckStatementInjectionAbortThenTrue) {
  ExpectNotPassed(Thor({"check", "--prover=coq", "--name=t",
                        "--statement=False. Abort. Theorem t : True", "exact I."}));
}

TEST_F(CliSoundness, CheckContextRedirectWritesNoFile) {
  ExpectNotPassed(Thor({"check", "--prover=coq", "--statement=False",
                        "--context=Redirect \"" + target_ + "/cli_pwned\" Print nat.",
                        "exact I."}));
}

TEST_F(CliSoundness, CheckContextLoadLeaksNoSecret) {
  ExpectNotPassed(Thor({"check", "--prover=coq", "--statement=False",
                        "--context=Load \"" + secret_ + "\".", "exact I."}));
}

TEST_F(CliSoundness, ProveWithContextCommandFromTheModel) {
  ModelReturns({"Context (a : False).", "exact a.", "Context (a : False). exact a."});
  ExpectNotProved(Thor({"prove", "--prover=coq", "--statement=False", "--policy=attack",
                        "--sequential", "--max_queries=3", "--wall_time=40", "--json"}));
}

TEST_F(CliSoundness, ProveWithImportsInjectedAxiom) {
  ModelReturns({"exact a."});
  ExpectNotProved(Thor({"prove", "--prover=coq", "--statement=False", "--policy=attack",
                        "--imports=List. Axiom a : False", "--sequential", "--max_queries=2",
                        "--wall_time=40", "--json"}));
}

TEST_F(CliSoundness, ProveWithContextCdThenRedirect) {
  ModelReturns({"exact I."});
  ExpectNotProved(Thor({"prove", "--prover=coq", "--statement=False", "--policy=attack",
                        "--context=Cd \"" + target_ + "\".\nRedirect \"cd_pwned\" Print nat.",
                        "--sequential", "--max_queries=2", "--wall_time=40", "--json"}));
}

TEST_F(CliSoundness, SuggestTryStepsBypassPositivity) {
  ModelReturns({"exact (let f := fun b : Bad => match b with C g => g b end in f (C f))."});
  ExpectNoFinishedSuggestion(
      Thor({"suggest", "--prover=coq", "--statement=False", "--policy=attack", "--try_steps",
            "--json",
            "#[bypass_check(positivity)] Inductive Bad : Type := C : (Bad -> False) -> Bad."}));
}

TEST_F(CliSoundness, SuggestTryStepsForgedNoMoreGoals) {
  ModelReturns({"idtac \"No more goals.\"."});
  ExpectNoFinishedSuggestion(Thor({"suggest", "--prover=coq", "--statement=False",
                                   "--policy=attack", "--try_steps", "--json"}));
}

// `thor eval` over a JSONL suite: cheating theorems are not solved (and
// write nothing); the honest control line is.
TEST_F(CliSoundness, EvalJsonlSuiteOfCheatingTheorems) {
  const std::string suite = dir_ + "/cheats.jsonl", out = dir_ + "/results.jsonl";
  {
    std::ofstream f(suite);
    f << nlohmann::json{{"id", "context_axiom"}, {"prover", "coq"}, {"statement", "False"},
                        {"context", "Axiom a : False."}}.dump() << "\n";
    f << nlohmann::json{{"id", "imports_axiom"}, {"prover", "coq"}, {"statement", "False"},
                        {"imports", {"List. Axiom a : False"}}}.dump() << "\n";
    f << nlohmann::json{{"id", "statement_abort"}, {"prover", "coq"}, {"name", "t"},
                        {"statement", "False. Abort. Theorem t : True"}}.dump() << "\n";
    f << nlohmann::json{{"id", "context_redirect"}, {"prover", "coq"}, {"statement", "False"},
                        {"context", "Redirect \"" + target_ + "/eval_pwned\" Print nat."}}.dump()
      << "\n";
    f << nlohmann::json{{"id", "control"}, {"prover", "coq"}, {"statement", "0 + 0 = 0"}}.dump()
      << "\n";
  }
  ModelReturns({"exact a.", "exact I.", "reflexivity."});
  RunResult r = Thor({"eval", "--suite=" + suite, "--out=" + out, "--servers=in-process",
                      "--concurrency=1", "--progress=never",
                      "--budget=ci,policy=attack,max_model_queries=3,wall_time_s=30,"
                      "sequential=true"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  std::ifstream in(out);
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) {
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    ASSERT_TRUE(j.is_object()) << line;
    EXPECT_FALSE(absl::StrContains(line, kSecret));
    if (j.value("record", "") == "run") continue;  // The run's configuration.
    ++lines;
    const std::string id = j.value("id", "");
    if (id == "control") {
      EXPECT_TRUE(j.value("solved", false)) << line;
    } else {
      EXPECT_FALSE(j.value("solved", false)) << id << " counted as solved: " << line;
      EXPECT_NE(j.value("status", ""), "PROVED") << line;
    }
  }
  EXPECT_EQ(lines, 5) << r.err;
}

TEST_F(CliSoundness, ControlHonestCheckPasses) {
  RunResult r = Thor({"check", "--prover=coq", "--statement=forall n : nat, 0 + n = n",
                      "intros n.", "reflexivity."});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(absl::StrContains(r.out, "RECHECK_PASSED")) << r.out;
}

}  // namespace
}  // namespace thor::testing
