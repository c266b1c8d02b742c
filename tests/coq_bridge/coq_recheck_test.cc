// CoqBackend::Recheck / RunKernelCheck against the real coqc and coqchk:
// the kernel decides. Each refusal below is one the old "coqc exit 0" check
// accepted. Cases that the step filter would stop first call RunKernelCheck
// directly, so what is tested is the kernel check, not the filter.
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/sandbox.h"
#include "common/subprocess.h"
#include "coq_bridge/coq_backend.h"
#include "coq_bridge/coq_kernel.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/processes.h"

namespace thor::coq {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const absl::Duration kTimeout = absl::Seconds(120);

class CoqRecheckTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_TRUE(CheckProgramAvailable("coqc", "apt-get install coq libcoq-hammer").ok())
        << "coqc is missing: apt-get install coq libcoq-hammer (scripts/bootstrap)";
    ASSERT_TRUE(CheckProgramAvailable("coqchk", "apt-get install coq").ok())
        << "coqchk is missing: apt-get install coq (scripts/bootstrap)";
  }

  static Theorem Thm(const std::string& context, const std::string& statement) {
    Theorem t;
    t.prover = "coq";
    t.name = "t";
    t.context = context;
    t.statement = statement;
    return t;
  }

  RecheckResult Recheck(const Theorem& t, const std::vector<std::string>& steps) {
    CoqBackend backend(config_);
    RecheckResult r = backend.Recheck(t, steps, kTimeout);
    EXPECT_NE(r.verdict, RecheckVerdict::kError) << r.message;
    return r;
  }

  // Below the step filter: the steps go into the file as they are.
  RecheckResult Kernel(const std::string& context, const std::string& statement,
                       const std::vector<std::string>& steps) {
    KernelCheckInput in;
    in.context = context;
    in.statement = statement;
    in.steps = steps;
    in.hammer_import = config_.hammer_import;
    KernelCheckOptions options;
    RecheckResult r = RunKernelCheck(options, in, kTimeout);
    EXPECT_NE(r.verdict, RecheckVerdict::kError) << r.message;
    return r;
  }

  static void ExpectRefused(const RecheckResult& r, const std::string& why) {
    EXPECT_EQ(r.verdict, RecheckVerdict::kFailed) << r.message;
    EXPECT_THAT(r.message, HasSubstr(why));
    EXPECT_THAT(r.checkers, IsEmpty());
  }

  CoqConfig config_;
};

TEST_F(CoqRecheckTest, CleanProofPassesAllThreeCheckers) {
  RecheckResult r = Recheck(Thm("", "Lemma add_0_r' (n : nat) : n + 0 = n."),
                            {"induction n.", "reflexivity.", "simpl; rewrite IHn; reflexivity."});
  EXPECT_EQ(r.verdict, RecheckVerdict::kPassed) << r.message;
  EXPECT_THAT(r.checkers, ElementsAre("coqc", "print_assumptions", "coqchk"));
  EXPECT_THAT(r.axioms, IsEmpty());
}

TEST_F(CoqRecheckTest, ContextAxiomUsedIsRefused) {
  RecheckResult r = Recheck(Thm("Axiom ax : False.", "Theorem t : False."), {"exact ax."});
  ExpectRefused(r, "assumptions that are not allowed: ax (axiom)");
  EXPECT_THAT(r.axioms, ElementsAre("ax"));
}

TEST_F(CoqRecheckTest, UnusedContextAxiomDoesNotCount) {
  // coqchk lists ax (library-wide); Print Assumptions says t does not use it.
  RecheckResult r = Recheck(Thm("Axiom ax : False.", "Theorem t : True."), {"exact I."});
  EXPECT_EQ(r.verdict, RecheckVerdict::kPassed) << r.message;
  EXPECT_THAT(r.axioms, IsEmpty());
}

TEST_F(CoqRecheckTest, ContextParameterUsedIsRefused) {
  RecheckResult r = Recheck(Thm("Parameter p : 0 = 1.", "Theorem t : 0 = 1."), {"exact p."});
  ExpectRefused(r, "p (axiom)");
  EXPECT_THAT(r.axioms, ElementsAre("p"));
}

