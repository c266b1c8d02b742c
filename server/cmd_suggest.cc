// `thor suggest`: not built yet; it explains itself in --help and exits 3.
#include "server/commands.h"

namespace thor {

Subcommand SuggestCommand() {
  return {"suggest",
          "thor suggest [flags]",
          "Print ranked next steps for a proof state, optionally tried in the prover.",
          "",
          {},
          nullptr};
}

}  // namespace thor
