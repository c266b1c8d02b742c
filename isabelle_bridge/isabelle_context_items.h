// The named items of an Isabelle theory context for the model policies'
// prompt (ProverHeuristics::ContextItems): definitions, functions, datatypes
// with their constructors, lemma statements (up to their proofs), notations.
#ifndef THOR_ISABELLE_BRIDGE_ISABELLE_CONTEXT_ITEMS_H_
#define THOR_ISABELLE_BRIDGE_ISABELLE_CONTEXT_ITEMS_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "lm_client/prover_heuristics.h"

namespace thor::isabelle {

// The items of `context` in source order: each runs from its command
// (definition, abbreviation, fun, function, primrec, inductive, datatype,
// codatatype, type_synonym, record, consts, lemma, theorem, corollary,
// proposition, lemmas, notation) to the next command word, so a lemma's
// proof is left out. Names: the defined (or the lemma's) name, a
// datatype's constructors, and the symbols of a mixfix annotation
// ("(infixl "+++" 65)" -> "+++"). Unnamed lemmas are skipped; text the
// lexer refuses (LexIsabelle) gives no items.
std::vector<ContextItem> IsabelleContextItems(absl::string_view context);

}  // namespace thor::isabelle

#endif  // THOR_ISABELLE_BRIDGE_ISABELLE_CONTEXT_ITEMS_H_
