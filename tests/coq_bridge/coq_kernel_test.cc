// The parsers and the file builder of coq_kernel.h, on outputs captured from
// coqc / coqchk 8.16.1 (Debian 12); RunKernelCheck with a fake Env (scripted
// coqc, simulated clock). No process is started.
#include "coq_bridge/coq_kernel.h"

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/fake_env.h"

namespace thor::coq {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::IsSupersetOf;
using ::testing::Not;

TEST(ParsePrintAssumptionsTest, Closed) {
  auto r = ParsePrintAssumptions("Closed under the global context\n");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->closed);
  EXPECT_TRUE(r->assumptions.empty());
}

TEST(ParsePrintAssumptionsTest, EveryKindCoqPrints) {
  // Captured: an axiom, a parameter, an unguarded fixpoint, a bypassed
  // positivity check, type-in-type and a library axiom (printed short).
  auto r = ParsePrintAssumptions(
      "Axioms:\n"
      "ax : False\n"
      "p : nat\n"
      "loop is assumed to be guarded.\n"
      "bad is assumed to be positive.\n"
      "UU relies on an unsafe hierarchy.\n"
      "Classical_Prop.classic : forall P : Prop, P \\/ ~ P\n");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->closed);
  ASSERT_EQ(r->assumptions.size(), 6u);
  using K = Assumption::Kind;
  EXPECT_EQ(r->assumptions[0].name, "ax");
  EXPECT_EQ(r->assumptions[0].kind, K::kAxiom);
  EXPECT_EQ(r->assumptions[1].kind, K::kAxiom);
  EXPECT_EQ(r->assumptions[2].name, "loop");
  EXPECT_EQ(r->assumptions[2].kind, K::kUnguarded);
  EXPECT_EQ(r->assumptions[3].kind, K::kPositivity);
  EXPECT_EQ(r->assumptions[4].kind, K::kTypeInType);
  EXPECT_EQ(r->assumptions[5].name, "Classical_Prop.classic");
  EXPECT_EQ(r->assumptions[5].kind, K::kAxiom);
}

TEST(ParsePrintAssumptionsTest, SectionVariablesAndContinuations) {
  // Captured: a section variable's type goes on its own line starting ':'.
  auto r = ParsePrintAssumptions(
      "Section Variables:\nA\n: Type\nAxioms:\nlong : forall a b : nat,\n  a = b\n");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->assumptions.size(), 2u);
  EXPECT_EQ(r->assumptions[0].name, "A");
  EXPECT_EQ(r->assumptions[0].kind, Assumption::Kind::kSectionVariable);
  EXPECT_EQ(r->assumptions[1].name, "long");
  EXPECT_EQ(r->assumptions[1].text, "long : forall a b : nat, a = b");
}

TEST(ParsePrintAssumptionsTest, RefusesAnythingElse) {
  // A forged "Closed" next to a real report, unknown headings, stray text.
  EXPECT_FALSE(ParsePrintAssumptions(
                   "Closed under the global context\nAxioms:\nax : False\n").ok());
  EXPECT_FALSE(ParsePrintAssumptions("Opaque constants:\nfoo : nat\n").ok());
  EXPECT_FALSE(ParsePrintAssumptions("").ok());
  EXPECT_FALSE(ParsePrintAssumptions("Axioms:\n").ok());
  EXPECT_FALSE(ParsePrintAssumptions("  : indented first\n").ok());
}

TEST(ParsePrintAssumptionsTest, ClosedAfterHeadingIsJustAnEntry) {
  // "Closed ..." printed inside an Axioms block (by a notation, say) is an
  // entry, never a clean report.
  auto r = ParsePrintAssumptions("Axioms:\nax : False\nClosed under the global context\n");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->closed);
  EXPECT_EQ(r->assumptions.size(), 2u);
}

constexpr char kCoqchkDirty[] = R"(
CONTEXT SUMMARY
===============

* Theory: Set is predicative
  
* Axioms:
    Coq.ssr.ssrunder.Under_rel.Over_rel
    Top.Top.ax
    Coq.Logic.Classical_Prop.classic
  
* Constants/Inductives relying on type-in-type:
    Top.Top.UU
    Top.Top.U
  
* Constants/Inductives relying on unsafe (co)fixpoints:
    Top.Top.loop
  
* Inductives whose positivity is assumed:
    Top.Top.bad
  
)";

