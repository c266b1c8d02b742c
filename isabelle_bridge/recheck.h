// Re-checks a found proof as a whole theory in a fresh Isabelle session,
// through `isabelle server` (session_start, use_theories, purge_theories,
// session_stop), before the proof counts.
#ifndef THOR_ISABELLE_BRIDGE_RECHECK_H_
#define THOR_ISABELLE_BRIDGE_RECHECK_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "isabelle_bridge/config.h"
#include "search/types.h"

namespace thor::isabelle {

// Fills in the imports and context of a theorem given only by its file
// (PISA's test lists: file_path and statement): the file's header imports
// and its text between `begin` and the statement. Theorems with imports or
// context are returned unchanged. InvalidArgument if the statement is not in
// the file or the header cannot be read.
absl::StatusOr<Theorem> CompleteFromFile(const Theorem& theorem);

// The theory Thor re-checks, assembled from parts the rules validated
// (ValidateIsabelleTheorem, CheckIsabelleStep): header `theory THEORY_NAME
// imports ...`, the context, the statement renamed to `goal_name`, the steps
// (one per line), `thm_oracles goal_name`, `end`. InvalidArgument or
// PermissionDenied from the rules.
absl::StatusOr<std::string> RecheckTheoryText(const Theorem& theorem,
                                              const std::vector<std::string>& steps,
                                              const std::string& theory_name,
                                              const std::string& goal_name);

// The oracle names in the messages thm_oracles printed (Pretty.big_list
// "oracles:" with one item per oracle; see README). nullopt if no message is
// such a report.
std::optional<std::vector<std::string>> ParseThmOracles(const std::vector<std::string>& messages);

// The byte offset in `raw` just after the text whose PISA-normalised form is
// `normalized` (see NormalizeTransitionText); npos if absent.
size_t FindNormalizedEnd(const std::string& raw, const std::string& normalized);

// Runs the re-check on the Isabelle server of `server` (connecting, or
// starting `server.command`): validates the theorem and every step, writes
// RecheckTheoryText into a fresh scratch directory (removed afterwards; never
// next to a client-named file), starts the session with quick_and_dirty off
// and runs use_theories. kPassed iff use_theories reports ok with no errors
// AND thm_oracles reports only oracles in theorem.allowed_axioms (`axioms`:
// those, `checkers`: isabelle, thm_oracles); kFailed quotes Isabelle's first
// errors, or names a refused step, or lists the oracles not allowed in
// `axioms`; kSkipped if no server is configured; kError if the server could
// not be used or printed no oracle report (message says why).
RecheckResult RecheckTheory(const IsabelleServerConfig& server,
                            const std::string& default_session, const Theorem& theorem,
                            const std::vector<std::string>& steps, absl::Duration timeout);

}  // namespace thor::isabelle

#endif  // THOR_ISABELLE_BRIDGE_RECHECK_H_
