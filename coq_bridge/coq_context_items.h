// The named items of a Coq context for the model policies' prompt
// (ProverHeuristics::ContextItems): definitions, inductive types with their
// constructors, records with their fields, lemma statements (their proofs
// are other sentences, left out), notations by their symbols.
#ifndef THOR_COQ_BRIDGE_COQ_CONTEXT_ITEMS_H_
#define THOR_COQ_BRIDGE_COQ_CONTEXT_ITEMS_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "lm_client/prover_heuristics.h"

namespace thor::coq {

// The items of `context` in source order, each the text of its one sentence.
// Names: the defined name; an Inductive's (Variant's, CoInductive's)
// constructors; a Record's (Structure's, Class's) constructor and fields; a
// Notation's or Infix's symbols and quoted words ("x ++ y" -> "++";
// "'sum' x" -> "sum"), or an abbreviation's name. Text the Coq lexer
// refuses (LexUnits) gives no items.
std::vector<ContextItem> CoqContextItems(absl::string_view context);

}  // namespace thor::coq

#endif  // THOR_COQ_BRIDGE_COQ_CONTEXT_ITEMS_H_