constexpr char kCoqchkClean[] = R"(
CONTEXT SUMMARY
===============

* Theory: Set is predicative
  
* Axioms: <none>
  
* Constants/Inductives relying on type-in-type: <none>
  
* Constants/Inductives relying on unsafe (co)fixpoints: <none>
  
* Inductives whose positivity is assumed: <none>
  
)";

TEST(ParseCoqchkSummaryTest, Clean) {
  auto s = ParseCoqchkSummary(kCoqchkClean);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_TRUE(s->set_predicative);
  EXPECT_TRUE(s->axioms.empty());
  EXPECT_TRUE(s->type_in_type.empty());
  EXPECT_TRUE(s->unsafe_fixpoints.empty());
  EXPECT_TRUE(s->assumed_positive.empty());
}

TEST(ParseCoqchkSummaryTest, Dirty) {
  auto s = ParseCoqchkSummary(kCoqchkDirty);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_THAT(s->axioms, ElementsAre("Coq.ssr.ssrunder.Under_rel.Over_rel", "Top.Top.ax",
                                     "Coq.Logic.Classical_Prop.classic"));
  EXPECT_THAT(s->type_in_type, ElementsAre("Top.Top.UU", "Top.Top.U"));
  EXPECT_THAT(s->unsafe_fixpoints, ElementsAre("Top.Top.loop"));
  EXPECT_THAT(s->assumed_positive, ElementsAre("Top.Top.bad"));
}

TEST(ParseCoqchkSummaryTest, RefusesTruncatedOrUnknown) {
  EXPECT_FALSE(ParseCoqchkSummary("").ok());
  std::string truncated = kCoqchkClean;
  truncated = truncated.substr(0, truncated.find("* Inductives"));
  EXPECT_FALSE(ParseCoqchkSummary(truncated).ok());
  std::string unknown = std::string(kCoqchkClean) + "* Something new: <none>\n";
  EXPECT_FALSE(ParseCoqchkSummary(unknown).ok());
  std::string impredicative = kCoqchkClean;
  impredicative.replace(impredicative.find("predicative"), 11, "impredicative");
  auto s = ParseCoqchkSummary(impredicative);
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s->set_predicative);
}

TEST(CoqchkObjectionsTest, UnusedAxiomsIgnoredUnsafeInFileNot) {
  auto summary = ParseCoqchkSummary(kCoqchkDirty);
  ASSERT_TRUE(summary.ok());
  AssumptionsReport closed;
  closed.closed = true;
  // Unused axioms (ax, classic, the ssrunder fields) do not count; the
  // file's own unsafe entries do.
  EXPECT_THAT(CoqchkObjections(*summary, closed, {}, ""),
              ElementsAre("Top.Top.UU", "Top.Top.U", "Top.Top.loop", "Top.Top.bad"));
  auto clean = ParseCoqchkSummary(kCoqchkClean);
  EXPECT_TRUE(CoqchkObjections(*clean, closed, {}, "").empty());
  // An axiom the report names counts unless allowed.
  CoqchkSummary axioms;
  axioms.set_predicative = true;
  axioms.axioms = {"Top.Top.ax", "Coq.Logic.Classical_Prop.classic"};
  AssumptionsReport uses;
  uses.assumptions = {{Assumption::Kind::kAxiom, "classic", "classic : ..."}};
  EXPECT_TRUE(CoqchkObjections(axioms, uses, {"Coq.Logic.Classical_Prop.classic"}, "").empty());
  EXPECT_THAT(CoqchkObjections(axioms, uses, {}, ""),
              ElementsAre("Coq.Logic.Classical_Prop.classic"));
  // A field of a functor parameter the check declared (with this check's
  // nonce) is a hypothesis; the same name under another nonce is not.
  axioms.axioms = {"Top.Top.M.thor_param_ab12_0.lt_irrefl"};
  uses.assumptions = {{Assumption::Kind::kAxiom, "M.thor_param_ab12_0.lt_irrefl", "..."}};
  EXPECT_TRUE(CoqchkObjections(axioms, uses, {}, "ab12").empty());
  EXPECT_THAT(CoqchkObjections(axioms, uses, {}, "cd34"),
              ElementsAre("Top.Top.M.thor_param_ab12_0.lt_irrefl"));
  EXPECT_THAT(CoqchkObjections(axioms, uses, {}, "ab12", "thor_param_ab12_0", {"lt_irrefl"}),
              ElementsAre("Top.Top.M.thor_param_ab12_0.lt_irrefl"));
}

