// The Coq bridge's input rules (issue #12): steps are an allow-list of
// tactic sentences, bullets and braces; imports are module names; the
// statement is one term or one theorem sentence; context sentences are
// classified; proof texts parse back into the steps ProofText printed.
#include "coq_bridge/coq_rules.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "coq_bridge/coq_backend.h"
#include "coq_bridge/coq_heuristics.h"
#include "coq_bridge/coq_text.h"
#include "coq_bridge/hammer_output.h"
#include "common/env.h"
#include "gtest/gtest.h"

namespace thor::coq {
namespace {

// A backend for its pure methods: no coqtop is started.
CoqConfig NoProcesses() {
  CoqConfig config;
  config.spare_processes = 0;
  config.warm_hammer = false;
  return config;
}

TEST(CoqRulesTest, AcceptsTacticSentencesBulletsBracesAndSelectors) {
  const std::vector<std::string> accepted = {
      "intros.", "intros n m", "apply admit_lemma.", "apply Nat.add_comm.", "exact I.",
      "induction n; simpl; auto.", "destruct b; reflexivity.", "induction l; simpl; congruence.",
      "lia.", "now rewrite Nat.add_0_r.", "try (apply H; auto).", "repeat split.",
      "do 3 constructor.", "first [ reflexivity | assumption ].", "solve [ auto ].",
      "progress simpl.", "idtac \"Qed. Axiom x : False.\".", "idtac \"a \"\" b\".",
      "(auto).", "fail 1 \"no\".", "-", "--", "+", "***", "{", "}", "1: {", "2:{", "- auto.",
      "+ simpl. auto.", "* reflexivity.", "1: auto.", "2-3: lia.", "1,3: lia.", "all: auto.",
      "[x]: auto.", "!: auto.", "par: auto.", "[> auto | lia ].",
      "intros. (* Axiom x : False. *) auto.", "auto (* (* nested *) Qed. *).",
      "auto (* \" *) \" *).", "auto (* a *)(* b *).", "idtac \"a\"(* b *).", "exact (fun x => x).", "apply (f_equal S).", "sauto",
      "sauto use: app_length, Nat.add_comm.", "hauto lq: on use: x.", "srun (eauto) use: a.",
      "hammer.", "rewrite <- H.", "change (S n = S n).", "unfold not; intros H; apply H.",
      "time auto.", "timeout 5 auto.", "abstract auto.", "exact ltac:(auto).",
      "replace (n + 0) with n by lia.", "pose proof (Nat.add_comm 1 2) as H.",
      "assert (H : 1 = 1) by reflexivity.", "case_eq b; intro H.",
      "match goal with |- _ => auto end.", "auto...", "intros α β; exact α.",
      "apply H.\n  auto.", "apply H.\r\n\tauto.", "set (x := 1).",
      "induction x using list_ind.", "apply H with (n := 0).", "exact [1; 2].",
  };
  for (const std::string& s : accepted) {
    EXPECT_TRUE(CheckCoqStep(s).ok()) << "'" << s << "': " << CheckCoqStep(s);
  }
}

TEST(CoqRulesTest, AcceptsTheHeuristicPolicyAndHammerSteps) {
  std::vector<std::string> steps = CoqFixedSteps();
  const std::string goals = "  n, m : nat\n  l : list nat\n  ============================\n"
                            "  forall k : nat, n + m + k = length l\n";
  std::vector<std::string> vars = CoqInductionVariables(goals, 8);
  ASSERT_FALSE(vars.empty());
  for (const std::string& v : vars) steps.push_back("induction " + v + "; sauto");
  CoqPremises premises;
  premises.uses = {"app_length", "Nat.add_comm", "Top.foo'"};
  premises.unfolds = {"length"};
  premises.inversions = {"Forall"};
  for (const std::string& t : ReconstructionTactics(premises)) steps.push_back(t);
  for (const std::string& t : ReconstructionTactics(CoqPremises())) steps.push_back(t);
  // The k-NN policy's learnt premises handed to sauto.
  const std::vector<ProverHeuristics::HintedStep> hinted =
      CoqHeuristics().HintedSteps(goals, {"app_length", "Nat.add_comm", "Top.foo'"});
  ASSERT_EQ(hinted.size(), 2u);
  EXPECT_EQ(hinted[0].step, "sauto use: app_length, Nat.add_comm, Top.foo'");
  EXPECT_EQ(hinted[0].base, "sauto");
  EXPECT_EQ(hinted[1].step, "induction " + vars[0] + "; " + hinted[0].step);
  EXPECT_EQ(hinted[1].base, "induction " + vars[0] + "; sauto");
  const std::vector<std::string> cheap = CoqHeuristics().CheapSteps(goals);
  for (const auto& h : hinted) {
    EXPECT_NE(std::find(cheap.begin(), cheap.end(), h.base), cheap.end()) << h.base;
    steps.push_back(h.step);
  }
  EXPECT_TRUE(CoqHeuristics().HintedSteps(goals, {}).empty());
  // The k-NN policy's neighbours' theorems as lemmas.
  const CoqHeuristics coq;
  EXPECT_EQ(coq.LemmaName("/usr/lib/ocaml/coq/theories/Sorting/Permutation.v", "Permutation_in",
                          false),
            "Coq.Sorting.Permutation.Permutation_in");
  EXPECT_EQ(coq.LemmaName("/usr/lib/ocaml/coq/theories/Sorting/Permutation.v", "Permutation_in",
                          true),
            "Permutation_in");
  EXPECT_EQ(coq.LemmaName("/home/me/proj/Foo.v", "bar", false), "bar");
  const std::vector<std::string> lemma_steps = coq.LemmaSteps("Coq.Lists.List.app_nil_r");
  ASSERT_EQ(lemma_steps.size(), 3u);
  EXPECT_EQ(lemma_steps[0], "intros; apply Coq.Lists.List.app_nil_r");
  for (const std::string& s : lemma_steps) steps.push_back(s);
  ASSERT_GT(steps.size(), 20u);
  for (const std::string& s : steps) {
    EXPECT_TRUE(CheckCoqStep(s).ok()) << "'" << s << "': " << CheckCoqStep(s);
  }
}

TEST(CoqRulesTest, ProofInductionsNameInductivePremisesAndHypotheses) {
  // The first premise with an uppercase head (not a local predicate P), by
  // its place; then the last hypothesis typed by an uppercase-headed type.
  const std::string perm =
      "  A : Type\n  P : A -> Prop\n  eqA_equiv : Equivalence eqA\n  Hp : P a\n"
      "  H, Hperm : Permutation l l'\n  n : nat\n  ============================\n"
      "  forall x y, P x -> x <= y -> forall m, Sorted R m -> (exists z, P z) -> In x l\n";
  EXPECT_EQ(CoqProofInductions(perm),
            (std::vector<std::string>{"induction 3; sauto", "induction Hperm; sauto"}));
  // Without an uppercase one, the first premise headed by a name (`<=` is
  // `le`); `<->` is no premise; sorts, functions and local heads are left out.
  const std::string le =
      "  f : nat -> nat\n  Q : nat -> Prop\n  H : Q 0\n  ============================\n"
      "  forall n m, (n = m <-> m = n) -> ~ Q n -> n <= m -> f n <= f m\n";
  EXPECT_EQ(CoqProofInductions(le), (std::vector<std::string>{"induction 3; sauto"}));
  EXPECT_TRUE(CoqProofInductions("  x : nat\n  ============================\n  x = x\n").empty());
  EXPECT_TRUE(CoqProofInductions("  l, l' : list nat\n  ============================\n"
                                 "  NoDup l <-> NoDup l'\n")
                  .empty());
  EXPECT_TRUE(CoqProofInductions("No more goals.").empty());
  // Only the heuristics built with them propose them, after the others.
  const std::vector<std::string> plain = CoqHeuristics().CheapSteps(perm);
  const std::vector<std::string> with = CoqHeuristics(/*proof_inductions=*/true).CheapSteps(perm);
  EXPECT_EQ(std::count(plain.begin(), plain.end(), "induction Hperm; sauto"), 0);
  ASSERT_EQ(with.size(), plain.size() + 2);
  EXPECT_EQ(std::vector<std::string>(with.begin(), with.begin() + plain.size()), plain);
  EXPECT_EQ(with.back(), "induction Hperm; sauto");
  for (const std::string& s : CoqProofInductions(perm)) {
    EXPECT_TRUE(CheckCoqStep(s).ok()) << "'" << s << "': " << CheckCoqStep(s);
  }
}

TEST(CoqRulesTest, ConclusionHeadsArePastBindersAndPremises) {
  struct Case {
    const char* proposition;
    const char* head;
  } cases[] = {
      {"forall l : list A, Sorted R l -> Sorted R (insert a l)", "Sorted"},
      {"forall (P : A -> Prop) l1 l2, (forall a, In a l1 -> P a) -> @Permutation A l1 l2",
       "Permutation"},
      {"NoDup l -> forall x, (NoDup (x :: l))", "NoDup"},
      {"length (l ++ l') = length l + length l'", "= length"},
      {"forall n m, n <= m -> S n <= S m", "<= S"},
      {"forall n m, (n = m <-> m = n)", "<-> n"},
      {"forall n m : nat, {n <= m} + {~ n <= m}", "{"},
      {"~ In x l", "~ In"},
      {"a = b /\\ c = d", "/\\ a"},
      {"In x l \\/ x = a", "\\/ In"},
      {"forall l, exists l', Permutation l l' /\\ Sorted R l'", "exists"},
      {"Nat.le_decidable n m", "Nat.le_decidable"},
      {"(fun x => x = x) 0", ""},
      {"forall x,", ""},
      {"", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(CoqConclusionHead(c.proposition), c.head) << c.proposition;
  // A goal's head is its first goal's conclusion's.
  EXPECT_EQ(CoqHeuristics().GoalHead("  l, l' : list nat\n  H : NoDup l\n"
                                     "  ============================\n"
                                     "  forall a, ~ In a l -> NoDup (a :: l)\n"),
            "NoDup");
  EXPECT_EQ(CoqHeuristics().GoalHead("No more goals."), "");
}

TEST(CoqRulesTest, StatedLemmasAreTheContextsTheoremsWithTheirHeads) {
  const std::string context =
      "Require Import List.\n"
      "Definition id' (n : nat) := n.\n"
      "(* Lemma commented : False. *)\n"
      "Lemma L (l : list nat) : NoDup l -> NoDup (rev l).\nProof. Admitted.\n"
      "Variables a b : nat.\n"
      "Hypothesis Hab : a <= b.\n"
      "#[local] Theorem app_len : forall l l' : list nat,\n"
      "  length (l ++ l') = length l + length l'.\nProof. intros. apply app_length. Qed.\n"
      "Local Corollary c_le {A : Type} : forall n, n <= S n.\nProof. auto. Qed.\n"
      "Example ex : exists n, n = 0.\nProof. now exists 0. Qed.\n"
      "Instance inst : Equivalence (@eq nat) := _.\n";
  const std::vector<ProverHeuristics::StatedLemma> lemmas = CoqHeuristics().StatedLemmas(context);
  std::vector<std::string> got;
  for (const auto& l : lemmas) got.push_back(l.name + ": " + l.head);
  EXPECT_EQ(got, (std::vector<std::string>{"L: NoDup", "app_len: = length", "c_le: <= n",
                                           "ex: exists"}));
}

TEST(CoqRulesTest, TacticLemmasAreThePremisesATacticNames) {
  struct Case {
    const char* tactic;
    std::vector<std::string> lemmas;
  } cases[] = {
      {"rewrite Z.mul_comm.", {"Z.mul_comm"}},
      {"rewrite opp_add_distr, (add_comm n m), <- add_assoc in H.",
       {"opp_add_distr", "add_comm", "add_assoc"}},
      {"rewrite 2 flat_map_concat_map; simpl.", {"flat_map_concat_map"}},
      {"rewrite !app_length, ?Nat.add_0_r.", {"app_length", "Nat.add_0_r"}},
      {"apply eq_sigT_eq_dep in H3.", {"eq_sigT_eq_dep"}},
      {"apply -> Forall_forall; eauto.", {"Forall_forall"}},
      {"now apply Z.rem_opp_opp.", {"Z.rem_opp_opp"}},
      {"apply Zpow_mod_pos_correct; auto with zarith.", {"Zpow_mod_pos_correct"}},
      {"eapply (@le_trans _ n); [apply le_S | exact le_n_Sn].", {"le_trans", "le_S", "le_n_Sn"}},
      {"auto using app_assoc, in_or_app.", {"app_assoc", "in_or_app"}},
      {"sauto use: Nat.add_comm, Nat.mul_comm unfold: length.", {"Nat.add_comm", "Nat.mul_comm"}},
      // A template's local names, a term and plain tactics name no lemma.
      {"apply $h0; rewrite $h1 in $h2.", {}},
      {"exact (fun p P F => induction_ltof2 nat (fun m => m) P F p).", {}},
      {"intros; simpl; auto.", {}},
      {"induction l as [|a l IH]; simpl.", {}},
      {"rewrite app_length, app_length.", {"app_length"}},
      // Names the tactic's own intros made are not lemmas.
      {"intros x H; apply H; rewrite IHl, Nat.add_0_r.", {"Nat.add_0_r"}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(CoqTacticLemmas(c.tactic), c.lemmas) << c.tactic;
  }
}

TEST(CoqRulesTest, RefusesCommandsCheatsAndSmuggling) {
  const std::vector<std::string> refused = {
      // Cheating tactics, anywhere, as whole identifiers.
      "admit.", "admit", "give_up.", "exact_no_check I.", "vm_cast_no_check I.",
      "native_cast_no_check I.", "change_no_check True.", "intros; admit.", "try admit.",
      "first [ admit | auto ].", "exact ltac:(admit).", "(admit).", "all: admit.", "- admit.",
      "1: { admit", "solve [ give_up ].", "exact (Coq.admit).",
      // Vernacular commands, capitalized heads.
      "Axiom x : False.", "Admitted.", "Qed.", "Defined.", "Abort.", "Proof.", "Set Printing All.",
      "Unset Guard Checking.", "Local Axiom x : False.", "Global Opaque x.", "Time auto.",
      "Fail auto.", "Timeout 1 auto.", "Redirect \"f\" Print x.", "Require Import Foo.",
      "Load \"x.v\".", "Declare ML Module \"x\".", "Ltac t := admit.", "Notation x := 1.",
      "Lemma x : False.", "Definition x := 1.", "Fixpoint f n := n.", "Inductive t := .",
      "Section S.", "Module M.", "Hint Resolve x.", "Opaque x.", "Undo.", "Show.", "Drop.",
      "Print Assumptions x.", "Extraction \"f.ml\" x.", "Cd \"/tmp\".", "Unshelve.",
      // Attributes.
      "#[bypass_check(guard)] auto.", "#[local] auto.", "auto #[ x ].",
      // A second sentence that is a command, however it is hidden.
      "auto. Axiom x : False.", "auto.\nAxiom x : False.", "auto.\tAdmitted.",
      "idtac \"x\". Axiom x : False.", "idtac (* \" *) \" *) . Axiom x : False.",
      "auto (* *) . Admitted.", "auto... Axiom x : False.", "- Axiom x : False.",
      "{ Admitted.", "} Qed.", "1: Axiom x : False.", "all: Admitted.", "[x]: Qed.",
      // Smuggling through lexer corner cases.
      "auto.\xc2\xa0" "Axiom x : False.", "auto.\xe2\x80\xa8" "Axiom x : False.",
      "auto.\xe3\x80\x80" "Axiom x : False.", "auto \xc2\xa0 lia.", "auto.\x0c" "Axiom x : False.",
      "auto.\x0b" "Axiom x : False.", "auto.\x01", "auto\x7f.", std::string("auto.\0Axiom x.", 14),
      "auto.\xff", "idtac \"\xc3\".", "auto (* unterminated", "idtac \"unterminated",
      "auto (* \" *) unterminated string in comment", "auto.\xef\xbb\xbf" "Admitted.",
      // A "(*" Coq reads as code: ".(" is a keyword, and a context notation
      // can make "foo(" or "+(" one (coqtop then runs the Axiom).
      "auto.(* . Axiom x : False. *)", "idtac +(* . Axiom x : False. *).",
      "idtac foo(* . Axiom x : False. *).", "auto;(* . Admitted. *)", "idtac ((* . Qed. *)).",
      // Not tactics.
      "", "   ", ".", "(* only a comment *)", "1:", "all:.", "@foo.", "\"string\".", "123.", "= x.",
      "Check thor_sentinel_3.", "exact thor_sentinel.",
  };
  for (const std::string& s : refused) {
    absl::Status st = CheckCoqStep(s);
    EXPECT_FALSE(st.ok()) << "'" << s << "' was accepted";
    if (!st.ok()) {
      EXPECT_TRUE(absl::IsPermissionDenied(st)) << s << ": " << st;
      EXPECT_TRUE(absl::StartsWith(st.message(), "step refused: ")) << s << ": " << st;
      EXPECT_LT(st.message().size(), 160u) << st;
    }
  }
}

TEST(CoqRulesTest, RefusalsSayWhy) {
  EXPECT_EQ(CheckCoqStep("Axiom x : False.").message(),
            "step refused: 'Axiom' is a vernacular command, not a tactic");
  EXPECT_TRUE(absl::StrContains(CheckCoqStep("apply H; admit.").message(), "'admit' is a cheating tactic"));
  EXPECT_TRUE(absl::StrContains(CheckCoqStep("#[local] auto.").message(), "attributes"));
  EXPECT_TRUE(absl::StrContains(CheckCoqStep("auto.\xc2\xa0x").message(), "non-ASCII"));
  EXPECT_TRUE(absl::StrContains(CheckCoqStep("auto.\x01").message(), "control character"));
  // Long input is never echoed in full.
  std::string longword = "X" + std::string(5000, 'y');
  EXPECT_LT(CheckCoqStep(longword + ".").message().size(), 120u);
}

TEST(CoqRulesTest, LexUnitsFollowsCoqSentenceEnds) {
  auto units = LexUnits("- intros. (* a. b *) apply f.g \"x. y\".\n{ auto. }\n2: { lia. } auto");
  ASSERT_TRUE(units.ok()) << units.status();
  ASSERT_EQ(units->size(), 10u);
  EXPECT_EQ((*units)[0].kind, CoqUnit::kBullet);
  EXPECT_EQ((*units)[2].tokens.size(), 5u);  // apply f . g "x. y"
  EXPECT_EQ((*units)[3].kind, CoqUnit::kBrace);
  EXPECT_EQ((*units)[6].kind, CoqUnit::kBrace);  // "2: {"
  EXPECT_EQ((*units)[6].tokens.size(), 3u);
  EXPECT_FALSE((*units)[9].terminated);
  EXPECT_FALSE(LexUnits("x (* (* *)").ok());
  EXPECT_TRUE(LexUnits("x (* \"*)\" *).").ok());
  EXPECT_FALSE(LexUnits("x (* \"*) *).").ok());
}

TEST(CoqRulesTest, ImportsAreModuleNames) {
  EXPECT_EQ(*ParseCoqImport("List"), "Require Import List.");
  EXPECT_EQ(*ParseCoqImport(" Coq.Lists.List "), "Require Import Coq.Lists.List.");
  EXPECT_EQ(*ParseCoqImport("Arith.PeanoNat."), "Require Import Arith.PeanoNat.");
  EXPECT_EQ(*ParseCoqImport("From Coq Require Import   List Arith."),
            "From Coq Require Import List Arith.");
  EXPECT_EQ(*ParseCoqImport("Require Export Bool"), "Require Export Bool.");
  EXPECT_EQ(*ParseCoqImport("Require Lia."), "Require Lia.");
  EXPECT_EQ(*ParseCoqImport("Import ListNotations."), "Import ListNotations.");
  EXPECT_EQ(*ParseCoqImport("From Hammer Require Import Hammer."), "From Hammer Require Import Hammer.");
  for (const char* bad : {"", "List. Axiom x : False.", "List.\nAxiom x : False", "From \"/tmp\" Require X.",
                          "Require Import \"x\".", "Load x", "Coq..List", "Coq. List", "List (* x *) Axiom",
                          "Require Import", "Set Printing All", "#[local] Require Import X.",
                          "Require Import X -", "Import (notations) X.", "1List", "List.\xc2\xa0"}) {
    EXPECT_FALSE(ParseCoqImport(bad).ok()) << bad;
  }
  Theorem thm;
  thm.imports = {"List", "From Coq Require Import Arith", "Load evil"};
  EXPECT_EQ(ImportLines(thm), "Require Import List.\nFrom Coq Require Import Arith.\n");
  thm.statement = "True";
  absl::Status s = ValidateCoqInputs(thm, "", false);
  EXPECT_TRUE(absl::IsInvalidArgument(s));
  EXPECT_TRUE(absl::StartsWith(s.message(), "imports[2]")) << s;
}

TEST(CoqRulesTest, StatementIsOneTermOrOneTheoremSentence) {
  for (const char* ok : {"forall n : nat, n + 0 = n", "forall n : nat, n + 0 = n.", "True",
                         "Nat.add 0 1 = 1", "Lemma x (n : nat) : n = n.", "Theorem t : True",
                         "Goal True.", "Example e : 1 + 1 = 2.", "Corollary c : let x := 1 in x = 1.",
                         "Lemma m (n : nat) : match n with 0 => True | S _ => True end.",
                         "forall s, s = \"a. b\"", "True (* Axiom x. *)", "{x : nat | x = 0} = {x : nat | x = 0}",
                         "- 1 = - 1", "Lemma r : {| fst := 1 |} = {| fst := 1 |}."}) {
    EXPECT_TRUE(CheckCoqStatement(ok).ok()) << ok << ": " << CheckCoqStatement(ok);
  }
  for (const char* bad : {"", "  ", "(* c *)", "True. Axiom x : False.", "True.\nAxiom x : False",
                          "Lemma x : True. Proof. exact I. Qed.", "Lemma x : True := I.",
                          "Definition x : nat := 0.", "Axiom x : False.", "Axiom x : False",
                          "#[bypass_check(guard)] Lemma x : True.", "Lemma x : True with y : True.",
                          "Lemma x : True. Admitted.", "ltac:(admit) = 1", "True (* open",
                          "\"open", "True.\xc2\xa0" "Axiom x : False", "Lemma : True.",
                          "Unset Guard Checking", "Load x", "Lemma x : True.\x01", "Goal True. Qed."}) {
    absl::Status s = CheckCoqStatement(bad);
    EXPECT_TRUE(absl::IsInvalidArgument(s)) << "'" << bad << "': " << s;
  }
}

TEST(CoqRulesTest, ContextAllowsDefinitionsProofsAndAssumptions) {
  const char* context =
      "Require Import Coq.Lists.List.\nFrom Coq Require Import Arith.\nImport ListNotations.\n"
      "Set Implicit Arguments.\nUnset Implicit Arguments.\nSet Inline Level 50.\n"
      "#[local] Open Scope nat_scope.\nLocal Open Scope list_scope.\n"
      "Axiom ax : forall n : nat, n = n.\nParameter p : nat.\n"
      "Section S.\nVariable A : Type.\nHypothesis H : A.\nContext {B : Type}.\n"
      "Lemma l : A.\nProof.\n  exact H.\nQed.\nEnd S.\n"
      "Lemma adm : False.\nAdmitted.\n"
      "Definition d := 1.\nFixpoint f (n : nat) := match n with 0 => 0 | S m => f m end.\n"
      "Inductive t := C.\nModule M.\nEnd M.\n"
      "Lemma b : True.\nProof.\n  - exact I.\nQed.\n"
      "Lemma c : True /\\ True.\nProof.\n  split.\n  { exact I. }\n  2: { exact I. }\nDefined.\n"
      "#[global] Hint Resolve l : core.\n#[deprecated(since=\"8.12\",note=\"Use x.\")] Notation z := d.\n"
      "Infix \"+++\" := app (right associativity, at level 60).\nLtac t := auto.\n"
      "Add Hammer Filter Coq.Lists.List.\nAdd Search Blacklist \"Private_\".\n"
      "Register d as thor.test.d.\nArguments f n.\nOpaque d.\nCheck d.\n"
      "#[global] Program Instance i : Inhabited nat.\n";
  absl::Status s = CheckCoqContext(context, false);
  EXPECT_TRUE(s.ok()) << s;
}

TEST(CoqRulesTest, ContextRefusesFileCodeAndCheckSwitches) {
  const std::vector<std::string> refused = {
      "Load \"/etc/passwd\".", "Load x.", "Cd \"/tmp\".", "Drop.", "Quit.",
      "Declare ML Module \"evil\".", "Add LoadPath \"/tmp\" as X.", "Add Rec LoadPath \"/tmp\".",
      "Add ML Path \"/tmp\".", "From \"/tmp\" Require Import X.", "Require Import \"x\".",
      "Unset Guard Checking.", "Set Guard Checking.", "Unset Positivity Checking.",
      "Unset Universe Checking.", "Set Printing All.", "Set Default Timeout 1.",
      "Local Unset Guard Checking.", "#[bypass_check(guard)] Fixpoint f (n : nat) : False := f n.",
      "#[bypass_check(positivity)] Inductive t := C : (t -> False) -> t.",
      "#[ local , bypass_check(universes) ] Definition x := Type.", "#[evil] Definition x := 1.",
      "Time Definition x := 1.", "Timeout 5 Definition x := 1.", "Fail Definition x := 1.",
      "Redirect \"out\" Print x.", "Extraction \"f.ml\" x.", "Recursive Extraction x.",
      "Separate Extraction x.", "Extract Constant x => \"y\".", "Extraction Language OCaml.",
      "Print Universes \"/tmp/u.dot\".", "Locate File \"x.v\".", "Reset Initial.", "Back 2.",
      "Lemma x : False. Proof. admit. Admitted.", "Lemma x : False. Proof. exact_no_check I. Qed.",
      "Lemma x : True. Proof. #[local] auto. Qed.", "Frobnicate x.", "@x.",
      "Definition x := 1.\xc2\xa0" "Load y.", "Definition x := 1.\x0c" "Load y.",
      "Primitive x := #int63_add.", "Set Hammer Debug.", "Declare Foo.", "Add Foo.",
      "Show Extraction.", "Register bool as kernel.ind_bool.", "Register Inline x.",
      "Definition x := 1.(* . Load y. *)", "Notation \"x 'foo(' y\" := (x + y) (at level 50).\nGoal True. idtac foo(* . Load y. *). Qed.",
  };
  for (const std::string& c : refused) {
    absl::Status s = CheckCoqContext(c, false);
    EXPECT_TRUE(absl::IsInvalidArgument(s)) << "'" << c << "': " << s;
  }
  absl::Status s = CheckCoqContext("Definition x := 1.\n\nUnset Guard Checking.\n", false);
  EXPECT_EQ(s.message(),
            "context, line 3 ('Unset Guard Checking.'): 'Unset Guard Checking' switches a kernel check off");
}

TEST(CoqRulesTest, ACapitalisedLtacOfTheContextRunsAsATactic) {
  // As in the stdlib's Sorting/Permutation.v.
  const std::string ltac =
      "Ltac InvAdd := repeat split.\nLocal Ltac Finish := auto.\n";
  const std::string proof = "Lemma l : True /\\ True.\nProof.\n  InvAdd; Finish.\nQed.\n";
  EXPECT_TRUE(CheckCoqContext(ltac + proof, false).ok()) << CheckCoqContext(ltac + proof, false);
  // Used before it is defined, or never defined: a command, refused.
  EXPECT_TRUE(absl::IsInvalidArgument(CheckCoqContext(proof + ltac, false)));
  // The sentence is still checked as a tactic.
  EXPECT_TRUE(absl::IsInvalidArgument(
      CheckCoqContext(ltac + "Lemma l : False.\nProof.\n  InvAdd; admit.\nAdmitted.\n", false)));
  // A library's qualified tactic (ZArith's `Z.swap_greater.`); not a
  // command word as the module, not a capitalised last part.
  EXPECT_TRUE(CheckCoqContext("Goal True.\n  Z.swap_greater.\nAbort.\n", false).ok());
  EXPECT_TRUE(CheckCoqContext("Goal True.\n  Nat.Sub.tac; auto.\nAbort.\n", false).ok());
  for (const char* c : {"Goal True.\n  Load.x.\nAbort.\n", "Goal True.\n  Z.Foo.\nAbort.\n",
                               "Goal True.\n  Redirect.x \"f\".\nAbort.\n"}) {
    EXPECT_TRUE(absl::IsInvalidArgument(CheckCoqContext(c, false))) << c;
  }
  // A step from a client or a model: no such exception.
  EXPECT_FALSE(CheckCoqStep("Z.swap_greater.").ok());
  // A malformed selector does not hide a capitalised head (found by the fuzzer).
  EXPECT_FALSE(CheckCoqStep("all-all: DDDauto.").ok());
  EXPECT_FALSE(CheckCoqStep("1-all: Print x.").ok());
  EXPECT_TRUE(CheckCoqStep("all: auto.").ok());
  EXPECT_TRUE(CheckCoqStep("1-2,4: auto.").ok());
  // An Ltac named like a command word does not make that command a tactic.
  for (const char* word : {"Redirect", "Load", "Drop", "Time", "Set", "Declare", "Fail"}) {
    const std::string c = std::string("Ltac ") + word + " := idtac.\nGoal True.\n  " + word +
                          " \"out\" Print x.\nAbort.\n";
    EXPECT_TRUE(absl::IsInvalidArgument(CheckCoqContext(c, false))) << c;
  }
}

TEST(CoqRulesTest, ContextFromAFileIsNeverEchoed) {
  const std::string secret = "Frobnicate SECRET_TEXT_42.";
  absl::Status s = CheckCoqContext("Definition x := 1.\n" + secret, true);
  EXPECT_TRUE(absl::IsInvalidArgument(s));
  EXPECT_FALSE(absl::StrContains(s.message(), "SECRET")) << s;
  EXPECT_FALSE(absl::StrContains(s.message(), "Frobnicate")) << s;
  EXPECT_TRUE(absl::StrContains(s.message(), "line 2")) << s;
  s = CheckCoqContext("Unset Guard Checking SECRET.", true);
  EXPECT_FALSE(absl::StrContains(s.message(), "SECRET")) << s;
  EXPECT_TRUE(absl::StrContains(s.message(), "switches a kernel check off")) << s;
  s = CheckCoqContext("Set SECRET Option.", true);
  EXPECT_FALSE(absl::StrContains(s.message(), "SECRET")) << s;
  s = CheckCoqContext("#[SECRET] Definition x := 1.", true);
  EXPECT_FALSE(absl::StrContains(s.message(), "SECRET")) << s;
  s = CheckCoqContext("Lemma x : True. Proof. SECRET. Qed.", true);
  EXPECT_FALSE(absl::StrContains(s.message(), "SECRET")) << s;
}

TEST(CoqRulesTest, ValidateTheoremResolvesTheFileContext) {
  std::string path = TempDirRoot() + "/thor-coq-rules-XXXXXX.v";
  int fd = mkstemps(path.data(), 2);
  ASSERT_GE(fd, 0);
  const std::string text = "Definition d := 1.\nLoad SECRET.\nLemma goal : d = 1.\nProof. reflexivity. Qed.\n";
  ASSERT_EQ(write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  close(fd);
  Theorem thm;
  thm.prover = "coq";
  thm.statement = "Lemma goal : d = 1.";
  thm.file_path = path;
  CoqBackend backend(NoProcesses());
  absl::Status s = backend.ValidateTheorem(thm);
  EXPECT_TRUE(absl::IsInvalidArgument(s)) << s;
  EXPECT_FALSE(absl::StrContains(s.message(), "SECRET")) << s;
  EXPECT_TRUE(absl::StrContains(s.message(), "theorem's file, line 2")) << s;
  thm.context = "Definition d := 1.";  // An explicit context wins over the file.
  EXPECT_TRUE(backend.ValidateTheorem(thm).ok()) << backend.ValidateTheorem(thm);
  unlink(path.c_str());
}

TEST(CoqRulesTest, ParseProofTextInvertsProofText) {
  CoqBackend backend(NoProcesses());
  const std::vector<std::vector<std::string>> proofs = {
      {"intros n", "induction n.", "-", "reflexivity.", "-", "simpl.", "rewrite IHn.", "reflexivity."},
      {"split.", "{", "exact I.", "}", "2: {", "exact I.", "}"},
      {"idtac \"a. b\".", "idtac \"Qed. \"\" Axiom\"; auto.", "auto (* note. Qed. *)."},
      {"sauto use: app_length, Nat.add_comm.", "hauto lq: on use: x."},
      {"all: auto.", "--", "+", "***", "now lia."},
  };
  for (const auto& steps : proofs) {
    std::string text = backend.ProofText(steps);
    absl::StatusOr<std::vector<std::string>> parsed = backend.ParseProofText(text);
    ASSERT_TRUE(parsed.ok()) << text << "\n" << parsed.status();
    std::vector<std::string> normalized;
    for (const std::string& s : steps) normalized.push_back(*NormalizeStep(s));
    EXPECT_EQ(*parsed, normalized) << text;
  }
  // What a user pastes: with or without Proof./Qed., Defined. at the end.
  EXPECT_EQ(*backend.ParseProofText("intros. auto."), (std::vector<std::string>{"intros.", "auto."}));
  EXPECT_EQ(*backend.ParseProofText("Proof. - auto. - lia. Defined."),
            (std::vector<std::string>{"-", "auto.", "-", "lia."}));
  EXPECT_EQ(*backend.ParseProofText("(* c *) Proof.\n auto\n"), (std::vector<std::string>{"auto."}));
  for (const char* bad : {"Proof. Qed.", "", "Proof. admit. Qed.", "Proof. auto. Qed. Axiom x : False.",
                          "Proof. auto. Admitted.", "Proof. Proof. auto. Qed.", "auto. Qed. Qed.",
                          "Proof. idtac \"open", "Proof. auto.\xc2\xa0" "Axiom x : False. Qed.",
                          "Proof using. auto. Qed.", "Proof with auto. auto. Qed."}) {
    EXPECT_FALSE(backend.ParseProofText(bad).ok()) << bad;
  }
  EXPECT_TRUE(absl::IsPermissionDenied(backend.ParseProofText("Proof. admit. Qed.").status()));
}

}  // namespace
}  // namespace thor::coq
