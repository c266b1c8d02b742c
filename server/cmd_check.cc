// `thor check`: not built yet; it explains itself in --help and exits 3.
#include "server/commands.h"

namespace thor {

Subcommand CheckCommand() {
  return {"check",
          "thor check [flags]",
          "Re-check a complete proof in a fresh prover process.",
          "",
          {},
          nullptr};
}

}  // namespace thor