TEST(KernelParameterFieldTest, OnlyFieldsOfThisChecksDeclaredModules) {
  EXPECT_EQ(KernelParameterModulePrefix("ab12"), "thor_param_ab12_");
  EXPECT_TRUE(IsKernelParameterField("thor_param_ab12_0.t", "ab12"));
  EXPECT_TRUE(IsKernelParameterField("M.N.thor_param_ab12_13.lt_irrefl", "ab12"));
  EXPECT_TRUE(IsKernelParameterField("Top.Top.thor_param_ab12_1.Sub.x", "ab12"));
  EXPECT_FALSE(IsKernelParameterField("thor_param_ab12_0", "ab12"));   // The module itself.
  EXPECT_FALSE(IsKernelParameterField("thor_param_ab12_.t", "ab12"));  // No index.
  EXPECT_FALSE(IsKernelParameterField("thor_param_ab12_0x.t", "ab12"));
  EXPECT_FALSE(IsKernelParameterField("thor_param_cd34_0.t", "ab12"));  // Another nonce.
  EXPECT_FALSE(IsKernelParameterField("thor_inst_ab12.cheat", "ab12"));
  EXPECT_FALSE(IsKernelParameterField("X.thor_param_ab12_0", "ab12"));
  EXPECT_FALSE(IsKernelParameterField("thor_param__0.t", ""));
  // A field of the module type's own declared module that its text defined
  // (an Admitted lemma is an axiom) is not one; the same name of another
  // declared module (a parameter's) is.
  const std::vector<std::string> defined = {"cheat"};
  EXPECT_FALSE(IsKernelParameterField("thor_param_ab12_1.cheat", "ab12", "thor_param_ab12_1",
                                      defined));
  EXPECT_FALSE(IsKernelParameterField("M.thor_param_ab12_1.N.cheat", "ab12",
                                      "thor_param_ab12_1", defined));
  EXPECT_TRUE(IsKernelParameterField("thor_param_ab12_1.t", "ab12", "thor_param_ab12_1",
                                     defined));
  EXPECT_TRUE(IsKernelParameterField("thor_param_ab12_0.cheat", "ab12", "thor_param_ab12_1",
                                     defined));
}

TEST(PrintedConstantNameTest, CapturedLocateOutputs) {
  EXPECT_EQ(PrintedConstantName("Constant Coq.Logic.Classical_Prop.classic\n"
                                "  (shorter name to refer to it in current context is "
                                "Classical_Prop.classic)\n",
                                "Coq.Logic.Classical_Prop.classic"),
            "Classical_Prop.classic");
  EXPECT_EQ(PrintedConstantName("Constant Top.L.M.y (shorter name to refer to it in current "
                                "context is M.y)",
                                "Top.L.M.y"),
            "M.y");
  EXPECT_EQ(PrintedConstantName("Constant Coq.X.y\n", "Coq.X.y"), "Coq.X.y");
  EXPECT_EQ(PrintedConstantName("No term of suffix Coq.Logic.Nope.x\n", "Coq.Logic.Nope.x"), "");
  // Another object whose path ends the same way is not the one asked for.
  EXPECT_EQ(PrintedConstantName("Constant Top.Top.Coq.X.y (shorter name to refer to it in "
                                "current context is y)",
                                "Coq.X.y"),
            "");
  EXPECT_EQ(PrintedConstantName("Constructor Coq.Init.Logic.I\n", "Coq.Init.Logic.I"), "");
}

TEST(SplitStatementSentenceTest, Forms) {
  auto a = SplitStatementSentence("Lemma foo {A : Type} (l : list A) : l = l.");
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->keyword, "Lemma");
  EXPECT_EQ(a->name, "foo");
  EXPECT_EQ(a->binders, "{A : Type} (l : list A)");
  EXPECT_EQ(a->type, "l = l");
  auto b = SplitStatementSentence("Theorem t : forall n : nat, n = n.");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->binders, "");
  EXPECT_EQ(b->type, "forall n : nat, n = n");
  auto g = SplitStatementSentence("Goal 1 = 1.");
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->name, "");
  EXPECT_EQ(g->type, "1 = 1");
  auto c = SplitStatementSentence("Lemma x (* a : b *) (n : nat) : \"::\" = \"::\".");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->type, "\"::\" = \"::\"");
  EXPECT_FALSE(SplitStatementSentence("Lemma x.").ok());
  EXPECT_FALSE(SplitStatementSentence("Lemma : T.").ok());
}

