// Pure functions of the bridge: PISA's command strings and reply
// classification, Sledgehammer name decoding, the reconstruction ladder,
// settings parsing and PISA's session inference.
#include <gtest/gtest.h>

#include "isabelle_bridge/config.h"
#include "isabelle_bridge/hammer_external.h"
#include "isabelle_bridge/pisa_layout.h"
#include "isabelle_bridge/pisa_protocol.h"
#include "isabelle_bridge/recheck.h"

namespace thor::isabelle {
namespace {

TEST(PisaProtocol, CommandsAreExactlyPisas) {
  EXPECT_EQ(ApplyCommand("default", "by simp", "s1"),
            "<apply to top level state> default <apply to top level state> by simp "
            "<apply to top level state> s1");
  EXPECT_EQ(CloneCommand("a", "b"), "<clone> a <clone> b");
  EXPECT_EQ(IsFinishedCommand("s1"), "<is finished> s1");
  EXPECT_EQ(ProceedAfterCommand("  theorem x:\n  fixes a\n\n shows \"a = a\"  "),
            "<proceed after> theorem x: fixes a shows \"a = a\"");
  EXPECT_EQ(NativeHammerStep(PisaVersion::kIsabelle2021), "sledgehammer");
  EXPECT_EQ(NativeHammerStep(PisaVersion::kIsabelle2022, "f1,f2", "g"),
            "normalhammer <add>f1,f2<add> <del>g<del>");
}

TEST(PisaProtocol, ClassifiesRepliesByPrefixNotByTheWordError) {
  // A goal that mentions "error" is a state, not a failure.
  ApplyReply r = ParseApplyReply("proof (prove)\ngoal (1 subgoal):\n 1. error x = 0", false);
  EXPECT_EQ(r.kind, ApplyReply::Kind::kState);
  EXPECT_EQ(r.state, "proof (prove)\ngoal (1 subgoal):\n 1. error x = 0");
  r = ParseApplyReply("Step error: Failed to apply initial proof method (line 1)", false);
  EXPECT_EQ(r.kind, ApplyReply::Kind::kStepError);
  EXPECT_EQ(r.message, "Failed to apply initial proof method (line 1)");
  EXPECT_EQ(ParseApplyReply("Step error: Timeout after 10.000s", false).kind,
            ApplyReply::Kind::kTimeout);
  EXPECT_EQ(ParseApplyReply("Unknown error: Futures timed out after [10000 milliseconds]", false)
                .kind,
            ApplyReply::Kind::kTimeout);
  EXPECT_EQ(ParseApplyReply("Unknown error: java.lang.NullPointerException", false).kind,
            ApplyReply::Kind::kUnknownError);
  r = ParseApplyReply("Didn't find top level state of given name: s9", false);
  EXPECT_EQ(r.kind, ApplyReply::Kind::kMissingState);
  EXPECT_EQ(r.message, "s9");
  EXPECT_EQ(ParseApplyReply("Unrecognised operation.", false).kind,
            ApplyReply::Kind::kUnrecognised);
  EXPECT_EQ(ParseApplyReply("", false).kind, ApplyReply::Kind::kState);  // Theory level.
}

TEST(PisaProtocol, ParsesHammerReplies) {
  ApplyReply r = ParseApplyReply("by (smt (z3) even_power oddE) <hammer> ", true);
  EXPECT_EQ(r.kind, ApplyReply::Kind::kState);
  EXPECT_EQ(r.hammer_step, "by (smt (z3) even_power oddE)");
  EXPECT_EQ(r.state, "");
  r = ParseApplyReply("apply auto <hammer> proof (prove)\ngoal (1 subgoal):\n 1. P", true);
  EXPECT_EQ(r.hammer_step, "apply auto");
  EXPECT_EQ(r.state, "proof (prove)\ngoal (1 subgoal):\n 1. P");
  EXPECT_EQ(ParseApplyReply("error: Futures timed out", true).kind, ApplyReply::Kind::kTimeout);
  EXPECT_EQ(ParseApplyReply("Step error: Outer syntax error", true).kind,
            ApplyReply::Kind::kStepError);
}

TEST(PisaProtocol, RejectsStepsAndNamesThatBreakPisasSplit) {
  EXPECT_FALSE(CheckStepText("by simp <apply to top level state> x").ok());
  EXPECT_FALSE(CheckStepText("   ").ok());
  EXPECT_TRUE(CheckStepText("by (simp add: foo)").ok());
  EXPECT_FALSE(CheckStateName("a b").ok());
  EXPECT_TRUE(CheckStateName("thor3_12").ok());
}

TEST(SledgehammerNames, UnasciiOfInvertsAsciiOf) {
  EXPECT_EQ(IsabelleFactName("fact_17_add_Ocommute"), "add.commute");
  EXPECT_EQ(IsabelleFactName("fact_3_assms_I1_J"), "assms(1)");
  EXPECT_EQ(IsabelleFactName("fact_40_List_Oappend__assoc"), "List.append_assoc");
  EXPECT_EQ(UnasciiOf("a_058b_061c"), "a:b=c");
  EXPECT_EQ(IsabelleFactName("conj_0"), "");
  EXPECT_EQ(IsabelleFactName("help_fequal_1_1_T"), "");
  EXPECT_EQ(IsabelleFactName("fact_9_ATP_Olambda__1"), "");
  UsedFacts used = MapUsedPremises({"fact_1_h0", "conj_0", "help_fTrue_1_1_T", "fact_2_h0",
                                    "fact_5_assms_I2_J", "fact_4_ATP_Olambda__2"});
  EXPECT_EQ(used.facts, (std::vector<std::string>{"h0", "assms(2)"}));
  EXPECT_TRUE(used.typed_helper);
  EXPECT_TRUE(used.lambda_lifted);
}

TEST(SledgehammerExport, StepUsesTheVersionsConfigNames) {
  ExternalHammerConfig c;
  std::string s22 = ExportStep(PisaVersion::kIsabelle2022, c, "/tmp/d", "p_");
  EXPECT_NE(s22.find("sledgehammer_atp_problem_dest_dir = \"/tmp/d\""), std::string::npos);
  EXPECT_NE(s22.find("prover = dummy_tfx"), std::string::npos);
  EXPECT_NE(s22.find("dont_learn"), std::string::npos);
  std::string s21 = ExportStep(PisaVersion::kIsabelle2021, c, "/tmp/d", "p_");
  EXPECT_NE(s21.find("sledgehammer_atp_dest_dir = \"/tmp/d\""), std::string::npos);
  EXPECT_EQ(s21.find("problem_dest_dir"), std::string::npos);
}

TEST(SledgehammerExport, LadderStartsWithMetisAndEndsWithIndirectMethods) {
  UsedFacts used;
  used.facts = {"h0", "add.commute"};
  std::vector<std::string> l22 = ReconstructionLadder(PisaVersion::kIsabelle2022, used);
  EXPECT_EQ(l22.front(), "by (metis h0 add.commute)");
  EXPECT_NE(std::find(l22.begin(), l22.end(), "by (smt (z3) h0 add.commute)"), l22.end());
  EXPECT_NE(std::find(l22.begin(), l22.end(), "by (metis (no_types, opaque_lifting) h0 add.commute)"),
            l22.end());
  std::vector<std::string> l21 = ReconstructionLadder(PisaVersion::kIsabelle2021, used);
  EXPECT_NE(std::find(l21.begin(), l21.end(), "by (smt h0 add.commute)"), l21.end());
  EXPECT_NE(std::find(l21.begin(), l21.end(), "by (metis (no_types, hide_lams) h0 add.commute)"),
            l21.end());
  EXPECT_EQ(l21.back(), "by (simp add: h0 add.commute)");
}

TEST(IsabelleSettings, ParsesFlagsAndRejectsBadOnes) {
  absl::StatusOr<IsabelleConfig> c = ParseIsabelleSettings(
      {{"pisa", "127.0.0.1:8000,127.0.0.1:8001"}, {"pisa-version", "2021"},
       {"hammer", "external"}, {"hammer-heuristics", "true"}, {"session", "HOL-Analysis"},
       {"rpc-grace", "2s"}});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->pool.addresses.size(), 2u);
  EXPECT_EQ(c->version, PisaVersion::kIsabelle2021);
  EXPECT_EQ(c->hammer, HammerMode::kExternal);
  EXPECT_TRUE(c->heuristics_first);
  EXPECT_EQ(c->default_session, "HOL-Analysis");
  EXPECT_EQ(c->rpc_grace, absl::Seconds(2));
  EXPECT_FALSE(ParseIsabelleSettings({{"pisa-servers", "0"}}).ok());
  EXPECT_FALSE(ParseIsabelleSettings({{"hammer", "magic"}}).ok());
  absl::Status unknown = ParseIsabelleSettings({{"pisaa", "x"}}).status();
  EXPECT_TRUE(absl::IsInvalidArgument(unknown));
  EXPECT_NE(unknown.message().find("pisaa"), absl::string_view::npos);
}

TEST(IsabelleSettings, ParsesTheServersJsonOptions) {
  absl::StatusOr<IsabelleConfig> c = ParseIsabelleSettingsJson(
      R"({"pisa": "127.0.0.1:8000", "pisa_servers": 3, "hammer_heuristics": true})");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->pool.addresses, std::vector<std::string>{"127.0.0.1:8000"});
  EXPECT_EQ(c->pool.num_servers, 3);
  EXPECT_TRUE(c->heuristics_first);
  EXPECT_TRUE(ParseIsabelleSettingsJson("").ok());
  EXPECT_FALSE(ParseIsabelleSettingsJson("[1]").ok());
  EXPECT_FALSE(ParseIsabelleSettingsJson(R"({"pisa": [1]})").ok());
}

