// The Isabelle bridge's allow-lists: proof steps, statements, imports,
// contexts and proof texts, against cheats written every way we know.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "isabelle_bridge/isabelle_lexer.h"
#include "isabelle_bridge/isabelle_rules.h"
#include "isabelle_bridge/theorem_options.h"

namespace thor::isabelle {
namespace {

TEST(IsabelleStepRules, AcceptsOrdinaryAndSledgehammerStyleSteps) {
  const std::vector<std::string> ok = {
      "by auto",
      "by (metis h0 foo.bar(1) add.commute)",
      "by (smt (verit) h0 h1 power2_eq_square)",
      "by (smt (verit, ccfv_threshold) h0)",
      "using assms by linarith",
      "have \"x = 1\" by simp",
      "have h: \"sqrt (1 + a) = 3\" using h0 by (simp add: algebra_simps)",
      "apply (simp add: h0)",
      "apply (induct n rule: less_induct)",
      "proof -",
      "proof (cases \"x > 0\")",
      "qed",
      "next",
      "case (Suc n)",
      "then show ?thesis by auto",
      "hence \"a = 8\" by (auto simp: field_simps)",
      "thus ?thesis .",
      "..",
      "done",
      "with h0 have \"b = 2\" by fastforce",
      "from h0 h1 obtain k where \"n = 2 * k\" by blast",
      "also have \"... = x\\<^sup>2\" by simp",
      "finally show ?thesis by simp",
      "moreover have \\<open>0 < x\\<close> by simp",
      "fix x :: real",
      "assume \"x \\<in> A\"",
      "define y where \"y = x + 1\"",
      "let ?f = \"\\<lambda>x. x + 1\"",
      "note h0[symmetric]",
      "unfolding power2_eq_square by simp",
      "supply h0[simp] by auto",
      "subgoal by auto",
      "defer",
      "prefer 2",
      "consider (a) \"x < 0\" | (b) \"x \\<ge> 0\" by linarith",
      "{ fix x assume \"P x\" }",
      "by (simp add: h0) (* a comment *)",
      "by (auto simp: x\\<^sub>1_def)",
      "by code_simp",
      // Evaluation runs code generated from HOL (code_printing, which could
      // map it to any ML, is refused in contexts) and rests on an oracle
      // that thm_oracles reports: the re-check decides.
      "by eval",
      "by normalization",
  };
  for (const std::string& step : ok) {
    absl::Status s = CheckIsabelleStep(step);
    EXPECT_TRUE(s.ok()) << step << ": " << s;
  }
}

TEST(IsabelleStepRules, RefusesCheatsCommandsAndCodeEverywhere) {
  const std::vector<std::string> refused = {
      // Skipping the proof, in all spellings.
      "sorry",
      "by sorry",
      "\\<proof>",                         // Isabelle2021+: the symbol form of sorry.
      "have \"x = 1\" \\<proof>",
      "oops",
      "apply simp\noops",
      "by (rule skip_proof)",
      "apply (tactic \\<open>Skip_Proof.cheat_tac @{context} 1\\<close>)",
      "by (tactic \\<open>all_tac\\<close>)",
      "by (raw_tactic \\<open>all_tac\\<close>)",
      // ML and ML-running declarations.
      "ML \\<open>error \"x\"\\<close>",
      "ML_prf \\<open>val x = 1\\<close>",
      "ML_val \\<open>1\\<close>",
      "ML_command \\<open>()\\<close>",
      "method_setup m = \\<open>Scan.succeed (K all_tac)\\<close>",
      "using [[quick_and_dirty]] sorry",
      "using [[quick_and_dirty = true]] by simp",
      "using [[ML_exception_trace]] by simp",
      "supply [[smt_oracle]] by smt",
      "using [ [simp_trace] ] by simp",
      // Theory-level and diagnostic commands.
      "lemma foo: \"False\"",
      "theorem t: \"x = x\"",
      "declare [[quick_and_dirty]]",
      "definition f where \"f = 1\"",
      "axiomatization where ax: \"False\"",
      "end",
      "context begin",
      "setup \\<open>I\\<close>",
      "export_code f in SML",
      "external_file \"/etc/passwd\"",
      "value \"f 1\"",
      "nitpick",
      "sledgehammer",
      // Hidden after a proof command, after a newline, in a string, a
      // cartouche or a comment.
      "by simp lemma bad: \"False\"",
      "by simp\nML \\<open>1\\<close>",
      "have \"x = 1\"\n  sorry",
      "have \"x = sorry\" by simp",
      "have \\<open>sorry\\<close> by simp",
      "by simp (* sorry *)",
      "by simp \\<comment> \\<open>\\<proof>\\<close>",
      "have \"@{value x}\" by simp",
      "by (simp add: \\<^ML>\\<open>1\\<close>)",
      "text \\<open>@{ML \"1\"}\\<close>",
      "\\<^marker>\\<open>tag\\<close> by simp",
      // Where Isabelle's lexer splits words: a number, a symbol or '_'
      // before a command keyword ends the word before it.
      "by simp 1ML \\<open>1\\<close>",
      "by simp \\<and>lemma x: \"False\"",
      "by simp _lemma x: \"False\"",
      "by (simp add: foo.1lemma)",
      "by (simp add: h0sorry)",
      // Not proof steps at all, or unparsable.
      "",
      "   ",
      "auto",
      "by \"unterminated",
      "by (simp) \\<open>open cartouche",
      "by simp\x01",
      std::string("by simp\0sorry", 13),
      "by simp \xe2\x80\xb9sorry\xe2\x80\xba",
  };
  for (const std::string& step : refused) {
    absl::Status s = CheckIsabelleStep(step);
    EXPECT_TRUE(absl::IsPermissionDenied(s)) << "'" << step << "' gave " << s;
  }
}

TEST(IsabelleStepRules, MessagesNameTheReasonAndQuoteLittle) {
  absl::Status s = CheckIsabelleStep("have \"x\" \\<proof>");
  EXPECT_NE(s.message().find("\\<proof>"), absl::string_view::npos) << s;
  s = CheckIsabelleStep("lemma foo: \"False\"");
  EXPECT_NE(s.message().find("'lemma'"), absl::string_view::npos) << s;
  s = CheckIsabelleStep("by simp ML_" + std::string(5000, 'y'));
  EXPECT_TRUE(absl::IsPermissionDenied(s));
  EXPECT_LT(s.message().size(), 300u) << s;
  std::string long_head(5000, 'x');
  s = CheckIsabelleStep(long_head);
  EXPECT_TRUE(absl::IsPermissionDenied(s));
  EXPECT_LT(s.message().size(), 300u) << s;
}

TEST(IsabelleStatementRules, ParsesNamedUnnamedAndBareStatements) {
  absl::StatusOr<IsabelleStatement> s = ParseIsabelleStatement(
      "theorem mathd_algebra_17:\n  fixes a :: real\n  assumes \"sqrt (1 + a) = 3\"\n  shows \"a = 8\"");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->keyword, "theorem");
  EXPECT_EQ(s->name, "mathd_algebra_17");
  EXPECT_TRUE(absl::StartsWith(s->body, "fixes a :: real")) << s->body;
  s = ParseIsabelleStatement("lemma \"x + 0 = (x::nat)\"");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->name, "");
  EXPECT_EQ(s->body, "\"x + 0 = (x::nat)\"");
  s = ParseIsabelleStatement("lemma foo [simp]: \"x = x\"");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->name, "foo");
  s = ParseIsabelleStatement("\"1 + 1 = (2::nat)\"");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->keyword, "");
  s = ParseIsabelleStatement("theorem monot: monot");  // A lone identifier is a term.
  ASSERT_TRUE(s.ok()) << s.status();
  s = ParseIsabelleStatement("lemma (in Corps) n_val_surj: \"x = x\"");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->target, "(in Corps)");
  EXPECT_EQ(s->name, "n_val_surj");
  s = ParseIsabelleStatement("lemma t: \"P\" \\<comment> \\<open>If @{term \"s=[]\"}, trivial\\<close>");
  ASSERT_TRUE(s.ok()) << s.status();
  s = ParseIsabelleStatement("schematic_goal g: \"?x = (1::nat)\"");
  ASSERT_TRUE(s.ok()) << s.status();
  s = ParseIsabelleStatement("theorem numbertheory_x :\n  fixes n :: nat\n  assumes h0 : \"n > 0\"\n"
                             "    and h1 : \"n < 3\"\n  shows \"n = 1 \\<or> n = 2\"");
  EXPECT_TRUE(s.ok()) << s.status();
}

