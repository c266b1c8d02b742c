// Where PISA's files go and which session (logic) PISA will start. PisaOS
// infers the logic from the theory file's path (PisaOS.scala); Thor makes the
// session explicit in its configuration instead, and lays files out so that
// PISA's inference yields exactly that session, or refuses with a message.
#ifndef THOR_ISABELLE_BRIDGE_PISA_LAYOUT_H_
#define THOR_ISABELLE_BRIDGE_PISA_LAYOUT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "search/types.h"

namespace thor::isabelle {

// The session PisaOS starts for a theory file and working directory:
//  path contains "afp"          -> first directory after "thys/" in `working_directory`;
//  "Isabelle" and "/src/"       -> directories after "/src/" joined with '-';
//  "miniF2F"                    -> the last component of `working_directory`;
// otherwise InvalidArgument (PISA: "This is not supported at the moment").
absl::StatusOr<std::string> PisaInferredSession(const std::string& theory_file,
                                                const std::string& working_directory);

// What a PISA session is started on.
struct PisaTarget {
  std::string theory_file;        // IsabelleContext's argument.
  std::string working_directory;  // IsabelleWorkingDirectory's argument.
  std::string statement;          // `<proceed after>`'s argument (raw text).
  std::string session;            // The logic PISA will start.
  bool staged = false;            // theory_file was written by Thor.
};

struct LayoutOptions {
  std::string staging_dir;  // Thor writes theory files under <staging_dir>/miniF2F/<session>/.
  std::string afp_dir;      // Local AFP (holds thys/); "" if none.
  // Appended to a staged theory's name, so that sessions on the same
  // theorem each own (and remove) their own file.
  std::string name_suffix;
};

// Chooses the files for `theorem`:
//  - theorem.file_path exists and PISA infers the theorem's session from it (with
//    its working directory, or <afp>/thys/<session> for AFP files): use it;
//  - otherwise write a theory (imports, context, statement) where PISA infers
//    the session: <staging_dir>/miniF2F/<session>/ for distribution sessions
//    (HOL, HOL-*), <afp>/thys/<session>/ for AFP sessions (as DSP does).
// InvalidArgument names what is missing (e.g. an AFP session without afp_dir).
absl::StatusOr<PisaTarget> ResolvePisaTarget(const Theorem& theorem,
                                             const LayoutOptions& options);

// True for sessions shipped with Isabelle (Pure, HOL, HOL-*).
bool IsDistributionSession(const std::string& session);

// A theory's text: header with `imports`, then `context`, `statement`, and
// `proof` (joined by newlines), then "end".
std::string RenderTheory(const std::string& name, const std::vector<std::string>& imports,
                         const std::string& context, const std::string& statement,
                         const std::string& proof);

}  // namespace thor::isabelle

#endif  // THOR_ISABELLE_BRIDGE_PISA_LAYOUT_H_
