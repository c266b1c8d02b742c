// The `thor` command line: subcommands, each with its own flags and --help.
#ifndef THOR_CLI_CLI_H_
#define THOR_CLI_CLI_H_

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/status/statusor.h"
#include "server/config.h"
#include "server/registry.h"

namespace thor {

// Builds the prover backends and policies a server configuration names. The
// composition root (app/) supplies it: the CLI itself knows no concrete
// prover or policy, so a test binary can hand in simulated ones.
using RegistryFactory =
    std::function<absl::StatusOr<std::shared_ptr<Registry>>(const ServerConfig&)>;

// What a subcommand runs with, its flags already parsed.
struct CommandContext {
  std::vector<std::string> args;    // Positional arguments.
  std::set<std::string> given;      // Names of the flags on the command line.
  RegistryFactory build_registry;   // For the server it serves or runs in-process.

  // True if the user gave `flag` on this command line (with any value, its
  // default included). Requests carry only such flags; the server's own
  // defaults fill in the rest.
  template <typename T>
  bool Given(const absl::Flag<T>& flag) const {
    return given.count(std::string(absl::GetFlagReflectionHandle(flag).Name())) > 0;
  }
};

struct Subcommand {
  std::string name;     // "prove"
  std::string usage;    // "thor prove [flags] --statement=TEXT"
  std::string summary;  // One line for `thor --help`.
  std::string details;  // Paragraphs for `thor prove --help`.
  // The source files whose (Abseil) flags this subcommand accepts: its own
  // (__FILE__) and the flag groups it takes (cli/flag_groups.h). The flags
  // are found there by reflection, so no list of flag names is kept by hand.
  std::vector<const char*> flag_files;
  // Flags the prover bridges define for this subcommand, by name, as
  // provers/ and eval/ list them (ProverServerFlagNames, SuiteFlagNames):
  // a bridge defines its flags next to its module, so cli/ names none.
  std::vector<std::string> module_flags;
  // Runs the subcommand; returns the process exit code.
  std::function<int(const CommandContext&)> run;
};

// The flags `cmd` accepts: those of its flag_files (by file, in order), then
// its module_flags (in order; a name no linked file defines is left out).
std::vector<const absl::CommandLineFlag*> FlagsOf(const Subcommand& cmd);

// Every subcommand, in the order `thor --help` lists them (cli/commands.cc).
std::vector<Subcommand> AllSubcommands();

// Parses argv, dispatches to a subcommand and returns the exit code:
// 0 for success and help, 2 for usage errors (unknown subcommand or flag),
// else the subcommand's own code.
int RunCli(int argc, char** argv, RegistryFactory build_registry);

}  // namespace thor

#endif  // THOR_CLI_CLI_H_
