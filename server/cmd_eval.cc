// `thor eval`: not built yet; it explains itself in --help and exits 3.
#include "server/commands.h"

namespace thor {

Subcommand EvalCommand() {
  return {"eval",
          "thor eval [flags]",
          "Evaluate a benchmark suite (MiniF2F, PISA, coq-stdlib, JSONL) resumably.",
          "",
          {},
          nullptr};
}

}  // namespace thor