TEST_F(CoqRecheckTest, UnguardedFixpointIsRefused) {
  RecheckResult r = Recheck(Thm("Unset Guard Checking.\n"
                                "Fixpoint loop (n : nat) : False := loop n.\n"
                                "Set Guard Checking.",
                                "Theorem t : False."),
                            {"exact (loop 0)."});
  ExpectRefused(r, "loop (fixpoint assumed guarded)");
}

TEST_F(CoqRecheckTest, BypassedPositivityIsRefused) {
  RecheckResult r = Recheck(
      Thm("#[bypass_check(positivity)] Inductive bad := C : (bad -> False) -> bad.\n"
          "Definition unbad (b : bad) : bad -> False := match b with C f => f end.\n"
          "Definition omega : bad := C (fun b => unbad b b).",
          "Theorem t : False."),
      {"exact (unbad omega omega)."});
  ExpectRefused(r, "bad (inductive assumed positive)");
}

TEST_F(CoqRecheckTest, TypeInTypeIsRefused) {
  RecheckResult r = Recheck(Thm("Unset Universe Checking.\n"
                                "Definition U := Type.\n"
                                "Definition UU : U := U.\n"
                                "Set Universe Checking.",
                                "Theorem t : UU = UU."),
                            {"reflexivity."});
  ExpectRefused(r, "relies on type-in-type");
}

TEST_F(CoqRecheckTest, AbortThenDifferentStatementIsRefused) {
  // The proof of False is abandoned and True proved under the same name.
  RecheckResult r = Kernel("", "Theorem thor_goal : False.",
                           {"Abort.", "Theorem thor_goal : True.", "exact I."});
  ExpectRefused(r, "coqc rejected the proof");
  EXPECT_THAT(r.message, HasSubstr("while it is expected to have type"));
}

TEST_F(CoqRecheckTest, AbortThenRedefinedStatementIsRefused) {
  // After Abort, False is redefined to mean True: the check lemma's
  // statement was elaborated before the steps ran, so it still says False.
  RecheckResult r = Kernel("", "Theorem thor_goal : False.",
                           {"Abort.", "Definition False := True.",
                            "Theorem thor_goal : False.", "exact I."});
  ExpectRefused(r, "coqc rejected the proof");
  EXPECT_THAT(r.message, HasSubstr("while it is expected to have type"));
}

TEST_F(CoqRecheckTest, AdmittedThenOtherProofIsRefused) {
  // Admitted leaves the theorem an axiom; a second proof lets Qed close.
  RecheckResult r = Kernel("", "Theorem thor_goal : False.",
                           {"Admitted.", "Lemma other : True.", "exact I."});
  ExpectRefused(r, "thor_goal (axiom)");
}

TEST_F(CoqRecheckTest, ForgedClosedReportIsRefused) {
  // The context and a step both print what a clean report looks like.
  RecheckResult r = Kernel(
      "Axiom ax : False.\nGoal True. idtac \"Closed under the global context\". Abort.",
      "Theorem t : False.", {"idtac \"Closed under the global context\".", "exact ax."});
  ExpectRefused(r, "ax (axiom)");
}

TEST_F(CoqRecheckTest, ForgedMarkerWithoutNonceIsRefused) {
  // Something that looks like a report marker, but without the nonce.
  RecheckResult r = Kernel("Axiom ax : False.", "Theorem t : False.",
                           {"exact ax.", "Abort.", "Locate thor_end_.", "Theorem t : False.",
                            "exact ax."});
  ExpectRefused(r, "ax (axiom)");
}

TEST_F(CoqRecheckTest, AllowedAxiomPassesAndIsListed) {
  Theorem t = Thm("Require Import Classical.", "Theorem em : forall P : Prop, P \\/ ~ P.");
  t.allowed_axioms = {"Coq.Logic.Classical_Prop.classic"};
  RecheckResult r = Recheck(t, {"intro P.", "apply classic."});
  EXPECT_EQ(r.verdict, RecheckVerdict::kPassed) << r.message;
  EXPECT_THAT(r.checkers, ElementsAre("coqc", "print_assumptions", "coqchk"));
  EXPECT_THAT(r.axioms, ElementsAre("Coq.Logic.Classical_Prop.classic"));
}