TEST(IsabelleStatementRules, RefusesSecondCommandsAndCheats) {
  const std::vector<std::string> bad = {
      "lemma foo: \"False\" sorry",
      "lemma foo: \"False\" by simp",
      "lemma foo: \"True\" by simp lemma bar: \"False\"",
      "lemma foo: \"False\" \\<proof>",
      "definition f where \"f = 1\"",
      "ML \\<open>1\\<close>",
      "lemma foo [[quick_and_dirty]]: \"False\"",
      "lemma foo: fixes",
      "lemma foo",
      "lemma foo: \"x\" \\<comment> \\<open>@{ML \"1\"}\\<close>",
      "",
      "theorem t: \"x\" oops",
      "\"x\" \"y\" ML",
  };
  for (const std::string& st : bad) {
    EXPECT_TRUE(absl::IsInvalidArgument(ParseIsabelleStatement(st).status())) << st;
  }
}

TEST(IsabelleImportRules, TheoryNamesOnly) {
  for (const char* ok : {"Main", "Complex_Main", "HOL-Library.Multiset", "\"HOL-Analysis.Analysis\"",
                         "HOL-Computational_Algebra.Computational_Algebra", "Symmetric_Polynomials.Vieta"}) {
    EXPECT_TRUE(ValidateIsabelleImport(ok).ok()) << ok;
  }
  for (const char* bad : {"", "../../etc/passwd", "\"/tmp/Evil\"", "Main begin ML",
                          "~~/src/HOL/Main", "Foo\"", "HOL-Library.", ".Main", "a b"}) {
    EXPECT_TRUE(absl::IsInvalidArgument(ValidateIsabelleImport(bad))) << bad;
  }
}

