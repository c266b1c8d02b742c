// The Isabelle server client against a fake `isabelle server` with the real
// framing: password, long messages, async tasks, and whole-theory re-checks.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "isabelle_bridge/isabelle_server.h"
#include "isabelle_bridge/recheck.h"
#include "isabelle_bridge/theorem_options.h"
#include "tests/isabelle_bridge/fake_isabelle_server.h"
#include "tests/isabelle_bridge/test_world.h"
#include "tests/testing/paths.h"
#include "tests/testing/processes.h"

namespace thor::isabelle {
namespace {

TEST(IsabelleServerProtocol, FramingAndServerLine) {
  EXPECT_EQ(FrameMessage("echo \"x\""), "echo \"x\"\n");
  EXPECT_EQ(FrameMessage("a\nb"), "3\na\nb");
  EXPECT_EQ(FrameMessage("123"), "3\n123");  // Digits alone would read as a length.
  std::string name, arg;
  SplitMessage("FINISHED {\"task\":\"t\"}", &name, &arg);
  EXPECT_EQ(name, "FINISHED");
  EXPECT_EQ(arg, "{\"task\":\"t\"}");
  absl::StatusOr<ServerInfo> info =
      ParseServerInfoLine("server \"isabelle\" = 127.0.0.1:4711 (password \"ab-12\")");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->port, 4711);
  EXPECT_EQ(info->password, "ab-12");
  EXPECT_FALSE(ParseServerInfoLine("Welcome").ok());
}

TEST(IsabelleServerProtocol, PasswordSyncAndAsyncCommands) {
  fake::FakeIsabelleServer server("secret", {});
  ASSERT_TRUE(server.Start());
  absl::Time d = absl::Now() + absl::Seconds(5);
  EXPECT_TRUE(absl::IsPermissionDenied(
      IsabelleServerConnection::Connect("127.0.0.1", server.port(), "wrong", d).status()));
  auto conn = *IsabelleServerConnection::Connect("127.0.0.1", server.port(), "secret", d);
  std::string multi_line(5000, 'x');
  multi_line[2500] = '\n';
  absl::StatusOr<nlohmann::json> echo = conn->Call("echo", multi_line, d);
  ASSERT_TRUE(echo.ok()) << echo.status();
  EXPECT_EQ(echo->get<std::string>(), multi_line);
  EXPECT_TRUE(absl::IsFailedPrecondition(conn->Call("frobnicate", nullptr, d).status()));
  absl::StatusOr<nlohmann::json> started = conn->CallAsync("session_start", {{"session", "HOL"}}, d);
  ASSERT_TRUE(started.ok()) << started.status();
  EXPECT_EQ(started->value("session_id", ""), "session-1");
  absl::Status failed = conn->CallAsync("session_start", {{"session", "Nope"}}, d).status();
  EXPECT_TRUE(absl::IsAborted(failed)) << failed;
  EXPECT_NE(failed.message().find("Bad session Nope"), absl::string_view::npos);
}

IsabelleServerConfig ServerAt(const fake::FakeIsabelleServer& server) {
  IsabelleServerConfig c;
  c.address = absl::StrCat("127.0.0.1:", server.port());
  c.password = "pw";
  return c;
}

bool Has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

TEST(Recheck, PassesAProofAndFailsABadOneWithIsabellesMessage) {
  fake::FakeIsabelleServer server("pw", {"FAIL_MARK"});
  ASSERT_TRUE(server.Start());
  Theorem t = testing::MathdAlgebra17();
  RecheckResult ok = RecheckTheory(ServerAt(server), "HOL", t, {"by (smt (z3) h0)"}, absl::Seconds(10));
  EXPECT_EQ(ok.verdict, RecheckVerdict::kPassed) << ok.message;
  EXPECT_EQ(ok.checkers, (std::vector<std::string>{"isabelle", "thm_oracles"}));
  EXPECT_TRUE(ok.axioms.empty());
  ASSERT_EQ(server.theories().size(), 1u);
  // Thor's own theory: header from the validated imports, the statement
  // under a goal name of Thor's, the steps, then thm_oracles on that goal.
  const std::string text = server.theories()[0];
  EXPECT_TRUE(absl::StartsWith(text, "theory Thor_Recheck_")) << text;
  EXPECT_NE(text.find("imports Complex_Main \"HOL-Computational_Algebra.Computational_Algebra\""),
            std::string::npos) << text;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(text, m, std::regex(R"(theorem (thor_goal_[0-9a-f]{16}): fixes a :: real)")))
      << text;
  EXPECT_NE(text.find("shows \"a = 8\"\nby (smt (z3) h0)\n\nthm_oracles " + m[1].str() + "\n\nend"),
            std::string::npos) << text;
  EXPECT_EQ(text.find("sorry"), std::string::npos) << text;
  EXPECT_TRUE(Has(server.session_options(), "quick_and_dirty=false"));
  RecheckResult bad = RecheckTheory(ServerAt(server), "HOL", t, {"by FAIL_MARK"}, absl::Seconds(10));
  EXPECT_EQ(bad.verdict, RecheckVerdict::kFailed);
  EXPECT_NE(bad.message.find("Failed to finish proof"), std::string::npos) << bad.message;
  EXPECT_TRUE(bad.checkers.empty());
  std::vector<std::string> commands = server.commands();
  EXPECT_TRUE(Has(commands, "purge_theories"));
  EXPECT_TRUE(Has(commands, "session_stop"));
}