TEST_F(CoqRecheckTest, SameAxiomNotAllowedIsRefused) {
  Theorem t = Thm("Require Import Classical.", "Theorem em : forall P : Prop, P \\/ ~ P.");
  RecheckResult r = Recheck(t, {"intro P.", "apply classic."});
  ExpectRefused(r, "classic (axiom)");
  EXPECT_THAT(r.axioms, ElementsAre("classic"));
}

TEST_F(CoqRecheckTest, AxiomShadowingAnAllowedNameIsRefused) {
  // The context's own `classic` (any statement) hides the library's; the
  // allow-list names the library's.
  Theorem t = Thm("Require Import Classical.\nAxiom classic : forall P : Prop, P \\/ ~ P.",
                  "Theorem em : forall P : Prop, P \\/ ~ P.");
  t.allowed_axioms = {"Coq.Logic.Classical_Prop.classic"};
  RecheckResult r = Recheck(t, {"intro P.", "apply classic."});
  ExpectRefused(r, "classic (axiom)");
}

TEST_F(CoqRecheckTest, SectionVariableIsDischarged) {
  RecheckResult r = Recheck(Thm("Section S.\nVariable A : Type.", "Theorem id_A : A -> A."),
                            {"intro x.", "exact x."});
  EXPECT_EQ(r.verdict, RecheckVerdict::kPassed) << r.message;
  EXPECT_THAT(r.axioms, IsEmpty());
}

TEST_F(CoqRecheckTest, GlobalAxiomInsideSectionIsRefused) {
  RecheckResult r = Recheck(Thm("Section S.\nAxiom ax : False.", "Theorem t : False."),
                            {"exact ax."});
  ExpectRefused(r, "ax (axiom)");
}

TEST_F(CoqRecheckTest, TheoremInsideModulePassesAndModuleAxiomIsRefused) {
  RecheckResult ok = Recheck(Thm("Module M.\nModule N.", "Theorem t : True."), {"exact I."});
  EXPECT_EQ(ok.verdict, RecheckVerdict::kPassed) << ok.message;
  RecheckResult bad =
      Recheck(Thm("Module M.\nAxiom ax : False.", "Theorem t : False."), {"exact ax."});
  ExpectRefused(bad, "ax (axiom)");
}

// A module type with an axiom, for functors over it.
constexpr char kOrderSig[] =
    "Module Type Ord.\nParameter t : Type.\nParameter lt : t -> t -> Prop.\n"
    "Axiom lt_irrefl : forall x, ~ lt x x.\nEnd Ord.\n";

TEST_F(CoqRecheckTest, TheoremInsideFunctorRestsOnItsParametersOnly) {
  // Proved for every module of the parameter's type: the parameter's fields
  // are its hypotheses, as a section's variables are.
  const std::string context = absl::StrCat(
      kOrderSig, "Module M.\nModule F (Import X : Ord) (Y : Ord) <: Ord.\nDefinition t := X.t.\n"
                 "Module Inner.\nSection S.\nVariable y : Y.t.\n");
  RecheckResult ok = Recheck(Thm(context, "Lemma irr : forall x : X.t, ~ lt x x /\\ y = y."),
                             {"intro x.", "split.", "- apply lt_irrefl.", "- reflexivity."});
  EXPECT_EQ(ok.verdict, RecheckVerdict::kPassed) << ok.message;
  EXPECT_THAT(ok.checkers, ElementsAre("coqc", "print_assumptions", "coqchk"));
  EXPECT_THAT(ok.axioms, IsEmpty());
  // An axiom of the functor's body is no parameter.
  RecheckResult body = Recheck(
      Thm(absl::StrCat(kOrderSig, "Module F (X : Ord).\nAxiom cheat : False.\n"),
          "Theorem t : False."),
      {"exact cheat."});
  ExpectRefused(body, "cheat (axiom)");
  // Nor is one of a module inside it that masks the parameter's name.
  RecheckResult masked = Kernel(
      absl::StrCat(kOrderSig, "Module F (X : Ord).\nModule X.\nAxiom cheat : False.\nEnd X.\n"),
      "Theorem t : False.", {"exact X.cheat."});
  ExpectRefused(masked, "X.cheat (axiom)");
  // A context axiom before the functor stays an axiom.
  RecheckResult before = Recheck(
      Thm(absl::StrCat("Axiom ax : False.\n", kOrderSig, "Module F (X : Ord).\n"),
          "Theorem t : False."),
      {"exact ax."});
  ExpectRefused(before, "ax (axiom)");
  // A module type inside the functor is refused, with a reason.
  RecheckResult nested = Kernel(absl::StrCat(kOrderSig, "Module F (X : Ord).\nModule Type T.\n"),
                                "Theorem t : True.", {"exact I."});
  EXPECT_EQ(nested.verdict, RecheckVerdict::kFailed);
  EXPECT_THAT(nested.message, HasSubstr("inside module type 'T' inside functor 'F'"));
}

