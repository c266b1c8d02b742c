// IsabelleSession against in-process fake PISA servers (connect mode): start
// from a MiniF2F file, typed step outcomes, refusals, the native hammer
// (2021 and 2022 keywords, DSP heuristics), replay across sessions, clone and
// delete, a hung server and Interrupt().
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "isabelle_bridge/pisa_client.h"
#include "isabelle_bridge/suites.h"
#include "isabelle_bridge/theorem_options.h"
#include "tests/isabelle_bridge/test_world.h"
#include "tests/testing/paths.h"

namespace thor::isabelle {
namespace {

using testing::kInitial;
using testing::kSimplified;

bool SawCommandContaining(const fake::FakePisaService& s, const std::string& text) {
  for (const std::string& c : s.commands()) {
    if (absl::StrContains(c, text)) return true;
  }
  return false;
}

TEST(IsabelleSession, StartsFromAMiniF2FFileInTheConfiguredSession) {
  testing::Rig rig = testing::MakeRig(testing::WorldJson("2022"), 1);
  ASSERT_TRUE(rig.backend);
  Theorem theorem = testing::MathdAlgebra17();
  EXPECT_EQ(SessionOf(theorem), "HOL");
  auto session = *rig.backend->NewSession();
  absl::StatusOr<ProofState> init = session->Start(theorem, absl::Seconds(5));
  ASSERT_TRUE(init.ok()) << init.status();
  EXPECT_EQ(init->text, kInitial);
  EXPECT_TRUE(init->steps.empty());
  // The benchmark path has no "miniF2F", so the theory was staged where PISA
  // infers exactly the configured session.
  EXPECT_EQ(rig.fakes[0].service->inferred_session(), "HOL");
  auto* isa = static_cast<IsabelleSession*>(session.get());
  EXPECT_TRUE(isa->target().staged);
  std::ifstream staged(isa->target().theory_file);
  std::string text((std::istreambuf_iterator<char>(staged)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("imports Complex_Main \"HOL-Computational_Algebra.Computational_Algebra\""),
            std::string::npos);
  EXPECT_NE(text.find("shows \"a = 8\""), std::string::npos);
  EXPECT_EQ(text.find("sorry"), std::string::npos);
  EXPECT_TRUE(SawCommandContaining(*rig.fakes[0].service, "<proceed after> theorem mathd_algebra_17: fixes a :: real"));
}

TEST(IsabelleSession, StartsFromAPisaTestEntryInItsAfpSession) {
  // A local "AFP" holding the entry's theory file, as a user's AFP would.
  std::string afp = thor::testing::MakeTempDir() + "/afp-2021-02-11";
  absl::StatusOr<std::vector<Theorem>> list = LoadPisaTestList(
      thor::testing::BenchmarksDir() + "/pisa/universal_test_theorems", "test_name", afp);
  ASSERT_TRUE(list.ok()) << list.status();
  const Theorem* entry = nullptr;
  for (const Theorem& t : *list) {
    if (t.name == "test_name_1") entry = &t;
  }
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(SessionOf(*entry), "Containers");
  std::filesystem::create_directories(std::filesystem::path(entry->file_path).parent_path());
  std::ofstream(entry->file_path) << "theory Containers_DFS_Ex imports Main begin\n\n"
                                  << entry->statement << "\n  by auto\n\nend\n";
  IsabelleConfig config;
  config.afp_dir = afp;
  testing::Rig rig = testing::MakeRig("{}", 1, config);
  ASSERT_TRUE(rig.backend);
  auto session = *rig.backend->NewSession();
  absl::StatusOr<ProofState> init = session->Start(*entry, absl::Seconds(5));
  ASSERT_TRUE(init.ok()) << init.status();
  auto* isa = static_cast<IsabelleSession*>(session.get());
  EXPECT_FALSE(isa->target().staged);  // The AFP file itself, as PISA users run it.
  EXPECT_EQ(isa->target().theory_file, entry->file_path);
  EXPECT_EQ(rig.fakes[0].service->inferred_session(), "Containers");
  EXPECT_EQ(session->Apply(*init, "by auto", absl::Seconds(5)).kind, StepKind::kProofFinished);
}

TEST(IsabelleSession, StepsHaveTypedOutcomes) {
  testing::Rig rig = testing::MakeRig(testing::WorldJson("2022"), 1);
  ASSERT_TRUE(rig.backend);
  auto session = *rig.backend->NewSession();
  ProofState init = *session->Start(testing::MathdAlgebra17(), absl::Seconds(5));

  StepResult bad = session->Apply(init, "by blast", absl::Seconds(5));
  EXPECT_EQ(bad.kind, StepKind::kStepError);
  EXPECT_TRUE(absl::StartsWith(bad.message, "Failed to apply initial proof method")) << bad.message;

  StepResult unknown = session->Apply(init, "by magic", absl::Seconds(5));
  EXPECT_EQ(unknown.kind, StepKind::kStepError);

  StepResult mid = session->Apply(init, "apply (simp add: h0)", absl::Seconds(5));
  ASSERT_EQ(mid.kind, StepKind::kNewState) << mid.message;  // Goal mentions "error".
  EXPECT_EQ(mid.state.text, kSimplified);
  EXPECT_EQ(mid.state.steps, std::vector<std::string>{"apply (simp add: h0)"});

  StepResult done = session->Apply(mid.state, "by auto", absl::Seconds(5));
  ASSERT_EQ(done.kind, StepKind::kProofFinished) << done.message;
  EXPECT_EQ(done.state.steps, (std::vector<std::string>{"apply (simp add: h0)", "by auto"}));
  EXPECT_EQ(rig.backend->ProofText(done.state.steps), "apply (simp add: h0)\nby auto");
  // ParseProofText is ProofText's inverse, and checks every step.
  absl::StatusOr<std::vector<std::string>> back =
      rig.backend->ParseProofText(rig.backend->ProofText(done.state.steps));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, done.state.steps);
  EXPECT_TRUE(absl::IsPermissionDenied(
      rig.backend->ParseProofText("apply (simp add: h0)\n\\<proof>").status()));
}

TEST(IsabelleSession, RefusedStepsNeverReachPisa) {
  testing::Rig rig = testing::MakeRig(testing::WorldJson("2022"), 1);
  ASSERT_TRUE(rig.backend);
  auto session = *rig.backend->NewSession();
  ProofState init = *session->Start(testing::MathdAlgebra17(), absl::Seconds(5));
  const std::vector<std::string> refused = {
      "sorry", "oops", "ML \\<open>val x = 1\\<close>", "ML_file \"x.ML\"", "ML_val \\<open>1\\<close>",
      "ML_command \\<open>()\\<close>", "declare [[ML_print_depth = 1]]",
      "export_code f in SML file \"/tmp/x\"", "external_file \"/etc/passwd\"",
      "apply (tactic \\<open>all_tac\\<close>)", "normalhammer", "sledgehammer",
      "by simp <apply to top level state> x", "\\<proof>", "have \"x = 1\" \\<proof>",
      "using [[quick_and_dirty]] by simp", "lemma bad: \"False\"", "by simp\nML \\<open>1\\<close>"};
  const size_t before = rig.fakes[0].service->commands().size();
  for (const std::string& step : refused) {
    StepResult r = session->Apply(init, step, absl::Seconds(5));
    EXPECT_EQ(r.kind, StepKind::kRefused) << step;
    EXPECT_FALSE(r.message.empty()) << step;
  }
  EXPECT_EQ(rig.fakes[0].service->commands().size(), before);
}

TEST(IsabelleSession, StartValidatesTheTheoremBeforeAnyPisaCall) {
  testing::Rig rig = testing::MakeRig(testing::WorldJson("2022"), 1);
  ASSERT_TRUE(rig.backend);
  const size_t before = rig.fakes[0].service->commands().size();
  const Theorem good = testing::MathdAlgebra17();
  std::vector<Theorem> bad(4, good);
  bad[0].imports.push_back("../../etc/Evil");
  bad[1].context = "ML \\<open>OS.Process.exit 0\\<close>";
  bad[2].statement += " sorry";
  bad[3].statement = "lemma x: \"True\" by simp lemma y: \"False\"";
  for (const Theorem& t : bad) {
    auto session = *rig.backend->NewSession();
    absl::Status s = session->Start(t, absl::Seconds(5)).status();
    EXPECT_TRUE(absl::IsInvalidArgument(s)) << s;
    EXPECT_TRUE(absl::IsInvalidArgument(rig.backend->ValidateTheorem(t)));
  }
  EXPECT_EQ(rig.fakes[0].service->commands().size(), before);
  EXPECT_TRUE(rig.backend->ValidateTheorem(good).ok());
}

TEST(IsabelleSession, NativeHammer2022UsesNormalhammerAndReportsTheStep) {
  testing::Rig rig = testing::MakeRig(testing::WorldJson("2022"), 1);
  ASSERT_TRUE(rig.backend);
  auto session = *rig.backend->NewSession();
  ProofState init = *session->Start(testing::MathdAlgebra17(), absl::Seconds(5));
  HammerStepResult h = session->Hammer(init, absl::Seconds(30));
  ASSERT_EQ(h.step.kind, StepKind::kProofFinished) << h.message;
  EXPECT_EQ(h.step_text, "by (smt (z3) h0 foo.bar(1))");
  EXPECT_EQ(h.step.state.steps, std::vector<std::string>{"by (smt (z3) h0 foo.bar(1))"});
  EXPECT_EQ(h.prover, "normalhammer");  // The command that was sent.
  EXPECT_TRUE(SawCommandContaining(*rig.fakes[0].service, "<apply to top level state> normalhammer <apply"));
}

TEST(IsabelleSession, NativeHammer2021UsesTheSledgehammerStep) {
  IsabelleConfig config;
  config.version = PisaVersion::kIsabelle2021;
  testing::Rig rig = testing::MakeRig(testing::WorldJson("2021"), 1, config);
  ASSERT_TRUE(rig.backend);
  auto session = *rig.backend->NewSession();
  ProofState init = *session->Start(testing::MathdAlgebra17(), absl::Seconds(5));
  HammerStepResult h = session->Hammer(init, absl::Seconds(30));
  ASSERT_EQ(h.step.kind, StepKind::kProofFinished) << h.message;
  EXPECT_EQ(h.step_text, "by (smt (z3) h0 foo.bar(1))");
  EXPECT_TRUE(SawCommandContaining(*rig.fakes[0].service, "<apply to top level state> sledgehammer <apply"));
}

TEST(IsabelleSession, AHammerStepTheRulesRefuseIsNotPartOfAProof) {
  nlohmann::json world = nlohmann::json::parse(testing::WorldJson("2022"));
  // PISA's Sledgehammer "finds" a cheat, and (interactive) Isabelle accepts it.
  world["theorems"][0]["states"][testing::kInitial]["hammer"] = "by simp \\<proof>";
  world["theorems"][0]["transitions"].push_back(
      {{"from", testing::kInitial}, {"step", "by simp \\<proof>"}, {"to", ""}});
  testing::Rig rig = testing::MakeRig(world.dump(), 1);
  ASSERT_TRUE(rig.backend);
  auto session = *rig.backend->NewSession();
  ProofState init = *session->Start(testing::MathdAlgebra17(), absl::Seconds(5));
  HammerStepResult h = session->Hammer(init, absl::Seconds(30));
  EXPECT_EQ(h.step.kind, StepKind::kRefused) << h.message;
  EXPECT_TRUE(h.step_text.empty());
  EXPECT_NE(h.message.find("\\<proof>"), std::string::npos) << h.message;
}

TEST(IsabelleSession, NativeHammerFailureIsAStepErrorWithoutStep) {
  testing::Rig rig = testing::MakeRig(testing::WorldJson("2022", /*hammer_finds_proof=*/false), 1);
  ASSERT_TRUE(rig.backend);
  auto session = *rig.backend->NewSession();
  ProofState init = *session->Start(testing::MathdAlgebra17(), absl::Seconds(5));
  HammerStepResult h = session->Hammer(init, absl::Seconds(30));
  EXPECT_EQ(h.step.kind, StepKind::kStepError);
  EXPECT_TRUE(h.step_text.empty());
  EXPECT_NE(h.message.find("Sledgehammer found no proof"), std::string::npos) << h.message;
}

TEST(IsabelleSession, DspHeuristicsRunBeforeSledgehammer) {
  IsabelleConfig config;
  config.heuristics_first = true;
  testing::Rig rig = testing::MakeRig(testing::WorldJson("2022"), 1, config);
  ASSERT_TRUE(rig.backend);
  auto session = *rig.backend->NewSession();
  ProofState init = *session->Start(testing::MathdAlgebra17(), absl::Seconds(5));
  HammerStepResult h = session->Hammer(init, absl::Seconds(30));
  ASSERT_EQ(h.step.kind, StepKind::kProofFinished) << h.message;
  EXPECT_EQ(h.step_text, "by presburger");  // 7th of DSP's list; the first six fail here.
  EXPECT_EQ(h.prover, "heuristic");
  EXPECT_FALSE(SawCommandContaining(*rig.fakes[0].service, "normalhammer"));
}

TEST(IsabelleSession, StatesFromAnotherSessionAreReplayed) {
  testing::Rig rig = testing::MakeRig(testing::WorldJson("2022"), 2);
  ASSERT_TRUE(rig.backend);
  auto a = *rig.backend->NewSession();
  auto b = *rig.backend->NewSession();
  Theorem theorem = testing::MathdAlgebra17();
  ProofState init = *a->Start(theorem, absl::Seconds(5));
  ASSERT_TRUE(b->Start(theorem, absl::Seconds(5)).ok());
  StepResult mid = a->Apply(init, "apply (simp add: h0)", absl::Seconds(5));
  ASSERT_EQ(mid.kind, StepKind::kNewState);
  StepResult done = b->Apply(mid.state, "by auto", absl::Seconds(5));
  ASSERT_EQ(done.kind, StepKind::kProofFinished) << done.message;
  // Each fake served one session; both applied the first step.
  EXPECT_TRUE(SawCommandContaining(*rig.fakes[0].service, "apply (simp add: h0)"));
  EXPECT_TRUE(SawCommandContaining(*rig.fakes[1].service, "apply (simp add: h0)"));
}

TEST(PisaClient, CloneGetStateDeleteAndMissingStates) {
  absl::StatusOr<fake::FakeWorld> world = fake::ParseFakeWorld(testing::WorldJson("2022"));
  absl::StatusOr<fake::RunningFakePisa> pisa = fake::StartFakePisa(*world);
  ASSERT_TRUE(pisa.ok());
  std::string dir = thor::testing::MakeTempDir() + "/miniF2F/HOL";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/T.thy") << "theory T imports Main begin\ntheorem mathd_algebra_17:\n"
                                   "  shows \"a = 8\"\n  sorry\nend\n";
  PisaClient client(pisa->address());
  absl::Time d = absl::Now() + absl::Seconds(5);
  ASSERT_TRUE(client.InitialiseIsabelle("/opt/Isabelle2022", d).ok());
  ASSERT_TRUE(client.WorkingDirectory(dir, d).ok());
  ASSERT_TRUE(client.Context(dir + "/T.thy", d).ok());
  EXPECT_EQ(*client.ProceedAfter("theorem mathd_algebra_17:\n shows \"a = 8\"", d), kInitial);
  ASSERT_TRUE(client.Initialise(d).ok());
  ASSERT_TRUE(client.Clone("default", "c1", d).ok());
  EXPECT_EQ(*client.GetState("c1", d), kInitial);
  EXPECT_FALSE(*client.IsFinished("c1", d));
  EXPECT_TRUE(client.Delete("c1", d).ok());
  EXPECT_TRUE(absl::IsNotFound(client.Delete("c1", d)));
  EXPECT_TRUE(absl::IsNotFound(client.GetState("c1", d).status()));
  EXPECT_TRUE(absl::IsNotFound(client.IsFinished("c1", d).status()));
  EXPECT_TRUE(absl::IsNotFound(client.Clone("nope", "c2", d)));
  absl::StatusOr<ApplyReply> missing = client.Apply("nope", "by auto", "c3", false, d);
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->kind, ApplyReply::Kind::kMissingState);
  EXPECT_TRUE(absl::IsNotFound(client.ProceedAfter("theorem other: \"b\"", d).status()));
  EXPECT_TRUE(client.Ping(d).ok());
  EXPECT_TRUE(client.Exit(d).ok());
  EXPECT_TRUE(absl::IsUnavailable(PisaClient("127.0.0.1:1").Ping(absl::Now() + absl::Seconds(2))));
}

TEST(IsabelleSession, StatementMissingFromTheFileIsInvalidArgument) {
  testing::Rig rig = testing::MakeRig(testing::WorldJson("2022"), 1);
  ASSERT_TRUE(rig.backend);
  std::string dir = thor::testing::MakeTempDir() + "/miniF2F/HOL";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/Other.thy") << "theory Other imports Main begin\nlemma x: \"True\" by simp\nend\n";
  Theorem t;
  t.prover = "isabelle";
  t.name = "absent";
  t.statement = "theorem absent: \"False\"";
  t.file_path = dir + "/Other.thy";
  t.options.Set(kWorkingDirectoryOption, dir);
  t.options.Set(kSessionOption, "HOL");
  auto session = *rig.backend->NewSession();
  absl::Status s = session->Start(t, absl::Seconds(5)).status();
  EXPECT_TRUE(absl::IsInvalidArgument(s)) << s;
  EXPECT_NE(s.message().find("theorem absent"), absl::string_view::npos);
  // A session PISA cannot reach without an AFP is refused before any RPC.
  t.file_path.clear();
  t.options.Set(kSessionOption, "Symmetric_Polynomials");
  auto other = *rig.backend->NewSession();
  s = other->Start(t, absl::Seconds(5)).status();
  EXPECT_TRUE(absl::IsInvalidArgument(s)) << s;
  EXPECT_NE(s.message().find("afp"), absl::string_view::npos) << s;
}

TEST(IsabelleSession, AHungServerTimesOutAndTheSessionCarriesOn) {
  IsabelleConfig config;
  config.rpc_grace = absl::Milliseconds(200);
  testing::Rig rig = testing::MakeRig(testing::WorldJson("2022"), 1, config);
  ASSERT_TRUE(rig.backend);
  auto session = *rig.backend->NewSession();
  ProofState init = *session->Start(testing::MathdAlgebra17(), absl::Seconds(5));
  absl::Time t0 = absl::Now();
  StepResult hung = session->Apply(init, "by hang", absl::Milliseconds(300));
  EXPECT_EQ(hung.kind, StepKind::kTimeout) << hung.message;
  EXPECT_LT(absl::Now() - t0, absl::Seconds(3));
  StepResult done = session->Apply(init, "by presburger", absl::Seconds(5));
  EXPECT_EQ(done.kind, StepKind::kProofFinished) << done.message;
  EXPECT_EQ(rig.backend->pool().restarts(), 1);  // Reconnected and re-established.
}

TEST(IsabelleSession, WaitingForABusyServerEndsAtTheTimeoutOrOnInterrupt) {
  testing::Rig rig = testing::MakeRig(testing::WorldJson("2022"), 1);
  ASSERT_TRUE(rig.backend);
  Theorem theorem = testing::MathdAlgebra17();
  auto holder = *rig.backend->NewSession();
  ASSERT_TRUE(holder->Start(theorem, absl::Seconds(5)).ok());
  auto waiter = *rig.backend->NewSession();
  absl::Status s = waiter->Start(theorem, absl::Milliseconds(300)).status();
  EXPECT_TRUE(absl::IsDeadlineExceeded(s)) << s;
  EXPECT_NE(s.message().find("stayed busy"), absl::string_view::npos) << s;
  auto interrupted = *rig.backend->NewSession();
  std::thread stopper([&] {
    absl::SleepFor(absl::Milliseconds(200));
    interrupted->Interrupt();
  });
  absl::Time t0 = absl::Now();
  s = interrupted->Start(theorem, absl::Seconds(30)).status();
  stopper.join();
  EXPECT_TRUE(absl::IsCancelled(s)) << s;
  EXPECT_LT(absl::Now() - t0, absl::Seconds(3));
  holder.reset();  // Frees the server: the next session gets it.
  auto next = *rig.backend->NewSession();
  EXPECT_TRUE(next->Start(theorem, absl::Seconds(5)).ok());
}

TEST(IsabelleSession, InterruptStopsAStepFromAnotherThread) {
  testing::Rig rig = testing::MakeRig(testing::WorldJson("2022"), 1);
  ASSERT_TRUE(rig.backend);
  auto session = *rig.backend->NewSession();
  ProofState init = *session->Start(testing::MathdAlgebra17(), absl::Seconds(5));
  std::thread stopper([&] {
    absl::SleepFor(absl::Milliseconds(300));
    session->Interrupt();
  });
  absl::Time t0 = absl::Now();
  StepResult r = session->Apply(init, "by hang", absl::Seconds(30));
  stopper.join();
  EXPECT_EQ(r.kind, StepKind::kTimeout);
  EXPECT_NE(r.message.find("interrupted"), std::string::npos) << r.message;
  EXPECT_LT(absl::Now() - t0, absl::Seconds(5));
  EXPECT_EQ(session->Apply(init, "by presburger", absl::Seconds(5)).kind, StepKind::kProofFinished);
}

}  // namespace
}  // namespace thor::isabelle