TEST(IsabelleContextRules, TheoryCommandsYesCodeFilesAxiomsNo) {
  for (const char* ok : {
           "",
           "definition inv_mod :: \"nat \\<Rightarrow> nat \\<Rightarrow> nat\" where\n"
           "  \"inv_mod d p = (SOME x. [x*p = 1] (mod p))\"",
           "function digits :: \"nat \\<Rightarrow> nat list\" where\n  \"digits n = [n]\"\n  by auto\n"
           "termination by (relation \"measure id\") auto",
           "lemma helper: \"x = x\" by simp",
           "lemma cheat: \"False\" sorry",  // The kernel's business: thm_oracles reports it.
           "context begin\nlemma l: \"True\" by simp\nend",
       }) {
    EXPECT_TRUE(CheckIsabelleContext(ok).ok()) << ok << ": " << CheckIsabelleContext(ok);
  }
  for (const char* bad : {
           "ML \\<open>1\\<close>",
           "ML_file \"evil.ML\"",
           "SML_file \"x.sml\"",
           "setup \\<open>I\\<close>",
           "local_setup \\<open>I\\<close>",
           "oracle cheat = \\<open>I\\<close>",
           "declare [[quick_and_dirty]]",
           "declare [[smt_oracle = true]]",
           "axiomatization where ax: \"False\"",
           "export_code f in SML",
           "code_printing constant f \\<rightharpoonup> (SML) \"OS.Process.exit\"",
           "generate_file \"x.hs\" = \\<open>\\<close>",
           "external_file \"/etc/passwd\"",
           "lemma l: \"True\" by (tactic \\<open>all_tac\\<close>)",
           "text \\<open>@{ML \"1\"}\\<close>",
           "theory Other imports Main begin",
           "parse_translation \\<open>[]\\<close>",
           "lemma l: \"P\" using [[skip_proof]] by simp",
           // The statement would be proved inside the locale, from "False".
           "locale bad = assumes f: \"False\"\nbegin",
           "context begin\nend\nend",
       }) {
    EXPECT_TRUE(absl::IsInvalidArgument(CheckIsabelleContext(bad))) << bad;
  }
}

