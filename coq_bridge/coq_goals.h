// Coq's goal display (what coqtop -emacs prints after a step or `Show.`)
// read back into structured goals: hypotheses (names, type, the body of a
// local definition) and conclusion. Pure functions.
#ifndef THOR_COQ_BRIDGE_COQ_GOALS_H_
#define THOR_COQ_BRIDGE_COQ_GOALS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "search/prover.h"

namespace thor::coq {

// The goals of a Coq 8.16 goal display, in order:
//
//   2 goals (ID 12)
//     
//     n, m : nat
//     k := n + m : nat
//     ============================
//     n + m = k
//
//   goal 2 (ID 13) is:
//    m = m
//
// coqtop shows the hypotheses of the first goal only; the other goals come
// with their conclusion alone (no hypotheses). Long terms that Coq wrapped
// over several lines are joined with single spaces. Text before the first
// goal (a tactic's messages, the goal count) is skipped. A display with no
// "=====" line ("This subproof is complete, but there are some
// unfocused goals.") lists the goals of its "goal N is:" lines; a text
// with neither is returned unparsed as one conclusion; an empty text has no
// goal.
std::vector<StructuredGoal> ParseCoqGoals(absl::string_view display);

// One hypothesis line ("m, n : nat", "k := n + m : nat", continuation lines
// already joined). The colon that ends the names (or the body) is the first
// one outside brackets and outside binders (fun x : T => ..., forall x : T,
// ...), so a body such as "fun x : nat => x" keeps its own. False if the
// text has no such colon or a name is not an identifier.
bool ParseCoqHypothesis(absl::string_view text, GoalHypothesis* out);

// True if a goal display (the output of `Show.` or of a step) says the proof
// has no goals left. Coq's own line is the last one printed and comes with no
// goal display; a goal whose conclusion a printing notation renders as "No
// more goals." (or a message printing it) comes with the display's "====="
// separator line, so it does not count.
bool CoqNoGoalsLeft(absl::string_view display);

}  // namespace thor::coq

#endif  // THOR_COQ_BRIDGE_COQ_GOALS_H_
