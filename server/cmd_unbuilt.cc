// Subcommands whose code has not landed yet: they explain themselves in
// --help and exit 3 when run.
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

Subcommand SuggestCommand() {
  return {"suggest",
          "thor suggest [flags]",
          "Print ranked next steps for a proof state, optionally tried in the prover.",
          "",
          {},
          nullptr};
}

Subcommand HammerCommand() {
  return {"hammer",
          "thor hammer [flags] PROBLEM.p",
          "Run premise selection and the ATP portfolio on a TPTP problem.",
          "Prints '% SZS status <Status> for <name>', the winning slice and the used premises.",
          {},
          nullptr};
}

Subcommand CheckCommand() {
  return {"check",
          "thor check [flags]",
          "Re-check a complete proof in a fresh prover process.",
          "",
          {},
          nullptr};
}

Subcommand EvalCommand() {
  return {"eval",
          "thor eval [flags]",
          "Evaluate a benchmark suite (MiniF2F, PISA, coq-stdlib, JSONL) resumably.",
          "",
          {},
          nullptr};
}

}  // namespace thor