TEST(CommentsAndStringsClosedTest, Cases) {
  EXPECT_TRUE(CommentsAndStringsClosed("exact I. (* (* nested *) *) \"s\"\"q\""));
  EXPECT_FALSE(CommentsAndStringsClosed("exact I. (*"));
  EXPECT_FALSE(CommentsAndStringsClosed("idtac \"open"));
  // Coq lexes strings inside comments: the "*)" in the string closes nothing.
  EXPECT_TRUE(CommentsAndStringsClosed("(* \"*) \" *)x"));
  EXPECT_FALSE(CommentsAndStringsClosed("(* \" *)"));
}

TEST(NonceTest, FreshHex) {
  std::string a = NewNonce(), b = NewNonce();
  EXPECT_EQ(a.size(), 16u);
  EXPECT_NE(a, b);
  for (char c : a) EXPECT_TRUE(isxdigit(c) && !isupper(c)) << a;
}

// Each piece occurs in `text`, each at or after the one before.
template <size_t N>
void ExpectInOrder(const std::string& text, const char* const (&pieces)[N]) {
  size_t at = 0;
  for (const char* piece : pieces) {
    const size_t found = text.find(piece, at);
    ASSERT_NE(found, std::string::npos) << piece << "\n" << text;
    at = found;
  }
}

KernelCheckInput Input() {
  KernelCheckInput in;
  in.statement = "Theorem t : True.";
  in.steps = {"exact I."};
  return in;
}

TEST(BuildKernelCheckFileTest, Layout) {
  KernelCheckInput in = Input();
  in.context = "Module M.\nSection S.\nVariable A : Type.\n";
  in.allowed_axioms = {"Coq.Logic.Classical_Prop.classic"};
  auto f = BuildKernelCheckFile(in, "0123abcd0123abcd");
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->check_lemma, "Top.Top.M.thor_check_0123abcd0123abcd");
  const std::string& t = f->text;
  const char* in_order[] = {
      "Definition thor_stmt_0123abcd0123abcd : Type := (True).",
      "Theorem t : True.",
      "Proof.",
      "exact I.",
      "Qed.",
      "Lemma thor_check_0123abcd0123abcd : thor_stmt_0123abcd0123abcd.",
      "exact (@t).",
      "End S.",
      "End M.",
      "Locate thor_begin_0123abcd0123abcd.",
      "Locate Term Coq.Logic.Classical_Prop.classic.",
      "Locate thor_report_0123abcd0123abcd.",
      "Print Assumptions Top.Top.M.thor_check_0123abcd0123abcd.",
      "Locate thor_end_0123abcd0123abcd.",
  };
  ExpectInOrder(t, in_order);
}

TEST(BuildKernelCheckFileTest, TheoremInsideAFunctorIsCheckedInItsInstance) {
  KernelCheckInput in = Input();
  in.context =
      "Module M.\nModule Import F (Import X Y : Sig) (Z : Other.Sig2) <: Sig3.\nModule N.\n"
      "Section S.\n";
  auto f = BuildKernelCheckFile(in, "n7");
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->check_lemma, "Top.Top.M.thor_inst_n7.N.thor_check_n7");
  const char* in_order[] = {
      "Module Import F (Import X Y : Sig) (Z : Other.Sig2)",  // The signature dropped.
      "Lemma thor_check_n7 : thor_stmt_n7.",
      "End S.",
      "End N.",
      "End F.",
      "Declare Module thor_param_n7_0 : Sig.",
      "Declare Module thor_param_n7_1 : Sig.",
      "Declare Module thor_param_n7_2 : Other.Sig2.",
      "Module thor_inst_n7 := F thor_param_n7_0 thor_param_n7_1 thor_param_n7_2.",
      "End M.",
      "Print Assumptions Top.Top.M.thor_inst_n7.N.thor_check_n7.",
  };
  ExpectInOrder(f->text, in_order);
  EXPECT_EQ(f->text.find("<: Sig3"), std::string::npos) << f->text;
}

