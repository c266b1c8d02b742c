#include "cli/cli.h"

#include <algorithm>
#include <iostream>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"

namespace thor {
namespace {

constexpr char kOverview[] =
    "thor: best-first proof search with a language model and a hammer\n"
    "(premise selection + automated theorem provers), as a service.\n\n"
    "usage: thor <subcommand> [flags] [args]\n\n"
    "subcommands:\n";

void PrintOverview(std::ostream& os, const std::vector<Subcommand>& commands) {
  os << kOverview;
  for (const Subcommand& c : commands) {
    os << "  " << c.name << std::string(10 - std::min<size_t>(c.name.size(), 9), ' ')
       << c.summary << "\n";
  }
  os << "\nRun 'thor <subcommand> --help' for a subcommand's flags.\n";
}

void PrintSubcommandHelp(const Subcommand& c) {
  std::cout << "usage: " << c.usage << "\n\n" << c.summary << "\n";
  if (!c.details.empty()) std::cout << "\n" << c.details << "\n";
  if (!c.run) std::cout << "\n(not built yet in this version)\n";
  if (!c.flags.empty()) std::cout << "\nflags:\n";
  for (const std::string& name : c.flags) {
    absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    if (flag == nullptr) continue;
    std::cout << "  --" << name << " (default: " << flag->DefaultValue() << ")\n      "
              << flag->Help() << "\n";
  }
}

// The flag name of "--name=value", "--name", "-name", "--noname"; "" if `arg`
// is not a flag.
std::string FlagName(const std::string& arg) {
  if (arg.size() < 2 || arg[0] != '-' || arg == "--") return "";
  std::string s = arg.substr(arg[1] == '-' ? 2 : 1);
  return s.substr(0, s.find('='));
}

}  // namespace

int RunCli(int argc, char** argv) {
  // Debian's Abseil is built without NDEBUG, so absl::Mutex records every
  // lock in a global graph to detect lock-order cycles, which makes each
  // uncontended lock several times dearer. Tests keep the detection on; the
  // shipped binary does not pay for it.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  const std::vector<Subcommand> commands = AllSubcommands();
  if (argc < 2) {
    PrintOverview(std::cerr, commands);
    return 2;
  }
  const std::string first = argv[1];
  if (first == "--help" || first == "-h" || first == "help" || first == "--helpfull") {
    PrintOverview(std::cout, commands);
    return 0;
  }
  auto it = std::find_if(commands.begin(), commands.end(),
                         [&](const Subcommand& c) { return c.name == first; });
  if (it == commands.end()) {
    std::cerr << "thor: unknown subcommand '" << first << "'\n\n";
    PrintOverview(std::cerr, commands);
    return 2;
  }
  const Subcommand& cmd = *it;
  // Check the flags against this subcommand's list before Abseil sees them,
  // so that a flag of another subcommand is an error too.
  std::vector<char*> rest = {argv[0]};
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") {
      for (; i < argc; ++i) rest.push_back(argv[i]);
      break;
    }
    std::string name = FlagName(arg);
    if (name == "help" || name == "h") {
      PrintSubcommandHelp(cmd);
      return 0;
    }
    if (!name.empty()) {
      bool known = std::count(cmd.flags.begin(), cmd.flags.end(), name) > 0 ||
                   (absl::StartsWith(name, "no") &&
                    std::count(cmd.flags.begin(), cmd.flags.end(), name.substr(2)) > 0);
      if (!known) {
        std::cerr << "thor " << cmd.name << ": unknown flag '--" << name
                  << "' (see 'thor " << cmd.name << " --help')\n";
        return 2;
      }
    }
    rest.push_back(argv[i]);
  }
  if (!cmd.run) {
    std::cerr << "thor " << cmd.name << ": not built yet in this version of thor\n";
    return 3;
  }
  std::vector<char*> positional =
      absl::ParseCommandLine(static_cast<int>(rest.size()), rest.data());
  std::vector<std::string> args(positional.begin() + 1, positional.end());
  return cmd.run(args);
}

}  // namespace thor
