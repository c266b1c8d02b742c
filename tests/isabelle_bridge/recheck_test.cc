// The Isabelle server client against a fake `isabelle server` with the real
// framing: password, long messages, async tasks, and whole-theory re-checks.
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "isabelle_bridge/isabelle_server.h"
#include "isabelle_bridge/recheck.h"
#include "tests/isabelle_bridge/fake_isabelle_server.h"
#include "tests/isabelle_bridge/test_world.h"
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

TEST(Recheck, PassesAProofAndFailsABadOneWithIsabellesMessage) {
  fake::FakeIsabelleServer server("pw", {"FAIL_MARK"});
  ASSERT_TRUE(server.Start());
  Theorem t = testing::MathdAlgebra17();
  RecheckResult ok = RecheckTheory(ServerAt(server), "HOL", t, {"by (smt (z3) h0)"}, absl::Seconds(10));
  EXPECT_EQ(ok.verdict, RecheckVerdict::kPassed) << ok.message;
  ASSERT_EQ(server.theories().size(), 1u);
  const std::string text = server.theories()[0];
  EXPECT_TRUE(absl::StartsWith(text, "(*")) << text;  // The benchmark file's own prefix.
  EXPECT_NE(text.find("theory Thor_Recheck_"), std::string::npos) << text;
  EXPECT_NE(text.find("shows \"a = 8\"\nby (smt (z3) h0)\n\nend"), std::string::npos) << text;
  EXPECT_EQ(text.find("sorry"), std::string::npos) << text;
  RecheckResult bad = RecheckTheory(ServerAt(server), "HOL", t, {"by FAIL_MARK"}, absl::Seconds(10));
  EXPECT_EQ(bad.verdict, RecheckVerdict::kFailed);
  EXPECT_NE(bad.message.find("Failed to finish proof"), std::string::npos) << bad.message;
  std::vector<std::string> commands = server.commands();
  EXPECT_NE(std::find(commands.begin(), commands.end(), "purge_theories"), commands.end());
  EXPECT_NE(std::find(commands.begin(), commands.end(), "session_stop"), commands.end());
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
