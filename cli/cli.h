// The `thor` command line: subcommands, each with its own flags and --help.
#ifndef THOR_CLI_CLI_H_
#define THOR_CLI_CLI_H_

#include <functional>
#include <string>
#include <vector>

namespace thor {

struct Subcommand {
  std::string name;     // "prove"
  std::string usage;    // "thor prove [flags] --statement=TEXT"
  std::string summary;  // One line for `thor --help`.
  std::string details;  // Paragraphs for `thor prove --help`.
  // Names of the (Abseil) flags this subcommand accepts.
  std::vector<std::string> flags;
  // Runs the subcommand on its positional arguments (flags already parsed).
  // Returns the process exit code. Null means "not built yet".
  std::function<int(const std::vector<std::string>& args)> run;
};

// Every subcommand, in the order `thor --help` lists them.
std::vector<Subcommand> AllSubcommands();

// Parses argv, dispatches to a subcommand and returns the exit code:
// 0 for success and help, 2 for usage errors (unknown subcommand or flag),
// 3 for a subcommand that is not built yet, else the subcommand's own code.
int RunCli(int argc, char** argv);

}  // namespace thor

#endif  // THOR_CLI_CLI_H_