TEST(PisaLayout, MirrorsPisaOsSessionInference) {
  EXPECT_EQ(*PisaInferredSession("/home/u/afp-2021-02-11/thys/Containers/Examples/X.thy",
                                 "/home/u/afp-2021-02-11/thys/Containers"),
            "Containers");
  EXPECT_EQ(*PisaInferredSession("/opt/Isabelle2021/src/HOL/Analysis/ex/X.thy",
                                 "/opt/Isabelle2021/src/HOL/Analysis/ex"),
            "HOL-Analysis-ex");
  EXPECT_EQ(*PisaInferredSession("/data/miniF2F/isabelle/valid/a.thy", "/stage/miniF2F/HOL"),
            "HOL");
  EXPECT_TRUE(absl::IsInvalidArgument(PisaInferredSession("/data/x.thy", "/data").status()));
}

TEST(Recheck, FindsTheStatementUnderPisasNormalisation) {
  std::string raw = "theory T imports Main begin\ntheorem t:\n  fixes x\n\n  shows \"x = x\"\n  by simp\nend";
  size_t end = FindNormalizedEnd(raw, "theorem t: fixes x shows \"x = x\"");
  ASSERT_NE(end, std::string::npos);
  EXPECT_EQ(raw.substr(end, 3), "\n  ");
  EXPECT_EQ(FindNormalizedEnd(raw, "theorem u:"), std::string::npos);
}

}  // namespace
}  // namespace thor::isabelle