TEST_F(CoqRecheckTest, TheoremInsideModuleTypeRestsOnItsDeclaredFieldsOnly) {
  // Proved for every module of the type (applied to every module of its
  // parameter's type): the fields the type declares are its hypotheses.
  const std::string context = absl::StrCat(
      kOrderSig, "Module M.\nModule Type Facts (Import X : Ord).\nParameter le : t -> t -> Prop.\n"
                 "Axiom le_refl : forall x, le x x.\nDefinition twice x := le x x /\\ ~ lt x x.\n"
                 "Section S.\nVariable y : t.\n");
  RecheckResult ok = Recheck(Thm(context, "Lemma tw : twice y."),
                             {"split.", "- apply le_refl.", "- apply lt_irrefl."});
  EXPECT_EQ(ok.verdict, RecheckVerdict::kPassed) << ok.message;
  EXPECT_THAT(ok.checkers, ElementsAre("coqc", "print_assumptions", "coqchk"));
  EXPECT_THAT(ok.axioms, IsEmpty());
  // Both pass, from the module type's declared axiom: a module type whose
  // parameter's type names an earlier parameter; and one of whose declared
  // fields another module type of the context proves a lemma of the same name
  // (Structures/OrdersFacts.v: CompareFacts proves compare_lt_iff,
  // OrderedTypeFull' declares it), which stays a hypothesis.
  for (const char* type_text :
       {"Module Type HasLe (Import X : Ord).\nParameter le : t -> t -> Prop.\nEnd HasLe.\n"
        "Module Type LeFacts (X : Ord) (Import Y : HasLe X).\n"
        "Axiom le_refl : forall x, le x x.\n",
        "Module Type Other.\nLemma le_refl : True. Proof. exact I. Qed.\nEnd Other.\n"
        "Module Type LeFacts (Import X : Ord).\nParameter le : t -> t -> Prop.\n"
        "Axiom le_refl : forall x, le x x.\n"}) {
    RecheckResult r = Recheck(Thm(absl::StrCat(kOrderSig, type_text), "Lemma again : forall x, le x x."),
                              {"exact le_refl."});
    EXPECT_EQ(r.verdict, RecheckVerdict::kPassed) << type_text << r.message;
  }
  // A lemma of the module type that was Admitted is an axiom of the declared
  // module too, and stays refused.
  RecheckResult admitted = Recheck(
      Thm(absl::StrCat("Module Type T.\nLemma cheat : False. Admitted.\n"), "Theorem t : False."),
      {"exact cheat."});
  ExpectRefused(admitted, "cheat (axiom)");
  // A context axiom before the module type stays an axiom.
  RecheckResult before = Recheck(
      Thm("Axiom ax : False.\nModule Type T.\n", "Theorem t : False."), {"exact ax."});
  ExpectRefused(before, "ax (axiom)");
}

TEST_F(CoqRecheckTest, GoalAndImplicitBinders) {
  RecheckResult goal = Recheck(Thm("", "Goal 1 + 1 = 2."), {"reflexivity."});
  EXPECT_EQ(goal.verdict, RecheckVerdict::kPassed) << goal.message;
  RecheckResult binders =
      Recheck(Thm("", "Lemma refl_list {A : Type} (l : list A) : l = l."), {"reflexivity."});
  EXPECT_EQ(binders.verdict, RecheckVerdict::kPassed) << binders.message;
}

TEST_F(CoqRecheckTest, WrongProofFailsAtCoqc) {
  RecheckResult r = Recheck(Thm("", "Theorem t : 1 = 2."), {"reflexivity."});
  ExpectRefused(r, "coqc rejected the proof");
}

