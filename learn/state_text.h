// A proof state as the policy sees it: the prover's goal display, read into
// goals with named hypotheses. The k-NN policy reads the display text, never
// the structured fields of an extraction record, so training and queries see
// the same thing (a policy is handed text only, search/policy.h).
#ifndef THOR_LEARN_STATE_TEXT_H_
#define THOR_LEARN_STATE_TEXT_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace thor::learn {

struct TextHypothesis {
  std::string name;
  std::string type;  // Whitespace collapsed; a local definition's "body : type" as shown.
};

struct TextGoal {
  std::vector<TextHypothesis> hypotheses;  // Display order; "x, y : T" gives two.
  std::string conclusion;                  // Whitespace collapsed.
};

// Reads a Coq-style display ("N goals (ID k)", hypotheses "names : type",
// a line of '=', the conclusion, then "goal 2 (ID k) is:" and further
// conclusions). Text without a '=' line is one goal whose conclusion is the
// whole text (e.g. an Isabelle display). Empty text gives no goal.
std::vector<TextGoal> ParseStateText(absl::string_view text);

// The variables a conclusion binds (forall, exists, fun), in order of first
// appearance, without repeats.
std::vector<std::string> BinderNames(absl::string_view conclusion);

// Identifier-or-symbol tokens of a term: identifiers (with dots inside
// qualified names and primes), numbers, and runs of symbol characters;
// brackets are tokens of their own.
std::vector<std::string> TermTokens(absl::string_view term);

// Characters of Coq identifiers (any non-ASCII byte counts as a letter).
bool IsIdentStart(char c);
bool IsIdentChar(char c);

// Runs of whitespace become one space; leading and trailing space go.
std::string CollapseWhitespace(absl::string_view text);

}  // namespace thor::learn

#endif  // THOR_LEARN_STATE_TEXT_H_