TEST(BuildKernelCheckFileTest, TheoremInsideAModuleTypeIsCheckedInADeclaredModuleOfIt) {
  KernelCheckInput in = Input();
  in.context = "Definition outside := 0.\nModule Type Closed.\nLemma in_closed : True.\n"
               "Admitted.\nEnd Closed.\nModule M.\n"
               "Module Type CompareFacts (Import O : DecStrOrder') <: Sig.\n"
               "Lemma helper : True. Admitted.\nModule N.\nSection S.\n";
  auto f = BuildKernelCheckFile(in, "n7");
  ASSERT_TRUE(f.ok()) << f.status();
  // The module type's instance is the declared module after its parameters.
  EXPECT_EQ(f->check_lemma, "Top.Top.M.thor_param_n7_1.N.thor_check_n7");
  const char* in_order[] = {
      "Module Type CompareFacts (Import O : DecStrOrder')",
      "Lemma thor_check_n7 : thor_stmt_n7.",
      "End S.",
      "End N.",
      "End CompareFacts.",
      "Declare Module thor_param_n7_0 : DecStrOrder'.",
      "Declare Module thor_param_n7_1 : CompareFacts thor_param_n7_0.",
      "End M.",
      "Print Assumptions Top.Top.M.thor_param_n7_1.N.thor_check_n7.",
  };
  ExpectInOrder(f->text, in_order);
  // What had a proof in the text, or is the check's own, is never a field
  // the check may count as a parameter.
  // Only the open module type's own text counts: a name defined elsewhere
  // (another module type's lemma, a functor's `Definition t := X.t`) may be
  // a declared field.
  EXPECT_EQ(f->type_instance, "thor_param_n7_1");
  EXPECT_THAT(f->defined, IsSupersetOf({"helper", "t", "thor_stmt_n7", "thor_check_n7"}));
  EXPECT_THAT(f->defined, Not(Contains("outside")));
  EXPECT_THAT(f->defined, Not(Contains("in_closed")));
  EXPECT_FALSE(IsKernelParameterField("M.thor_param_n7_1.helper", "n7", f->type_instance,
                                      f->defined));
  EXPECT_TRUE(IsKernelParameterField("M.thor_param_n7_1.compare_spec", "n7", f->type_instance,
                                     f->defined));
  EXPECT_TRUE(IsKernelParameterField("M.thor_param_n7_0.helper", "n7", f->type_instance,
                                     f->defined));
  // Without parameters: the module type alone.
  in.context = "Module Type T.\n";
  f = BuildKernelCheckFile(in, "n8");
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->check_lemma, "Top.Top.thor_param_n8_0.thor_check_n8");
  EXPECT_THAT(f->text, HasSubstr("End T.\nDeclare Module thor_param_n8_0 : T.\n"));
}

TEST(BuildKernelCheckFileTest, AParameterTypedByAnEarlierOneNamesItsDeclaredModule) {
  KernelCheckInput in = Input();
  in.context = "Module F (E : Eq) (Import F : HasEqDec E) (G : Two E.Sub F) (H : Eq').\n";
  auto f = BuildKernelCheckFile(in, "n3");
  ASSERT_TRUE(f.ok()) << f.status();
  ExpectInOrder(f->text, {"End F.",
                          "Declare Module thor_param_n3_0 : Eq.",
                          "Declare Module thor_param_n3_1 : HasEqDec thor_param_n3_0.",
                          "Declare Module thor_param_n3_2 : Two thor_param_n3_0.Sub thor_param_n3_1.",
                          "Declare Module thor_param_n3_3 : Eq'.",
                          "Module thor_inst_n3 := F thor_param_n3_0 thor_param_n3_1 thor_param_n3_2 "
                          "thor_param_n3_3."});
}

TEST(DefinedNamesTest, WhatTheTextGivesABodyOrAProof) {
  EXPECT_THAT(
      DefinedNames("Parameter p : nat.\nAxiom ax : p = p.\nLemma l1 : True. Admitted.\n"
                   "#[local] Program Definition d (n : nat) := n.\n"
                   "Local Instance i : Foo. Proof. Admitted.\n"
                   "(* Lemma in_comment : False. *)\nFixpoint f n := 0 with g n := 1.\n"
                   "Theorem t' : forall n, n = n.\nProof. intros. exact eq_refl. Qed.\n"
                   "Conjecture c : False.\nHypothesis h : False.\n"),
      ElementsAre("l1", "d", "i", "f", "g", "t'"));
  EXPECT_THAT(DefinedNames(""), IsEmpty());
}

