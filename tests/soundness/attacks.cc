#include "tests/soundness/attacks.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace thor::testing {
namespace {

constexpr unsigned kStep = kProve | kSuggest | kCheckSteps;
constexpr unsigned kStepAndText = kStep | kCheckText;
constexpr unsigned kTheorem = kProve | kSuggest | kCheckSteps;
constexpr unsigned kFiles = kProve | kCheckSteps | kHammer;

std::string Join(std::initializer_list<const char*> parts) {
  std::string out;
  for (const char* p : parts) absl::StrAppend(&out, p);
  return out;
}

Attack Coq(std::string name, std::string klass, std::string stop, std::vector<std::string> steps,
           unsigned entries) {
  Attack a;
  a.name = std::move(name);
  a.klass = std::move(klass);
  a.stop = std::move(stop);
  a.prover = "coq";
  a.statement = "False";
  a.steps = std::move(steps);
  a.entries = entries;
  return a;
}

Attack WithStatement(Attack a, std::string statement) {
  a.statement = std::move(statement);
  return a;
}
Attack WithContext(Attack a, std::string context) {
  a.context = std::move(context);
  return a;
}
Attack WithImports(Attack a, std::vector<std::string> imports) {
  a.imports = std::move(imports);
  return a;
}
Attack WithFile(Attack a, std::string path) {
  a.file_path = std::move(path);
  return a;
}
Attack WithText(Attack a, std::string text) {
  a.proof_text = std::move(text);
  return a;
}

const char kBadInductive[] = "Inductive Bad : Type := C : (Bad -> False) -> Bad.";
const char kBadProof[] = "(let f := fun b : Bad => match b with C g => g b end in f (C f))";

}  // namespace

