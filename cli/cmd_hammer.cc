// `thor hammer PROBLEM.p`: premise selection plus the ATP portfolio on a TPTP
// problem. Exit codes: 0 proved, 1 no proof found, 2 usage error, 4 bad input
// (unreadable or malformed TPTP, no conjecture), 5 no usable prover,
// 6 disproved (counter-satisfiable from all premises).
#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "cli/commands.h"
#include "cli/flag_groups.h"
#include "hammer/hammer.h"

ABSL_FLAG(std::vector<std::string>, provers, {},
          "thor hammer: provers to use (e,cvc5,cvc4,spass,z3,vampire); empty = schedule's.");
ABSL_FLAG(int, max_premises, 0, "thor hammer: premise cap per slice; 0 = schedule's.");
ABSL_FLAG(bool, minimize, true, "thor hammer: minimise the used premises.");
ABSL_FLAG(int, parallelism, 0, "thor hammer: slices at once; 0 = cores.");
ABSL_FLAG(std::string, schedule, "", "thor hammer: JSON schedule file; empty = built-in.");
ABSL_FLAG(std::string, deps, "",
          "thor hammer: proof dependencies for k-NN ('goal: prem ...' lines, e.g. MPTP atpproved).");

namespace thor {
namespace {

using hammer::AtpStatus;

int ExitCodeOf(const absl::Status& s) {
  switch (s.code()) {
    case absl::StatusCode::kFailedPrecondition: return 5;
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kUnimplemented: return 4;
    default: return 1;
  }
}

int RunHammer(const CommandContext& context) {
  const std::vector<std::string>& args = context.args;
  if (args.size() != 1) {
    std::cerr << "usage: thor hammer [flags] PROBLEM.p\n";
    return 2;
  }
  hammer::HammerOptions options;
  options.timeout = absl::Seconds(absl::GetFlag(FLAGS_hammer_timeout));
  options.provers = absl::GetFlag(FLAGS_provers);
  options.max_premises = absl::GetFlag(FLAGS_max_premises);
  options.minimize = absl::GetFlag(FLAGS_minimize);
  options.parallelism = absl::GetFlag(FLAGS_parallelism);
  options.schedule_path = absl::GetFlag(FLAGS_schedule);
  const bool json = absl::GetFlag(FLAGS_json);
  hammer::Hammer hammer(options);
  absl::Status status;
  if (!absl::GetFlag(FLAGS_deps).empty()) status = hammer.LoadDependencies(absl::GetFlag(FLAGS_deps));
  absl::StatusOr<hammer::HammerResult> r =
      status.ok() ? hammer.SolveFile(args[0]) : absl::StatusOr<hammer::HammerResult>(status);
  if (!r.ok()) {
    if (json) {
      nlohmann::json j = {{"problem", args[0]}, {"status", "error"},
                          {"error", std::string(r.status().message())}};
      std::cout << j.dump() << "\n";
    } else {
      std::cerr << "thor hammer: " << r.status().message() << "\n";
    }
    return ExitCodeOf(r.status());
  }
  std::string name = std::filesystem::path(args[0]).stem().string();
  if (json) {
    nlohmann::json j = {{"problem", args[0]},
                        {"status", hammer::AtpStatusName(r->status)},
                        {"szs_status", r->szs_status},
                        {"slice", r->slice},
                        {"used_premises", r->used_premises},
                        {"elapsed_s", absl::ToDoubleSeconds(r->elapsed)},
                        {"overhead_s", absl::ToDoubleSeconds(r->overhead)},
                        {"message", r->message}};
    std::cout << j.dump() << "\n";
  } else {
    std::cout << "% SZS status " << r->szs_status << " for " << name << "\n";
    if (!r->slice.empty()) std::cout << "% slice: " << r->slice << "\n";
    if (r->status == AtpStatus::kProved) {
      std::cout << "% used premises (" << r->used_premises.size()
                << "): " << absl::StrJoin(r->used_premises, " ") << "\n";
    }
    std::cout << absl::StrFormat("%% time: %.2f s (overhead %.3f s)\n",
                                 absl::ToDoubleSeconds(r->elapsed),
                                 absl::ToDoubleSeconds(r->overhead));
    if (r->status != AtpStatus::kProved) std::cout << "% runs: " << r->message << "\n";
  }
  switch (r->status) {
    case AtpStatus::kProved: return 0;
    case AtpStatus::kDisproved: return 6;
    default: return 1;
  }
}

}  // namespace

Subcommand HammerCommand() {
  return {"hammer",
          "thor hammer [flags] PROBLEM.p",
          "Run premise selection and the ATP portfolio on a TPTP problem.",
          "Prints '% SZS status <Status> for <name>', the winning slice, the used premises\n"
          "(original names) and the time; --json prints one JSON object instead.\n"
          "Includes resolve against the problem's folder, then $TPTP.\n"
          "Exit codes: 0 proved, 1 no proof found, 2 usage error, 4 bad input (unreadable or\n"
          "malformed TPTP, missing include, no conjecture), 5 no usable prover installed,\n"
          "6 disproved (counter-satisfiable from all premises).",
          {__FILE__, kJsonFlag, kHammerTimeoutFlag},
          {},
          RunHammer};
}

}  // namespace thor