TEST(Recheck, RefusedStepsAndInvalidTheoremsNeverReachIsabelle) {
  fake::FakeIsabelleServer server("pw", {});
  ASSERT_TRUE(server.Start());
  Theorem t = testing::MathdAlgebra17();
  for (const std::vector<std::string>& steps : std::vector<std::vector<std::string>>{
           {"sorry"}, {"\\<proof>"}, {"proof -", "show ?thesis \\<proof>", "qed"},
           {"using [[quick_and_dirty]] by simp"}, {"by simp", "lemma x: \"False\" sorry"},
           {"apply (tactic \\<open>all_tac\\<close>)"}}) {
    RecheckResult r = RecheckTheory(ServerAt(server), "HOL", t, steps, absl::Seconds(10));
    EXPECT_EQ(r.verdict, RecheckVerdict::kFailed) << steps.back();
    EXPECT_NE(r.message.find("refused"), std::string::npos) << r.message;
  }
  Theorem bad = t;
  bad.context = "ML \\<open>OS.Process.exit 0\\<close>";
  EXPECT_EQ(RecheckTheory(ServerAt(server), "HOL", bad, {"by simp"}, absl::Seconds(10)).verdict,
            RecheckVerdict::kError);
  bad = t;
  bad.imports = {"../../Evil"};
  EXPECT_EQ(RecheckTheory(ServerAt(server), "HOL", bad, {"by simp"}, absl::Seconds(10)).verdict,
            RecheckVerdict::kError);
  EXPECT_TRUE(server.theories().empty());
  EXPECT_TRUE(server.commands().empty());
}

// A context lemma proved by sorry, used by the proof.
Theorem WithCheatingLemma() {
  Theorem t = testing::MathdAlgebra17();
  t.context = "lemma cheat: \"False\" sorry";
  return t;
}

