#include "cli/cli.h"

#include <algorithm>
#include <iostream>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/reflection.h"
#include "absl/flags/parse.h"
#include "absl/strings/match.h"
#include "absl/synchronization/mutex.h"
#include "cli/flag_groups.h"
#include "common/build_info.h"

namespace thor {
namespace {

constexpr char kOverview[] =
    "thor: best-first proof search with a language model and a hammer\n"
    "(premise selection + automated theorem provers), as a service.\n\n"
    "usage: thor <subcommand> [flags] [args]\n"
    "       thor --version\n\n"
    "subcommands:\n";

void PrintOverview(std::ostream& os, const std::vector<Subcommand>& commands) {
  os << kOverview;
  for (const Subcommand& c : commands) {
    os << "  " << c.name << std::string(10 - std::min<size_t>(c.name.size(), 9), ' ')
       << c.summary << "\n";
  }
  os << "\nRun 'thor <subcommand> --help' for a subcommand's flags.\n";
}

void PrintSubcommandHelp(const Subcommand& c,
                         const std::vector<const absl::CommandLineFlag*>& flags) {
  std::cout << "usage: " << c.usage << "\n\n" << c.summary << "\n";
  if (!c.details.empty()) std::cout << "\n" << c.details << "\n";
  if (!flags.empty()) std::cout << "\nflags:\n";
  for (const absl::CommandLineFlag* flag : flags) {
    std::cout << "  --" << flag->Name() << " (default: " << flag->DefaultValue() << ")\n      "
              << flag->Help() << "\n";
  }
}

// The flag of `flags` that `name` (or, for "--noX", X) names; null if none.
const absl::CommandLineFlag* Find(const std::vector<const absl::CommandLineFlag*>& flags,
                                  const std::string& name) {
  for (const absl::CommandLineFlag* flag : flags) {
    if (flag->Name() == name || (absl::StartsWith(name, "no") && flag->Name() == name.substr(2))) {
      return flag;
    }
  }
  return nullptr;
}

// The flag name of "--name=value", "--name", "-name", "--noname"; "" if `arg`
// is not a flag.
std::string FlagName(const std::string& arg) {
  if (arg.size() < 2 || arg[0] != '-' || arg == "--") return "";
  std::string s = arg.substr(arg[1] == '-' ? 2 : 1);
  return s.substr(0, s.find('='));
}

}  // namespace

std::vector<const absl::CommandLineFlag*> FlagsOf(const Subcommand& cmd) {
  std::vector<const absl::CommandLineFlag*> flags = FlagsDefinedIn(cmd.flag_files);
  for (const std::string& name : cmd.module_flags) {
    // Linking provers/ defines them (tests/provers checks that they exist).
    if (const absl::CommandLineFlag* f = absl::FindCommandLineFlag(name); f != nullptr) {
      flags.push_back(f);
    }
  }
  return flags;
}

int RunCli(int argc, char** argv, RegistryFactory build_registry) {
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
  if (first == "--version") {
    // What produced a result, for bug reports and papers; the same three
    // values are in every Prove stream's `started` event (ThorBuild).
    std::cout << "thor " << ThorVersion() << "\ncommit " << ThorCommit() << "\nprotocol "
              << ThorProtocolVersion() << "\n";
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
  const std::vector<const absl::CommandLineFlag*> flags = FlagsOf(cmd);
  // Check the flags against this subcommand's before Abseil sees them, so
  // that a flag of another subcommand is an error too.
  CommandContext context;
  std::vector<char*> rest = {argv[0]};
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") {
      for (; i < argc; ++i) rest.push_back(argv[i]);
      break;
    }
    std::string name = FlagName(arg);
    if (name == "help" || name == "h") {
      PrintSubcommandHelp(cmd, flags);
      return 0;
    }
    if (!name.empty()) {
      const absl::CommandLineFlag* flag = Find(flags, name);
      if (flag == nullptr) {
        std::cerr << "thor " << cmd.name << ": unknown flag '--" << name
                  << "' (see 'thor " << cmd.name << " --help')\n";
        return 2;
      }
      context.given.insert(std::string(flag->Name()));
    }
    rest.push_back(argv[i]);
  }
  std::vector<char*> positional =
      absl::ParseCommandLine(static_cast<int>(rest.size()), rest.data());
  context.args.assign(positional.begin() + 1, positional.end());
  context.build_registry = std::move(build_registry);
  return cmd.run(context);
}

}  // namespace thor
