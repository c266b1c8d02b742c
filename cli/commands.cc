// The table of `thor` subcommands. Each subcommand's code lives in its own
// cmd_<name>.cc and exposes a `Subcommand <Name>Command()` declared below.
#include "cli/cli.h"
#include "cli/commands.h"

namespace thor {

std::vector<Subcommand> AllSubcommands() {
  return {ServeCommand(), ProveCommand(), SuggestCommand(),
          HammerCommand(), CheckCommand(), EvalCommand()};
}

}  // namespace thor
