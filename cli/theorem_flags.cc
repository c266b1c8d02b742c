#include "cli/theorem_flags.h"

#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "cli/flag_groups.h"
#include "cli/local_theorem.h"
#include "provers/provers.h"
#include "server/security.h"

// Theorem.
ABSL_FLAG(std::string, prover, thor::kDefaultProver,
          "Prover, a name of provers/provers.cc (an unknown one is answered with the list).");
ABSL_FLAG(std::string, statement, "",
          "The statement, as the prover reads it (e.g. 'Lemma t : forall n : nat, n + 0 = n.').");
ABSL_FLAG(std::string, context, "", "Text before the statement (definitions, lemmas).");
ABSL_FLAG(std::string, context_file, "", "File holding the context.");
ABSL_FLAG(std::string, name, "", "Name of the theorem for logs and results.");
ABSL_FLAG(std::vector<std::string>, imports, {},
          "Libraries to load (the prover's import lines or theory names).");
ABSL_FLAG(std::string, theorem_file, "", "File holding the theorem (a theory or source file).");
ABSL_FLAG(std::string, session, "",
          "Theorem.session: the logic to load, for provers that have sessions (e.g. HOL).");
ABSL_FLAG(std::string, working_directory, "",
          "Theorem.working_directory: the folder the prover works in, for provers that need one.");
ABSL_FLAG(std::vector<std::string>, allowed_axioms, {},
          "Axioms the proof may rest on, fully qualified as the prover's kernel names them; "
          "default none.");

namespace thor {

const char* const kTheoremFlags = __FILE__;

absl::StatusOr<v1::Theorem> TheoremFromFlags() {
  v1::Theorem t;
  t.set_prover(absl::GetFlag(FLAGS_prover));
  t.set_statement(absl::GetFlag(FLAGS_statement));
  t.set_name(absl::GetFlag(FLAGS_name));
  std::string context = absl::GetFlag(FLAGS_context);
  if (!absl::GetFlag(FLAGS_context_file).empty()) {
    absl::StatusOr<std::string> text = ReadTextFile(absl::GetFlag(FLAGS_context_file));
    if (!text.ok()) return text.status();
    context = *text + context;
  }
  t.set_context(context);
  for (const std::string& i : absl::GetFlag(FLAGS_imports)) t.add_imports(i);
  t.set_file_path(absl::GetFlag(FLAGS_theorem_file));
  t.set_session(absl::GetFlag(FLAGS_session));
  t.set_working_directory(absl::GetFlag(FLAGS_working_directory));
  for (const std::string& a : absl::GetFlag(FLAGS_allowed_axioms)) t.add_allowed_axioms(a);
  if (t.statement().empty()) {
    return absl::InvalidArgumentError("--statement: required (the statement to work on)");
  }
  // The user's own file is read here, in the user's process, for provers
  // whose module asks for it; the server (in-process or remote) gets its
  // text, not its path.
  if (absl::Status s = InlineTheoremFile(&t); !s.ok()) {
    return absl::Status(s.code(), absl::StrCat("--theorem_file: ", s.message()));
  }
  return t;
}

}  // namespace thor