TEST_F(CoqRecheckTest, SandboxModes) {
  // Under bwrap (installed by scripts/bootstrap) a legitimate proof passes
  // and the message says so; with the sandbox off it says nothing of it.
  ASSERT_TRUE(SandboxAvailable()) << "bwrap is missing: apt-get install bubblewrap";
  config_.sandbox = SandboxMode::kBwrap;
  RecheckResult on = Recheck(Thm("", "Theorem t : True."), {"exact I."});
  EXPECT_EQ(on.verdict, RecheckVerdict::kPassed) << on.message;
  EXPECT_THAT(on.message, HasSubstr("sandbox"));
  config_.sandbox = SandboxMode::kOff;
  RecheckResult off = Recheck(Thm("", "Theorem t : True."), {"exact I."});
  EXPECT_EQ(off.verdict, RecheckVerdict::kPassed) << off.message;
  EXPECT_THAT(off.message, ::testing::Not(HasSubstr("sandbox")));
}

TEST_F(CoqRecheckTest, UnusedUnsafeFixpointInTheFileIsRefusedByCoqchk) {
  // Print Assumptions of the theorem is clean (it does not use loop), but
  // coqchk lists loop in the checked file: a context that switches a kernel
  // check off is refused.
  RecheckResult r = Recheck(Thm("Unset Guard Checking.\n"
                                "Fixpoint loop (n : nat) : False := loop n.\n"
                                "Set Guard Checking.",
                                "Theorem t : True."),
                            {"exact I."});
  ExpectRefused(r, "coqchk: the proof rests on assumptions that are not allowed: Top.Top.loop");
}

TEST_F(CoqRecheckTest, CoqcInTheSandboxCannotWriteToTheHost) {
  ASSERT_TRUE(SandboxAvailable()) << "bwrap is missing: apt-get install bubblewrap";
  // Below ValidateTheorem (which refuses Redirect): the sandbox is what
  // stops it. Into /tmp: the sandbox's private tmpfs, nothing on the host.
  const std::string probe = "/tmp/thor-redirect-probe-" + std::to_string(::getpid());
  std::filesystem::remove(probe + ".out");
  KernelCheckInput in;
  in.context = "Redirect \"" + probe + "\" Print nat.";
  in.statement = "Theorem t : True.";
  in.steps = {"exact I."};
  KernelCheckOptions options;
  options.sandbox = SandboxMode::kBwrap;
  RecheckResult r = RunKernelCheck(options, in, kTimeout);
  EXPECT_EQ(r.verdict, RecheckVerdict::kPassed) << r.message;
  EXPECT_FALSE(std::filesystem::exists(probe + ".out"));
  // Anywhere else: a read-only file system, coqc fails.
  const char* test_tmp = std::getenv("TEST_TMPDIR");  // Set by Bazel.
  const std::string parent = test_tmp != nullptr && !absl::StartsWith(test_tmp, "/tmp")
                                 ? std::string(test_tmp)
                                 : std::filesystem::current_path().string();
  ASSERT_FALSE(absl::StartsWith(parent, "/tmp")) << parent;
  const std::string outside = parent + "/thor-redirect-probe-" + std::to_string(::getpid());
  in.context = "Redirect \"" + outside + "\" Print nat.";
  r = RunKernelCheck(options, in, kTimeout);
  EXPECT_EQ(r.verdict, RecheckVerdict::kFailed) << r.message;
  EXPECT_FALSE(std::filesystem::exists(outside + ".out"));
  std::filesystem::remove(outside + ".out");
}

TEST_F(CoqRecheckTest, ScratchDirectoryIsRemoved) {
  const std::string parent = ::testing::TempDir() + "/recheck_scratch";
  std::filesystem::create_directories(parent);
  KernelCheckInput in;
  in.statement = "Theorem t : True.";
  in.steps = {"exact I."};
  KernelCheckOptions options;
  options.scratch_parent = parent;
  EXPECT_EQ(RunKernelCheck(options, in, kTimeout).verdict, RecheckVerdict::kPassed);
  in.steps = {"exact 0."};
  EXPECT_EQ(RunKernelCheck(options, in, kTimeout).verdict, RecheckVerdict::kFailed);
  EXPECT_TRUE(std::filesystem::is_empty(parent));
  std::filesystem::remove_all(parent);
}

TEST_F(CoqRecheckTest, NothingLeftRunning) { EXPECT_EQ(testing::LeftoverChildren(), ""); }

}  // namespace
}  // namespace thor::coq