TEST(IsabelleTheoremRules, ValidatesEveryField) {
  Theorem t;
  t.prover = "isabelle";
  t.imports = {"Complex_Main", "HOL-Number_Theory.Number_Theory"};
  t.statement = "theorem t: \"(1::nat) + 1 = 2\"";
  t.options.Set(kSessionOption, "HOL");
  t.allowed_axioms = {"Pure.skip_proof"};
  EXPECT_TRUE(ValidateIsabelleTheorem(t).ok()) << ValidateIsabelleTheorem(t);
  Theorem bad = t;
  bad.imports.push_back("../Evil");
  absl::Status s = ValidateIsabelleTheorem(bad);
  EXPECT_TRUE(absl::IsInvalidArgument(s));
  EXPECT_TRUE(absl::StartsWith(s.message(), "imports")) << s;
  bad = t;
  bad.statement = "theorem t: \"False\" sorry";
  EXPECT_TRUE(absl::StartsWith(ValidateIsabelleTheorem(bad).message(), "statement")) << bad.statement;
  bad = t;
  bad.context = "ML \\<open>1\\<close>";
  EXPECT_TRUE(absl::StartsWith(ValidateIsabelleTheorem(bad).message(), "context"));
  bad = t;
  bad.options.Set(kSessionOption, "HOL; rm -rf");
  EXPECT_TRUE(absl::StartsWith(ValidateIsabelleTheorem(bad).message(), "session"));
  bad = t;
  bad.allowed_axioms = {"a b"};
  EXPECT_TRUE(absl::StartsWith(ValidateIsabelleTheorem(bad).message(), "allowed_axioms"));
  bad = t;
  bad.statement = std::string(100, 'x') + " ML";
  s = ValidateIsabelleTheorem(bad);
  EXPECT_TRUE(absl::IsInvalidArgument(s));
  EXPECT_LT(s.message().size(), 300u) << s;
}

TEST(IsabelleProofText, RoundTripsProofTextAndReadsPastedProofs) {
  const std::vector<std::string> steps = {
      "proof -", "have h: \"a = 8\" using assms by (smt (verit) h0)",
      "then show ?thesis by simp", "qed"};
  std::string text;
  for (size_t i = 0; i < steps.size(); ++i) text += (i ? "\n" : "") + steps[i];
  absl::StatusOr<std::vector<std::string>> back = ParseIsabelleProofText(text);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, steps);

  // Pasted: indentation, blank lines, CRLF, a term string over two lines and
  // a continuation line that is no command.
  absl::StatusOr<std::vector<std::string>> pasted = ParseIsabelleProofText(
      "  proof -\r\n\r\n    have \"a =\n      8\"\n      using h0\n    by (simp\n      add: h0)\n"
      "  then show ?thesis .\nqed\n");
  ASSERT_TRUE(pasted.ok()) << pasted.status();
  ASSERT_EQ(pasted->size(), 6u);
  EXPECT_EQ((*pasted)[1], "have \"a =\n      8\"");
  EXPECT_EQ((*pasted)[2], "using h0");
  EXPECT_EQ((*pasted)[3], "by (simp\n      add: h0)");
  EXPECT_EQ((*pasted)[4], "then show ?thesis .");

  EXPECT_TRUE(absl::IsPermissionDenied(ParseIsabelleProofText("proof -\n  sorry\nqed").status()));
  EXPECT_TRUE(absl::IsPermissionDenied(ParseIsabelleProofText("by simp\nlemma x: \"False\"").status()));
  EXPECT_TRUE(absl::IsPermissionDenied(
      ParseIsabelleProofText("have \"x\"\n  (* hidden *) \\<proof>").status()));
  EXPECT_TRUE(absl::IsInvalidArgument(ParseIsabelleProofText(" \n\n").status()));
}

TEST(IsabelleLexer, TokensAndExcerpt) {
  absl::StatusOr<std::vector<Token>> t =
      LexIsabelle("have h\\<^sub>1: \"a (* b *)\" (* c (* d *) *) by (simp add: foo.bar)");
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_GE(t->size(), 5u);
  EXPECT_EQ((*t)[1].text, "h\\<^sub>1");
  EXPECT_EQ((*t)[3].kind, TokenKind::kString);
  EXPECT_EQ((*t)[4].kind, TokenKind::kComment);
  EXPECT_EQ(Excerpt(std::string(100, 'y'), 10), "yyyyyyyyyy...");
  t = LexIsabelle("1ML \\<alpha>x \\<and>y 'a _z");
  ASSERT_TRUE(t.ok()) << t.status();
  std::vector<std::string> texts;
  for (const Token& tok : *t) texts.push_back(tok.text);
  EXPECT_EQ(texts, (std::vector<std::string>{"1", "ML", "\\<alpha>x", "\\<and>", "y", "'a", "_", "z"}));
}

}  // namespace
}  // namespace thor::isabelle
