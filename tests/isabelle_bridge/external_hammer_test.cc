// The external hammer end to end: the fake PISA server writes the TPTP
// problem where Sledgehammer's export would, Thor's hammer/ portfolio (real
// ATPs) solves it, fact names are decoded and `by (metis ...)` is applied.
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/subprocess.h"
#include "tests/isabelle_bridge/test_world.h"
#include "tests/testing/paths.h"
#include "tests/testing/processes.h"

namespace thor::isabelle {
namespace {

TEST(ExternalHammer, ExportSolveMapBackAndReconstruct) {
  ASSERT_TRUE(CheckProgramAvailable("eprover", "apt-get install eprover (scripts/bootstrap)").ok())
      << "E is needed: apt-get install eprover";
  IsabelleConfig config;
  config.hammer = HammerMode::kExternal;
  config.external.provers = {"e"};
  config.external.problem_dir = thor::testing::MakeTempDir() + "/problems";
  testing::Rig rig = testing::MakeRig(testing::WorldJson("2022", /*hammer_finds_proof=*/false), 1,
                                      config);
  ASSERT_TRUE(rig.backend);
  {
    auto session = *rig.backend->NewSession();
    ProofState init = *session->Start(testing::MathdAlgebra17(), absl::Seconds(5));
    HammerStepResult h = session->Hammer(init, absl::Seconds(30));
    ASSERT_EQ(h.step.kind, StepKind::kProofFinished) << h.message;
    EXPECT_TRUE(absl::StartsWith(h.step_text, "by (metis")) << h.step_text;
    EXPECT_NE(h.step_text.find("h0"), std::string::npos) << h.step_text;
    EXPECT_NE(h.step_text.find("foo.bar(1)"), std::string::npos) << h.step_text;
    EXPECT_EQ(h.step_text.find("unused"), std::string::npos) << h.step_text;
    EXPECT_NE(std::find(h.premises.begin(), h.premises.end(), "fact_0_h0"), h.premises.end());
    EXPECT_FALSE(h.prover.empty());
    // Isabelle's problem directory is cleaned up after reading.
    EXPECT_TRUE(std::filesystem::is_empty(config.external.problem_dir));
  }
  bool export_seen = false;
  for (const std::string& c : rig.fakes[0].service->commands()) {
    export_seen = export_seen || absl::StrContains(c, "sledgehammer_atp_problem_dest_dir");
  }
  EXPECT_TRUE(export_seen);
  EXPECT_EQ(thor::testing::LeftoverChildren(), "");
}

// Pigeonhole: n+1 pigeons in n holes, propositional, hard for resolution.
std::string Pigeonhole(int n) {
  std::string out;
  int k = 0;
  for (int p = 0; p <= n; ++p) {
    std::string clause;
    for (int h = 0; h < n; ++h) clause += (h ? " | " : "") + absl::StrCat("p", p, "_", h);
    out += absl::StrCat("fof(fact_", k++, "_in", p, ", axiom, ", clause, ").\n");
  }
  for (int h = 0; h < n; ++h) {
    for (int p = 0; p <= n; ++p) {
      for (int q = p + 1; q <= n; ++q) {
        out += absl::StrCat("fof(fact_", k++, "_one", h, ", axiom, ~p", p, "_", h, " | ~p", q, "_",
                            h, ").\n");
      }
    }
  }
  return out + "fof(conj_0, conjecture, $false).\n";
}

TEST(ExternalHammer, InterruptStopsThePortfolio) {
  ASSERT_TRUE(CheckProgramAvailable("eprover", "apt-get install eprover (scripts/bootstrap)").ok());
  nlohmann::json world = nlohmann::json::parse(testing::WorldJson("2022", false));
  world["theorems"][0]["states"][testing::kInitial]["tptp"] = Pigeonhole(11);
  IsabelleConfig config;
  config.hammer = HammerMode::kExternal;
  config.external.provers = {"e"};
  config.external.problem_dir = thor::testing::MakeTempDir() + "/problems";
  testing::Rig rig = testing::MakeRig(world.dump(), 1, config);
  ASSERT_TRUE(rig.backend);
  {
    auto session = *rig.backend->NewSession();
    ProofState init = *session->Start(testing::MathdAlgebra17(), absl::Seconds(5));
    std::thread stopper([&] {
      absl::SleepFor(absl::Milliseconds(700));
      session->Interrupt();
    });
    absl::Time t0 = absl::Now();
    HammerStepResult h = session->Hammer(init, absl::Seconds(60));
    stopper.join();
    EXPECT_NE(h.step.kind, StepKind::kProofFinished);
    EXPECT_TRUE(h.step_text.empty());
    EXPECT_LT(absl::Now() - t0, absl::Seconds(10)) << h.message;
  }
  EXPECT_EQ(thor::testing::LeftoverChildren(), "");
}

TEST(ExternalHammer, Isabelle2021ConfigNameAndVersionMismatchIsReported) {
  IsabelleConfig config;
  config.hammer = HammerMode::kExternal;
  config.version = PisaVersion::kIsabelle2022;  // But the server is 2021.
  config.external.problem_dir = thor::testing::MakeTempDir() + "/problems";
  testing::Rig rig = testing::MakeRig(testing::WorldJson("2021", false), 1, config);
  ASSERT_TRUE(rig.backend);
  auto session = *rig.backend->NewSession();
  ProofState init = *session->Start(testing::MathdAlgebra17(), absl::Seconds(5));
  HammerStepResult h = session->Hammer(init, absl::Seconds(10));
  EXPECT_EQ(h.step.kind, StepKind::kStepError);
  EXPECT_NE(h.message.find("Undefined attribute"), std::string::npos) << h.message;
}

}  // namespace
}  // namespace thor::isabelle
