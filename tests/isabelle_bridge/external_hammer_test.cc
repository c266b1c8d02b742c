// The external hammer end to end: the fake PISA server writes the TPTP
// problem where Sledgehammer's export would, Thor's hammer/ portfolio (real
// ATPs) solves it, fact names are decoded and `by (metis ...)` is applied.
#include <gtest/gtest.h>

#include <filesystem>

#include "absl/strings/match.h"
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
