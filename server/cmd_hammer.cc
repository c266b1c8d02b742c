// `thor hammer`: not built yet; it explains itself in --help and exits 3.
#include "server/commands.h"

namespace thor {

Subcommand HammerCommand() {
  return {"hammer",
          "thor hammer [flags] PROBLEM.p",
          "Run premise selection and the ATP portfolio on a TPTP problem.",
          "Prints '% SZS status <Status> for <name>', the winning slice and the used premises.",
          {},
          nullptr};
}

}  // namespace thor
