// Coq's cheap steps for the heuristic policy: CoqHammer-era tactics, then an
// induction on the variables of the first goal that an induction could split
// (read from coqtop's goal display).
#ifndef THOR_COQ_BRIDGE_COQ_HEURISTICS_H_
#define THOR_COQ_BRIDGE_COQ_HEURISTICS_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "lm_client/prover_heuristics.h"

namespace thor::coq {

// "auto", "easy", "lia", "firstorder", "intuition", "sauto", "hauto".
std::vector<std::string> CoqFixedSteps();

// Variables of the first goal in a Coq goal display (the state text) that an
// induction could split: hypotheses shown above the `=====` line and the
// binders of the conclusion's top-level `forall`s, in display order, those
// typed by a recursive datatype of the standard library (nat, list,
// positive) first, then the others typed by a lowercase type constant; sorts
// (Type, Set, Prop) and functions are left out. At most `max` names.
std::vector<std::string> CoqInductionVariables(const std::string& state_text, size_t max);

// Induction steps on a proof of an inductive predicate (`Permutation l l'`,
// `NoDup l`, `n <= m`), which CoqInductionVariables does not name: `induction
// k; sauto` for one premise of the conclusion (the parts before its `->`s at
// depth 0, not `<->`, each past its own `forall` binders), k being its place
// among them: the first headed by an uppercase name, else the first that is
// an order (`<=`, `<`, `>=`, `>` at depth 0: le, lt) or headed by a lowercase
// name; `=` and `<>` premises, heads that are local names (a predicate `P x`
// of the goal), sorts, functions and `forall` types are never chosen. Then
// `induction H; sauto` for the last hypothesis of the first goal whose type
// has an uppercase head that is no local name (a lowercase one is
// CoqInductionVariables's). At most two steps. Off in the default heuristics
// (CoqHeuristics(proof_inductions)): it tied on training theorems (README).
std::vector<std::string> CoqProofInductions(const std::string& state_text);

// The global names a Coq tactic uses as premises, as written: what `apply`,
// `eapply`, `rapply`, `exact`, `eexact` take, every rewrite rule of
// `rewrite`, `erewrite`, `setoid_rewrite`, and the lists after `using` and
// `use:`; the head of an applied term (`rewrite (foo x y)` gives foo),
// past `<-`, `->`, `!`, `?`, counts and `@`. Words starting with '$' (a
// template's hypothesis and binder places) and `_` are not names, nor are
// names without a '_' or '.' (H, IHl, Hin: what the tactic's own intros
// named). In order, without repeats.
std::vector<std::string> CoqTacticLemmas(const std::string& tactic);

// The head of a Coq proposition's conclusion (a statement's type or a goal's
// conclusion), past its `forall` binders and its premises (the parts before
// each `->` at depth 0, not `<->`), and any brackets around the rest: "<->",
// "\/" or "/\" when one is at depth 0 (with the head of its left side
// after a space); "~ h" for a negation of h; a relation at depth 0 (`=`,
// `<>`, `<=`, `<`, `>=`, `>`, `==`) with the head of its left side ("= length"
// for `length (l ++ l') = ...`); "exists" for an existential; "{" for a
// sig or sumbool type; else the applied name (`@` dropped, qualified names
// whole: "Permutation" for `Permutation (a :: l) l'`). Empty when there is
// none (a bare variable still gives its name).
std::string CoqConclusionHead(absl::string_view proposition);

class CoqHeuristics : public ProverHeuristics {
 public:
  // `proof_inductions`: CheapSteps also gives CoqProofInductions(state_text).
  explicit CoqHeuristics(bool proof_inductions = false) : proof_inductions_(proof_inductions) {}

  // Induction steps per state: `induction x; sauto` for the first
  // kInductionVariables of CoqInductionVariables(state_text), after the fixed
  // list. The hammer alone cannot do induction; the search can.
  static constexpr size_t kInductionVariables = 3;

  // CoqFixedSteps(), then the induction steps for this state (and, with
  // proof_inductions, CoqProofInductions after them).
  std::vector<std::string> CheapSteps(const std::string& state_text) const override;

  // CoqContextItems(context) (coq_context_items.h).
  std::vector<ContextItem> ContextItems(const std::string& context) const override;

  // CoqTacticLemmas(tactic).
  std::vector<std::string> Lemmas(const std::string& tactic) const override;
  // `sauto use: L1, ..., Ln` (base `sauto`), then `induction x; sauto use:
  // ...` (base `induction x; sauto`) for the first of
  // CoqInductionVariables(state_text); none without lemmas.
  std::vector<HintedStep> HintedSteps(const std::string& state_text,
                                      const std::vector<std::string>& lemmas) const override;
  // The bare name in its own file; elsewhere, for a file under a
  // `theories/` folder (Coq's standard library), the qualified name
  // (`.../theories/Sorting/Permutation.v`, `Permutation_in` gives
  // `Coq.Sorting.Permutation.Permutation_in`), which resolves whenever the
  // library is loaded, imported or not; otherwise the bare name.
  std::string LemmaName(const std::string& file_path, const std::string& theorem,
                        bool same_file) const override;
  // `intros; apply L`, `intros; eauto using L`, `intros; now rewrite L`.
  std::vector<std::string> LemmaSteps(const std::string& lemma) const override;
  // Lemma, Theorem, Corollary, Proposition, Fact, Remark, Example and
  // Property sentences of CoqContextItems(context), by their bare name, with
  // CoqConclusionHead of their type (SplitStatementSentence's, coq_kernel.h).
  std::vector<StatedLemma> StatedLemmas(const std::string& context) const override;
  // CoqConclusionHead of the first goal's conclusion in a goal display.
  std::string GoalHead(const std::string& state_text) const override;

 private:
  bool proof_inductions_;
};

}  // namespace thor::coq

#endif  // THOR_COQ_BRIDGE_COQ_HEURISTICS_H_