TEST(Recheck, AContextLemmaProvedBySorryAndUsedIsCaughtByThmOracles) {
  // The server accepts sorry (PIDE runs commands as interactive, and
  // interactive sorry needs no quick_and_dirty): the oracle report fails it.
  fake::FakeIsabelleServer server("pw", {});
  ASSERT_TRUE(server.Start());
  RecheckResult r = RecheckTheory(ServerAt(server), "HOL", WithCheatingLemma(),
                                  {"using cheat by blast"}, absl::Seconds(10));
  EXPECT_EQ(r.verdict, RecheckVerdict::kFailed) << r.message;
  EXPECT_EQ(r.axioms, std::vector<std::string>{"skip_proof"});
  EXPECT_NE(r.message.find("skip_proof"), std::string::npos) << r.message;
  EXPECT_TRUE(r.checkers.empty());
  // Also through a second lemma that uses the first.
  Theorem t = WithCheatingLemma();
  t.context += "\nlemma laundered: \"x = (8::real)\" using cheat by blast";
  r = RecheckTheory(ServerAt(server), "HOL", t, {"using laundered by simp"}, absl::Seconds(10));
  EXPECT_EQ(r.verdict, RecheckVerdict::kFailed) << r.message;
  EXPECT_EQ(r.axioms, std::vector<std::string>{"skip_proof"});
  // The same context, the cheat unused: nothing to report, the proof passes.
  r = RecheckTheory(ServerAt(server), "HOL", WithCheatingLemma(), {"by (smt (z3) h0)"},
                    absl::Seconds(10));
  EXPECT_EQ(r.verdict, RecheckVerdict::kPassed) << r.message;
  EXPECT_TRUE(r.axioms.empty());
}

TEST(Recheck, OraclesPassOnlyWhenAllowed) {
  fake::FakeIsabelleServer server("pw", {});
  server.AddOracle("oracle_method", "Thor_Test.test_oracle");
  ASSERT_TRUE(server.Start());
  Theorem t = testing::MathdAlgebra17();
  RecheckResult r = RecheckTheory(ServerAt(server), "HOL", t, {"by oracle_method"}, absl::Seconds(10));
  EXPECT_EQ(r.verdict, RecheckVerdict::kFailed) << r.message;
  EXPECT_EQ(r.axioms, std::vector<std::string>{"Thor_Test.test_oracle"});
  t.allowed_axioms = {"Thor_Test.test_oracle"};
  r = RecheckTheory(ServerAt(server), "HOL", t, {"by oracle_method"}, absl::Seconds(10));
  EXPECT_EQ(r.verdict, RecheckVerdict::kPassed) << r.message;
  EXPECT_EQ(r.axioms, std::vector<std::string>{"Thor_Test.test_oracle"});
  EXPECT_EQ(r.checkers, (std::vector<std::string>{"isabelle", "thm_oracles"}));
}

TEST(Recheck, WritesOnlyIntoAScratchDirectoryItRemoves) {
  fake::FakeIsabelleServer server("pw", {});
  ASSERT_TRUE(server.Start());
  // A PISA test-list theorem: only its file and statement are given.
  const std::string dir = thor::testing::MakeTempDir() + "/thys/Entry";
  std::filesystem::create_directories(dir);
  const std::string file = dir + "/Entry.thy";
  std::ofstream(file) << "(* This theory (* nested *) imports nothing; begin *)\n"
                         "theory Entry\n  imports Main \"HOL-Library.Multiset\"\nbegin\n\n"
                         "definition two :: nat where \"two = 2\"\n\n"
                         "lemma two_eq:\n  \"two = 1 + 1\"\n  by (simp add: two_def)\n\nend\n";
  Theorem t;
  t.prover = "isabelle";
  t.name = "two_eq";
  t.file_path = file;
  t.statement = "lemma two_eq: \"two = 1 + 1\"";
  t.options.Set(kSessionOption, "HOL");
  RecheckResult r = RecheckTheory(ServerAt(server), "HOL", t, {"by (simp add: two_def)"},
                                  absl::Seconds(10));
  EXPECT_EQ(r.verdict, RecheckVerdict::kPassed) << r.message;
  ASSERT_EQ(server.theories().size(), 1u);
  const std::string text = server.theories()[0];
  EXPECT_NE(text.find("imports Main \"HOL-Library.Multiset\""), std::string::npos) << text;
  EXPECT_NE(text.find("definition two :: nat where \"two = 2\""), std::string::npos) << text;
  EXPECT_EQ(text.find("theory Entry"), std::string::npos) << text;
  // Nothing was written next to the client's file, and the scratch
  // directory Isabelle read from is gone.
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) files += e.is_regular_file();
  EXPECT_EQ(files, 1u);
  ASSERT_EQ(server.master_dirs().size(), 1u);
  EXPECT_NE(server.master_dirs()[0], dir);
  EXPECT_FALSE(std::filesystem::exists(server.master_dirs()[0]));
  // A file whose context runs ML is refused like a client's context.
  std::ofstream(file) << "theory Entry imports Main begin\nML \\<open>1\\<close>\n"
                         "lemma two_eq: \"two = 1 + 1\"\n  by simp\nend\n";
  r = RecheckTheory(ServerAt(server), "HOL", t, {"by simp"}, absl::Seconds(10));
  EXPECT_EQ(r.verdict, RecheckVerdict::kError);
  EXPECT_NE(r.message.find("context"), std::string::npos) << r.message;
}

