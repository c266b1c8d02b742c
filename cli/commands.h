// One function per `thor` subcommand, each defined in cli/cmd_<name>.cc.
#ifndef THOR_CLI_COMMANDS_H_
#define THOR_CLI_COMMANDS_H_

#include "cli/cli.h"

namespace thor {

Subcommand ServeCommand();
Subcommand ProveCommand();
Subcommand SuggestCommand();
Subcommand HammerCommand();
Subcommand CheckCommand();
Subcommand EvalCommand();
Subcommand ExtractCommand();
Subcommand TrainCommand();

}  // namespace thor

#endif  // THOR_CLI_COMMANDS_H_
