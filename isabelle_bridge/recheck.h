// Re-checks a found proof as a whole theory in a fresh Isabelle session,
// through `isabelle server` (session_start, use_theories, purge_theories,
// session_stop), before the proof counts.
#ifndef THOR_ISABELLE_BRIDGE_RECHECK_H_
#define THOR_ISABELLE_BRIDGE_RECHECK_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "isabelle_bridge/config.h"
#include "search/types.h"

namespace thor::isabelle {

// The theory text that states `theorem` and proves it with `steps`, named
// `theory_name`: the theorem's own file up to its statement when that file
// exists (theory renamed), else its imports and context.
// InvalidArgument if the statement is not found in the file.
absl::StatusOr<std::string> RecheckTheoryText(const Theorem& theorem,
                                              const std::vector<std::string>& steps,
                                              const std::string& theory_name);

// The byte offset in `raw` just after the text whose PISA-normalised form is
// `normalized` (see NormalizeTransitionText); npos if absent.
size_t FindNormalizedEnd(const std::string& raw, const std::string& normalized);

// Runs the re-check on the Isabelle server of `server` (connecting, or
// starting `server.command`). kPassed iff use_theories reports ok with no
// errors; kFailed quotes Isabelle's first errors; kSkipped if no server is
// configured; kError if the server could not be used (message says why).
RecheckResult RecheckTheory(const IsabelleServerConfig& server,
                            const std::string& default_session, const Theorem& theorem,
                            const std::vector<std::string>& steps, absl::Duration timeout);

}  // namespace thor::isabelle

#endif  // THOR_ISABELLE_BRIDGE_RECHECK_H_