TEST(BuildKernelCheckFileTest, BindersAndGoal) {
  KernelCheckInput in = Input();
  in.statement = "Lemma foo {A : Type} (l : list A) : l = l.";
  auto f = BuildKernelCheckFile(in, "n1");
  ASSERT_TRUE(f.ok());
  EXPECT_THAT(f->text, HasSubstr(":= (forall {A : Type} (l : list A), l = l)."));
  EXPECT_THAT(f->text, HasSubstr("exact (@foo)."));
  in.statement = "Goal 1 = 1.";
  f = BuildKernelCheckFile(in, "n2");
  ASSERT_TRUE(f.ok());
  EXPECT_THAT(f->text, HasSubstr("Theorem thor_goal_n2 : 1 = 1."));
  EXPECT_THAT(f->text, HasSubstr("exact (@thor_goal_n2)."));
}

TEST(BuildKernelCheckFileTest, Refusals) {
  KernelCheckInput in = Input();
  in.steps = {"exact I. (*"};
  EXPECT_FALSE(BuildKernelCheckFile(in, "n").ok());
  in = Input();
  in.context = "Definition x := \"open.";
  EXPECT_FALSE(BuildKernelCheckFile(in, "n").ok());
  in = Input();
  in.statement = "Theorem t : True. Axiom a : False.";
  EXPECT_FALSE(BuildKernelCheckFile(in, "n").ok());
  in = Input();
  in.allowed_axioms = {"Coq.Logic.X.y. Axiom z : False"};
  EXPECT_FALSE(BuildKernelCheckFile(in, "n").ok());
  in = Input();
  // Functors and module types the check cannot instantiate: nested, a
  // parameter typed by an earlier one, a bracketed module type.
  for (const char* context :
       {"Module F (X : Sig).\nModule G (Y : Sig).\n",
        "Module F (X : (Sig)).\n", "Module F (X).\n", "Module F (X : Sig) junk.\n",
        "Module F (X : Sig).\nModule Type T.\n", "Module Type T.\nModule F (X : Sig).\n",
        "Module Type T (X : (Sig)).\n"}) {
    in.context = context;
    EXPECT_EQ(BuildKernelCheckFile(in, "n").status().code(), absl::StatusCode::kFailedPrecondition)
        << context;
  }
  EXPECT_TRUE(IsQualifiedName("Coq.Logic.Classical_Prop.classic"));
  EXPECT_FALSE(IsQualifiedName("a..b"));
  EXPECT_FALSE(IsQualifiedName("a b"));
}

KernelCheckOptions FakeOptions(thor::testing::FakeEnv* env) {
  KernelCheckOptions options;
  options.sandbox = SandboxMode::kOff;  // argv[0] is coqc, as scripted.
  options.env = env;
  return options;
}

TEST(RunKernelCheckTest, CoqcThatOutlivesTheBudgetFailsAtTheBudgetOfSimulatedTime) {
  thor::testing::FakeEnv env;
  env.Script({"coqc", absl::Hours(2), RunResult()});
  RecheckResult r = RunKernelCheck(FakeOptions(&env), Input(), absl::Seconds(60));
  EXPECT_EQ(r.verdict, RecheckVerdict::kFailed) << r.message;
  EXPECT_THAT(r.message, HasSubstr("coqc did not finish within 1m"));
  EXPECT_EQ(r.elapsed, absl::Seconds(60));  // The Env's clock, not the wall's.
  ASSERT_EQ(env.runs().size(), 1u);  // coqchk never ran.
  EXPECT_EQ(env.runs()[0][0], "coqc");
  EXPECT_TRUE(r.checkers.empty());
}

TEST(RunKernelCheckTest, CoqcRejectionFailsWithItsOutput) {
  thor::testing::FakeEnv env;
  RunResult rejected;
  rejected.exit_code = 1;
  rejected.err = "Error: The reference I was not found.";
  env.Script({"coqc", absl::Seconds(3), rejected});
  RecheckResult r = RunKernelCheck(FakeOptions(&env), Input(), absl::Seconds(60));
  EXPECT_EQ(r.verdict, RecheckVerdict::kFailed);
  EXPECT_THAT(r.message, HasSubstr("coqc rejected the proof:"));
  EXPECT_THAT(r.message, HasSubstr("The reference I was not found."));
  EXPECT_EQ(r.elapsed, absl::Seconds(3));
}

}  // namespace
}  // namespace thor::coq
