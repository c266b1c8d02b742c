// What the policies need from a prover: the cheap steps worth trying on a
// proof state before the hammer (the heuristic policy), the theorem's
// context split into named items (the model policies' prompt), and the
// lemmas a tactic uses with steps that hand lemmas to automation (the k-NN
// policy's learnt premises). Each bridge
// implements it (it alone knows its tactics, its goal display and its
// source syntax); the composition root (provers/) hands the policies one
// per prover name.
#ifndef THOR_LM_CLIENT_PROVER_HEURISTICS_H_
#define THOR_LM_CLIENT_PROVER_HEURISTICS_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace thor {

// One definition, lemma statement, notation, ... of a theorem's context.
struct ContextItem {
  // What a goal may mention to make the item relevant: the defined name(s)
  // (constructors, fields, ...) or a notation's symbols, as they appear in
  // the prover's goal display.
  std::vector<std::string> names;
  std::string text;  // As in the source (a lemma: its statement only).
};

class ProverHeuristics {
 public:
  virtual ~ProverHeuristics() = default;
  // The cheap steps for `state_text` (the prover's goal display, possibly
  // empty), best first. Pure: the same text gives the same list.
  virtual std::vector<std::string> CheapSteps(const std::string& state_text) const = 0;
  // The named items of `context` (Theorem::context: the source before the
  // statement), in source order. Pure; text the bridge cannot read is
  // skipped (never an error: the prompt merely has less context). Default:
  // none.
  virtual std::vector<ContextItem> ContextItems(const std::string& /*context*/) const {
    return {};
  }
  // The library lemmas a tactic names as premises (what it applies,
  // rewrites with, or hands an automatic tactic), as written, in order,
  // without repeats. Words starting with '$' (a tactic template's local
  // names) are never lemmas. Pure. Default: none.
  virtual std::vector<std::string> Lemmas(const std::string& /*tactic*/) const { return {}; }
  // Cheap steps for `state_text` that hand `lemmas` (names as Lemmas gives
  // them, most wanted first) to the prover's automation, best first; none
  // when `lemmas` is empty. Each extends one of CheapSteps(state_text), its
  // `base`, whose place in the heuristic order it shares. The k-NN policy
  // fills `lemmas` with what the nearest proofs used: premise selection
  // learnt from the library. Pure. Default: none.
  struct HintedStep {
    std::string step;
    std::string base;
  };
  virtual std::vector<HintedStep> HintedSteps(const std::string& /*state_text*/,
                                              const std::vector<std::string>& /*lemmas*/) const {
    return {};
  }
  // How a proof refers to `theorem`, a theorem of the library file
  // `file_path` (a path as the extraction recorded it); `same_file`: the
  // proof is in that file, after it. Pure. Default: the bare name.
  virtual std::string LemmaName(const std::string& /*file_path*/, const std::string& theorem,
                                bool /*same_file*/) const {
    return theorem;
  }
  // Steps that use the lemma `lemma` (a name as LemmaName gives it) to
  // close or reduce a goal shaped like its statement, best first. The k-NN
  // policy proposes them for the theorems whose statements are nearest to
  // the goal. Pure. Default: none.
  virtual std::vector<std::string> LemmaSteps(const std::string& /*lemma*/) const { return {}; }
  // A lemma stated in a theorem's context, with the head of its conclusion.
  struct StatedLemma {
    std::string name;
    std::string head;
  };
  // The lemmas `context` (Theorem::context: the source before the
  // statement, so only lemmas before the theorem) states, in source order,
  // each named as a proof after it refers to it, with the head of its
  // conclusion as GoalHead gives a goal's. Pure. Default: none.
  virtual std::vector<StatedLemma> StatedLemmas(const std::string& /*context*/) const {
    return {};
  }
  // The head of the focused goal's conclusion in `state_text`, past its
  // binders and premises (what `intros; apply L` needs L to conclude): the
  // predicate or constant applied, or a relation with the head of its left
  // side. Empty when there is no goal or no head. Pure. Default: empty.
  virtual std::string GoalHead(const std::string& /*state_text*/) const { return ""; }
};

// By prover name (Theorem::prover).
using ProverHeuristicsMap = std::map<std::string, std::shared_ptr<const ProverHeuristics>>;

}  // namespace thor

#endif  // THOR_LM_CLIENT_PROVER_HEURISTICS_H_