std::vector<Attack> CoqAttacks() {
  const std::string allow = kStepAllowList;
  const std::string kernel = kKernel;
  const std::string valid = kValidation;
  const std::string files = kFilePolicy;
  const std::string allow_kernel = allow + " + " + kernel;
  std::vector<Attack> a;
  // --- Vernacular inside a step: an assumption, then use it.
  a.push_back(Coq("AxiomInStep", "step", allow_kernel, {"Axiom a : False.", "exact a."}, kStep));
  a.push_back(Coq("ParameterInStep", "step", allow_kernel, {"Parameter a : False.", "exact a."},
                  kStep));
  a.push_back(Coq("HypothesisInStep", "step", allow_kernel,
                  {"Hypothesis a : False.", "exact a."}, kStep));
  a.push_back(Coq("VariableInStep", "step", allow_kernel, {"Variable a : False.", "exact a."},
                  kStep));
  a.push_back(Coq("ConjectureInStep", "step", allow_kernel,
                  {"Conjecture a : False.", "exact a."}, kStep));
  a.push_back(Coq("ContextInStep", "step", allow_kernel, {"Context (a : False).", "exact a."},
                  kStepAndText));
  a.push_back(Coq("TimeoutAxiomInStep", "step", allow_kernel,
                  {"Timeout 1 Axiom a : False.", "exact a."}, kStep));
  // --- Leaving or ending the proof from inside a step.
  a.push_back(Coq("AdmittedInStep", "step", allow_kernel, {"Admitted."}, kStepAndText));
  a.push_back(Coq("AbortThenEasyTheoremSameName", "step", allow + " + statement identity",
                  {"Abort. Theorem t : True. Proof. exact I."}, kStep));
  a.push_back(Coq("QedInStep", "step", allow, {"Qed."}, kStep));
  a.push_back(Coq("DefinedInStep", "step", allow, {"Defined."}, kStep));
  // --- Cheating tactics.
  a.push_back(Coq("AdmitTactic", "step", allow_kernel, {"admit."}, kStepAndText));
  a.push_back(Coq("GiveUpTactic", "step", allow_kernel, {"give_up."}, kStep));
  a.push_back(Coq("ExactNoCheck", "step", allow_kernel, {"exact_no_check I."}, kStepAndText));
  a.push_back(Coq("VmCastNoCheck", "step", allow_kernel, {"vm_cast_no_check I."}, kStep));
  a.push_back(Coq("LtacDefinitionHidingAdmit", "step", allow, {"Ltac cheat := admit.", "cheat."},
                  kStep));
  // --- Switching kernel checks off inside a step.
  a.push_back(Coq("UnsetGuardCheckingFixpointInStep", "step", allow_kernel,
                  {"Unset Guard Checking.", "Fixpoint loop (n : nat) : False := loop n.",
                   "exact (loop 0)."},
                  kStep));
  a.push_back(Coq("BypassGuardAttributeInStep", "step", allow_kernel,
                  {"#[bypass_check(guard)] Let loop := fix loop (n : nat) : False := loop n.",
                   "exact (loop 0)."},
                  kStepAndText));
  a.push_back(Coq("BypassPositivityAttributeInStep", "step", allow_kernel,
                  {Join({"#[bypass_check(positivity)] ", kBadInductive}),
                   Join({"exact ", kBadProof, "."})},
                  kStep));
  a.push_back(WithImports(Coq("LocalUnsetUniverseCheckingInStep", "step", allow_kernel,
                              {"Local Unset Universe Checking.",
                               "exact (TypeNeqSmallType.paradox Type eq_refl)."},
                              kStep),
                          {"Coq.Logic.Hurkens"}));
  a.push_back(WithImports(
      Coq("BypassUniversesAttributeInStep", "step", allow_kernel,
          {"#[bypass_check(universes)] Let boom : False := TypeNeqSmallType.paradox Type eq_refl.",
           "exact boom."},
          kStep),
      {"Coq.Logic.Hurkens"}));
  a.push_back(Coq("SetPrintingInStep", "step", allow, {"Set Printing All.", "exact I."}, kStep));
  // --- Smuggling a command past a text filter.
  a.push_back(Coq("SmuggleCommandInsideStringQuotes", "step", allow_kernel,
                  {"idtac \"(*\". Context (a : False). idtac \"*)\".", "exact a."}, kStepAndText));
  a.push_back(Coq("SmuggleCommandBetweenComments", "step", allow_kernel,
                  {"(* nothing to see *) Context (a : False).", "exact a."}, kStep));
  a.push_back(Coq("SmuggleCommandAfterNewline", "step", allow_kernel,
                  {"intros.\nContext (a : False).", "exact a."}, kStep));
  a.push_back(Coq("SmuggleCommandAfterNoBreakSpace", "step", allow_kernel,
                  {"idtac.\xc2\xa0" "Context (a : False).", "exact a."}, kStep));
  // --- Forging the prover's own output.
  a.push_back(Coq("ForgedNoMoreGoalsMessage", "step", allow + " + session",
                  {"idtac \"No more goals.\"."}, kStep));
  a.push_back(Coq("NotationInStepForgesNoMoreGoals", "step", allow + " + session",
                  {"Notation \"'No' 'more' 'goals.'\" := False (only printing).", "idtac."},
                  kStep));
  a.push_back(Coq("ForgedClosedUnderGlobalContextInStep", "step", allow_kernel,
                  {"Context (a : False).", "idtac \"Closed under the global context\"; exact a."},
                  kStep));

  // --- Statement injection.
  a.push_back(WithStatement(Coq("StatementAdmittedThenLemma", "statement", valid, {"exact I."},
                                kTheorem),
                            "False. Admitted. Lemma x : True"));
  a.push_back(WithStatement(Coq("StatementAbortThenTrueSameName", "statement", valid,
                                {"exact I."}, kTheorem),
                            "False. Abort. Theorem t : True"));
  a.push_back(WithStatement(Coq("StatementProvedThenSecondTheorem", "statement", valid,
                                {"exact I."}, kTheorem),
                            "True. Proof. exact I. Qed. Theorem thor_goal : True"));
  a.push_back(WithStatement(Coq("StatementWithBody", "statement", valid, {"exact I."}, kTheorem),
                            "Example t : False := ltac:(admit)"));
  a.push_back(WithStatement(Coq("StatementNewlineAxiom", "statement", valid + " + " + kernel,
                                {"exact a."}, kTheorem),
                            "False.\nAxiom a : False."));
  // --- Imports injection.
  a.push_back(WithImports(Coq("ImportsAxiom", "imports", valid + " + " + kernel, {"exact a."},
                              kTheorem),
                          {"List. Axiom a : False"}));
  a.push_back(WithImports(Coq("ImportsRedirectWritesFile", "imports", valid + " + " + files,
                              {"exact I."}, kFiles),
                          {"Coq.Init.Prelude. Redirect \"@T@/imports_pwned\" Print nat"}));
  a.push_back(WithImports(Coq("ImportsFromPathString", "imports", valid, {"exact I."},
                              kProve | kCheckSteps),
                          {"From \"@T@\" Require Import x"}));
  a.push_back(WithImports(Coq("ImportsLoadPathFlag", "imports", valid, {"exact I."},
                              kProve | kCheckSteps),
                          {"-R @T@ Evil"}));
  a.push_back(WithImports(Coq("ImportsLoadReadsSecret", "imports", valid + " + " + files,
                              {"exact I."}, kTheorem),
                          {"Coq.Init.Prelude. Load \"@S@\""}));
  // --- Context injection.
  a.push_back(WithContext(Coq("ContextAxiomUsed", "context", kernel, {"exact a."},
                              kProve | kCheckSteps | kCheckText),
                          "Axiom a : False."));
  a.push_back(WithContext(Coq("ContextUnsetGuardCheckingFixpoint", "context",
                              valid + " + " + kernel, {"exact (loop 0)."},
                              kProve | kCheckSteps),
                          "Unset Guard Checking.\nFixpoint loop (n : nat) : False := loop n.\n"
                          "Set Guard Checking."));
  a.push_back(WithContext(Coq("ContextBypassPositivityInductive", "context",
                              valid + " + " + kernel, {"exact boom."}, kProve | kCheckSteps),
                          Join({"#[bypass_check(positivity)] ", kBadInductive,
                                "\nDefinition boom : False := ", kBadProof, "."})));
  a.push_back(WithImports(
      WithContext(Coq("ContextUnsetUniverseChecking", "context", valid + " + " + kernel,
                      {"exact boom."}, kProve | kCheckSteps),
                  "Unset Universe Checking.\n"
                  "Definition boom : False := TypeNeqSmallType.paradox Type eq_refl.\n"
                  "Set Universe Checking."),
      {"Coq.Logic.Hurkens"}));
  a.push_back(WithContext(Coq("ContextForgesClosedUnderGlobalContext", "context", kernel,
                              {"exact a."}, kProve | kCheckSteps),
                          "Axiom a : False.\nPrint Assumptions I."));
  a.push_back(WithContext(Coq("ContextNotationForgesNoMoreGoals", "context",
                              "session (goals counted, not read from printed text)",
                              {"idtac."}, kProve | kSuggest),
                          "Notation \"'No' 'more' 'goals.'\" := False (only printing)."));
  a.push_back(WithContext(Coq("ContextNotationForgesClosedUnderGlobalContext", "context",
                              kernel, {"exact a."}, kProve | kCheckSteps),
                          "Notation \"'Closed' 'under' 'the' 'global' 'context'\" := False "
                          "(only printing).\nAxiom a : False."));
  a.push_back(WithContext(Coq("ContextRedirectWritesFile", "context", valid + " + " + files,
                              {"exact I."}, kFiles),
                          "Redirect \"@T@/pwned\" Print nat."));
  a.push_back(WithContext(Coq("ContextExtractionWritesFile", "context", valid + " + " + files,
                              {"exact I."}, kFiles),
                          "Require Extraction.\nExtraction \"@T@/x.ml\" nat."));
  a.push_back(WithContext(Coq("ContextCdThenRedirect", "context", valid + " + " + files,
                              {"exact I."}, kFiles),
                          "Cd \"@T@\".\nRedirect \"cd_pwned\" Print nat."));
  a.push_back(WithContext(Coq("ContextLoadReadsSecret", "context", valid + " + " + files,
                              {"exact I."}, kFiles),
                          "Load \"@S@\"."));
  a.push_back(WithContext(Coq("ContextDeclareMLModuleThenExtraction", "context",
                              valid + " + " + files, {"exact I."}, kProve | kCheckSteps),
                          "Declare ML Module \"coq-core.plugins.extraction\".\n"
                          "Extraction \"@T@/ml.ml\" nat."));
  // Functors: a theorem inside one is checked in an instance whose
  // parameters' fields (named with the check's nonce) are its hypotheses;
  // nothing else the functor's body assumes counts.
  const std::string sig = "Module Type Sig.\nParameter t : Type.\nEnd Sig.\n";
  a.push_back(WithContext(Coq("ContextFunctorBodyAxiom", "context", kernel, {"exact cheat."},
                              kProve | kCheckSteps),
                          sig + "Module F (X : Sig).\nAxiom cheat : False.\n"));
  a.push_back(WithContext(Coq("ContextFunctorModuleMaskingParameter", "context", kernel,
                              {"exact X.cheat."}, kProve | kCheckSteps),
                          sig + "Module F (X : Sig).\nModule X.\nAxiom cheat : False.\nEnd X.\n"));
  a.push_back(WithContext(Coq("ContextFunctorModuleNamedLikeTheCheck", "context", kernel,
                              {"exact thor_param_0123456789abcdef_0.cheat."},
                              kProve | kCheckSteps),
                          sig + "Module F (X : Sig).\nModule thor_param_0123456789abcdef_0.\n"
                                "Axiom cheat : False.\nEnd thor_param_0123456789abcdef_0.\n"));
  // Module types: a theorem inside one is checked in a module declared of
  // that type; a lemma of the type that was Admitted is no declared field.
  a.push_back(WithContext(Coq("ContextModuleTypeAdmittedLemma", "context", kernel,
                              {"exact cheat."}, kProve | kCheckSteps),
                          "Module Type T.\nLemma cheat : False. Admitted.\n"));
  a.push_back(WithContext(Coq("ContextModuleTypeAdmittedDefinition", "context", kernel,
                              {"destruct cheat."}, kProve | kCheckSteps),
                          "Module Type T.\nDefinition cheat : False.\nProof.\nAdmitted.\n"));
  // --- Files named by the client.
  a.push_back(WithStatement(WithFile(Coq("FilePathReadsSecretFile", "file_path", files,
                                         {"exact I."}, kFiles),
                                     "@SV@"),
                            "Theorem t : False."));
  a.push_back(WithStatement(WithFile(Coq("FilePathEtcPasswd", "file_path", files, {"exact I."},
                                         kProve | kCheckSteps),
                                     "/etc/passwd"),
                            "nologin"));
  // --- CheckProof's proof_text.
  a.push_back(WithText(Coq("ProofTextAdmitQed", "proof_text", allow_kernel, {}, kCheckText),
                       "Proof. admit. Qed."));
  a.push_back(WithText(Coq("ProofTextAdmitted", "proof_text", allow_kernel, {}, kCheckText),
                       "Proof. Admitted."));
  a.push_back(WithText(Coq("ProofTextQedThenAxiom", "proof_text", allow_kernel, {}, kCheckText),
                       "Qed. Axiom a : False. Theorem t2 : False. Proof. exact a. Qed."));
  a.push_back(WithText(Coq("ProofTextContextThenExact", "proof_text", allow_kernel, {},
                           kCheckText),
                       "Proof. Context (a : False). exact a. Qed."));
  a.push_back(WithText(Coq("ProofTextDefinedThenNewLemma", "proof_text", allow, {}, kCheckText),
                       "Proof. Defined. Lemma t2 : True. Proof. exact I. Qed."));
  return a;
}