TEST(ThmOracles, ParsesTheReport) {
  EXPECT_FALSE(ParseThmOracles({"Failed to finish proof", "theorem x: P"}).has_value());
  std::optional<std::vector<std::string>> none = ParseThmOracles({"oracles:"});
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->empty());
  std::optional<std::vector<std::string>> some = ParseThmOracles(
      {"oracles:\n  \\<bullet> skip_proof\n  \\<bullet> SMT.smt_oracle: x = y \\<and>\n      y = z"});
  ASSERT_TRUE(some.has_value());
  EXPECT_EQ(*some, (std::vector<std::string>{"skip_proof", "SMT.smt_oracle"}));
  some = ParseThmOracles({"oracles:\n  \xe2\x80\xa2 Pure.skip_proof"});
  EXPECT_EQ(*some, std::vector<std::string>{"Pure.skip_proof"});
}

TEST(Recheck, SkippedWithoutServerErrorWithWrongPassword) {
  Theorem t = testing::MathdAlgebra17();
  EXPECT_EQ(RecheckTheory(IsabelleServerConfig(), "HOL", t, {"by simp"}, absl::Seconds(5)).verdict,
            RecheckVerdict::kSkipped);
  fake::FakeIsabelleServer server("right", {});
  ASSERT_TRUE(server.Start());
  RecheckResult r = RecheckTheory(ServerAt(server), "HOL", t, {"by simp"}, absl::Seconds(5));
  EXPECT_EQ(r.verdict, RecheckVerdict::kError);
  EXPECT_NE(r.message.find("password"), std::string::npos) << r.message;
}

TEST(Recheck, StartsTheServerCommandAndReadsItsLine) {
  fake::FakeIsabelleServer server("pw", {});
  ASSERT_TRUE(server.Start());
  IsabelleServerConfig c;
  c.command = {"sh", "-c", absl::StrCat("echo '", server.InfoLine(), "'; sleep 30")};
  Theorem t = testing::MathdAlgebra17();
  RecheckResult r = RecheckTheory(c, "HOL", t, {"by simp"}, absl::Seconds(10));
  EXPECT_EQ(r.verdict, RecheckVerdict::kPassed) << r.message;
  EXPECT_EQ(thor::testing::LeftoverChildren(), "");
}

TEST(Recheck, ThroughTheBackend) {
  fake::FakeIsabelleServer server("pw", {});
  ASSERT_TRUE(server.Start());
  IsabelleConfig config;
  config.recheck = ServerAt(server);
  testing::Rig rig = testing::MakeRig(testing::WorldJson("2022"), 1, config);
  ASSERT_TRUE(rig.backend);
  RecheckResult r = rig.backend->Recheck(testing::MathdAlgebra17(), {"apply (simp add: h0)", "by auto"},
                                         absl::Seconds(10));
  EXPECT_EQ(r.verdict, RecheckVerdict::kPassed) << r.message;
  EXPECT_NE(server.theories().at(0).find("apply (simp add: h0)\nby auto"), std::string::npos);
}

}  // namespace
}  // namespace thor::isabelle
