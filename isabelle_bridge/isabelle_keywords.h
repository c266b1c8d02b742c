// Isar command keywords, as data for the rules (isabelle_rules.cc). Isabelle
// lexes a word that is a command keyword as a command wherever it stands
// (outside strings), so the rules look every word up here.
#ifndef THOR_ISABELLE_BRIDGE_ISABELLE_KEYWORDS_H_
#define THOR_ISABELLE_BRIDGE_ISABELLE_KEYWORDS_H_

#include "absl/strings/string_view.h"

namespace thor::isabelle {

// Proof commands a step may contain (the allow-list).
bool IsAllowedProofCommand(absl::string_view word);

// Any command of Pure, HOL and the HOL-* sessions Thor's benchmarks import,
// or a word shaped like a command that loads code or files (ML*, SML*,
// *_setup, *_translation, export_*, *_file, *_files).
bool IsCommandKeyword(absl::string_view word);

// Commands a theory context may not contain: ML and code execution, files,
// axioms and oracles, a second theory header.
bool IsForbiddenContextCommand(absl::string_view word);

// Words refused anywhere, strings and comments included: cheats, ML-running
// methods, code evaluation. Returns why, or "" if `word` is none of them.
absl::string_view CheatReason(absl::string_view word);

}  // namespace thor::isabelle

#endif  // THOR_ISABELLE_BRIDGE_ISABELLE_KEYWORDS_H_