std::vector<Attack> IsabelleAttacks() {
  const std::string allow = kStepAllowList;
  const std::string allow_kernel = allow + " + " + std::string(kKernel) + " (thm_oracles)";
  const std::string valid = kValidation;
  auto isa = [&](std::string name, std::string klass, std::string stop,
                 std::vector<std::string> steps, unsigned entries) {
    Attack a = Coq(std::move(name), std::move(klass), std::move(stop), std::move(steps), entries);
    a.prover = "isabelle";
    a.statement = "theorem t: \"False\"";
    return a;
  };
  constexpr unsigned kAll = kProve | kSuggest | kCheckSteps | kCheckText;
  std::vector<Attack> a;
  a.push_back(isa("Sorry", "step", allow_kernel, {"sorry"}, kAll));
  a.push_back(isa("ProofSymbol", "step", allow_kernel, {"\\<proof>"}, kAll));
  a.push_back(isa("Oops", "step", allow, {"oops"}, kStep));
  a.push_back(isa("BySorry", "step", allow_kernel, {"by sorry"}, kStep));
  a.push_back(isa("QuickAndDirtySorry", "step", allow_kernel,
                  {"using [[quick_and_dirty]] sorry"}, kAll));
  a.push_back(isa("QuickAndDirtyProofSymbol", "step", allow_kernel,
                  {"using [[quick_and_dirty=true]] \\<proof>"}, kStep));
  a.push_back(isa("MLVal", "step", allow, {"ML_val \\<open>Thm.cterm_of\\<close>"}, kStep));
  a.push_back(isa("MLPrf", "step", allow, {"ML_prf \\<open>()\\<close>"}, kStep));
  a.push_back(isa("ApplyTactic", "step", allow_kernel,
                  {"apply (tactic \\<open>Skip_Proof.cheat_tac \\<^context> 1\\<close>)"}, kStep));
  a.push_back(isa("ByTactic", "step", allow_kernel,
                  {"by (tactic \\<open>Skip_Proof.cheat_tac \\<^context> 1\\<close>)"}, kAll));
  a.push_back(isa("TheoryCommandLemmaInStep", "step", allow, {"lemma x: False sorry"}, kStep));
  a.push_back(isa("DeclareQuickAndDirty", "step", allow, {"declare [[quick_and_dirty=true]]"},
                  kStep));
  a.push_back(isa("ProofBlockWithSorry", "step", allow_kernel,
                  {"proof - show ?thesis sorry qed"}, kAll));
  Attack s1 = isa("StatementInjectionSecondCommand", "statement", valid, {"by simp"}, kTheorem);
  s1.statement = "theorem t: \"False\" sorry lemma x: \"True\"";
  a.push_back(s1);
  Attack s2 = isa("StatementInjectionOopsNewline", "statement", valid, {"by simp"}, kTheorem);
  s2.statement = "theorem t: \"False\"\noops\ntheorem x: \"True\"";
  a.push_back(s2);
  Attack i1 = isa("ImportsInjectionAxiomatization", "imports", valid, {"by (rule ax)"}, kTheorem);
  i1.imports = {"Main begin axiomatization where ax: \"False\""};
  a.push_back(i1);
  Attack c1 = isa("ContextAxiomatizationUsed", "context", valid + " + " + kKernel,
                  {"by (rule ax)"}, kTheorem);
  c1.context = "axiomatization where ax: \"False\"";
  a.push_back(c1);
  Attack c2 = isa("ContextDeclaresQuickAndDirty", "context", valid, {"by (rule FalseE) (rule ax)"},
                  kTheorem);
  c2.context = "declare [[quick_and_dirty=true]]\naxiomatization where ax: \"False\"";
  a.push_back(c2);
  Attack t1 = isa("ProofTextSorry", "proof_text", allow_kernel, {}, kCheckText);
  t1.proof_text = "proof -\n  show ?thesis sorry\nqed";
  a.push_back(t1);
  return a;
}

v1::Theorem AttackTheorem(const Attack& a, const std::string& target_dir,
                          const std::string& secret, const std::string& secret_theorem) {
  auto fill = [&](const std::string& s) {
    return absl::StrReplaceAll(
        s, {{"@T@", target_dir}, {"@SV@", secret_theorem}, {"@S@", secret}});
  };
  v1::Theorem t;
  t.set_prover(a.prover);
  t.set_name("t");
  t.set_statement(fill(a.statement));
  t.set_context(fill(a.context));
  for (const std::string& i : a.imports) t.add_imports(fill(i));
  t.set_file_path(fill(a.file_path));
  if (a.prover == "isabelle") t.set_session("HOL");
  return t;
}

}  // namespace thor::testing
