// The table of `thor` subcommands, in the order `thor --help` lists them.
// Each lives in its own cmd_<name>.cc with its flags and exposes a
// `Subcommand <Name>Command()` (commands.h): adding one is that file and a
// line here. A table rather than self-registration, because a static library
// drops object files nothing references, and --help's order would follow the
// link order.
#include "cli/cli.h"
#include "cli/commands.h"

namespace thor {

std::vector<Subcommand> AllSubcommands() {
  return {ServeCommand(), ProveCommand(), SuggestCommand(),
          HammerCommand(), CheckCommand(), EvalCommand(), ExtractCommand(),
          TrainCommand()};
}

}  // namespace thor
