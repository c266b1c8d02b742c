// `thor prove`: not built yet; it explains itself in --help and exits 3.
#include "server/commands.h"

namespace thor {

Subcommand ProveCommand() {
  return {"prove",
          "thor prove [flags]",
          "Search for a proof of one theorem (in-process, or on a server).",
          "Runs best-first search with a policy (the built-in heuristic by default) and\n"
          "the hammer, then re-checks the proof in a fresh prover.",
          {},
          nullptr};
}

}  // namespace thor
