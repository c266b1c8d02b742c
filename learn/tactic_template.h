// A tactic as the k-NN model stores it: the state's own names replaced by
// placeholders, so a step learnt on one goal can be replayed on another with
// other names. "$h<K>" is the hypothesis K places from the last one (0: the
// newest, which is the one tactics name most often); "$b<K>" is the K-th
// variable the focused conclusion binds (forall, exists, fun) that is not a
// hypothesis. Names not in the state (lemmas, fresh names) stay as written.
#ifndef THOR_LEARN_TACTIC_TEMPLATE_H_
#define THOR_LEARN_TACTIC_TEMPLATE_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "learn/state_text.h"

namespace thor::learn {

struct TacticTemplate {
  std::string text;  // Whitespace collapsed, placeholders in place of local names.
  // For each hypothesis placeholder used: K and the hypothesis's type with
  // local names abstracted, so adaptation can prefer a hypothesis of the
  // same type over one merely at the same place.
  std::vector<std::pair<int, std::string>> hypothesis_types;
};

// The local names of a goal: its hypotheses (display order) and the
// variables its conclusion binds that are not hypotheses.
struct LocalNames {
  std::vector<std::string> hypotheses;
  std::vector<std::string> hypothesis_types;  // Abstracted (AbstractType), parallel.
  std::vector<std::string> binders;
};
LocalNames LocalNamesOf(const TextGoal& goal);

// `type`'s tokens with local names as "$v", joined by spaces.
std::string AbstractType(absl::string_view type, const LocalNames& names);

// Whitespace collapsed outside strings (runs become one space).
std::string NormalizeTactic(absl::string_view tactic);

// The template of `tactic` in a state with `names`. nullopt if the tactic
// already contains '$' (it could not be told from a placeholder).
std::optional<TacticTemplate> MakeTemplate(absl::string_view tactic, const LocalNames& names);

// The template's text with each placeholder replaced by a name of `names`:
// $bK by the K-th binder; $hK by the hypothesis whose type matches the
// recorded one, nearest to K places from the end, else the one K places
// from the end; distinct placeholders get distinct hypotheses where
// possible. nullopt when a placeholder has no name here.
std::optional<std::string> Instantiate(const TacticTemplate& t, const LocalNames& names);

// The first part of a compound tactic, as a step of its own: "t1" of
// "t1; t2; ..." (a ';' outside brackets, parentheses and strings), or "t" of
// "now t"; with the sentence's final '.' when the tactic has one. nullopt for
// a tactic with no such part, or one with a match or a let (whose ';'
// cannot be told apart without parsing).
std::optional<std::string> FirstComponent(absl::string_view tactic);

// Serialisation of hypothesis_types for the model file: "K\ttype\n"...
std::string EncodeHypothesisTypes(const std::vector<std::pair<int, std::string>>& types);
std::vector<std::pair<int, std::string>> DecodeHypothesisTypes(absl::string_view text);

}  // namespace thor::learn

#endif  // THOR_LEARN_TACTIC_TEMPLATE_H_
