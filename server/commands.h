// One function per `thor` subcommand, each defined in server/cmd_<name>.cc.
#ifndef THOR_SERVER_COMMANDS_H_
#define THOR_SERVER_COMMANDS_H_

#include "server/cli.h"

namespace thor {

Subcommand ServeCommand();
Subcommand ProveCommand();
Subcommand SuggestCommand();
Subcommand HammerCommand();
Subcommand CheckCommand();
Subcommand EvalCommand();

}  // namespace thor

#endif  // THOR_SERVER_COMMANDS_H_
