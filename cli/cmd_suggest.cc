// `thor suggest`: ranked next steps for a proof state, optionally tried.
// Exit codes: 0 answered, 2 usage error or INVALID_ARGUMENT, 1 other failure.
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "cli/commands.h"
#include "cli/connection.h"
#include "cli/flag_groups.h"
#include "cli/output.h"
#include "cli/theorem_flags.h"
#include "proto/thor/v1/thor.grpc.pb.h"
#include "provers/provers.h"

ABSL_FLAG(int, n, 8, "How many suggestions (1..64).");
ABSL_FLAG(bool, try_steps, false, "Apply each suggestion in the prover and show its outcome.");

namespace thor {
namespace {

int RunSuggest(const CommandContext& context) {
  v1::SuggestStepsRequest request;
  absl::StatusOr<v1::Theorem> theorem = TheoremFromFlags();
  if (!theorem.ok()) {
    std::cerr << "thor suggest: " << theorem.status().message() << "\n";
    return 2;
  }
  *request.mutable_theorem() = *theorem;
  for (const std::string& s : absl::GetFlag(FLAGS_steps)) request.add_steps(s);
  for (const std::string& s : context.args) request.add_steps(s);
  // Only what the user set: the server's defaults fill in the rest.
  if (context.Given(FLAGS_n)) request.set_n(absl::GetFlag(FLAGS_n));
  if (context.Given(FLAGS_temperature)) request.set_temperature(absl::GetFlag(FLAGS_temperature));
  request.set_policy(absl::GetFlag(FLAGS_policy));
  request.set_try_steps(absl::GetFlag(FLAGS_try_steps));
  if (context.Given(FLAGS_step_timeout)) {
    request.set_step_timeout_s(absl::GetFlag(FLAGS_step_timeout));
  }
  v1::SuggestStepsResponse response;
  if (int code = CallFromFlags("suggest", context, &v1::ProofSearch::Stub::SuggestSteps, request,
                               &response)) {
    return code;
  }
  if (absl::GetFlag(FLAGS_json)) {
    std::cout << ToJsonLine(response) << std::endl;
    return 0;
  }
  std::cout << "state:\n" << response.state_text() << "\n\nsuggestions:\n";
  for (const v1::Suggestion& s : response.suggestions()) {
    std::cout << absl::StrFormat("  %7.3f  %s", s.logprob(), s.step());
    if (s.has_outcome()) {
      std::cout << "  -> " << v1::StepOutcome::Kind_Name(s.outcome().kind());
      if (!s.outcome().message().empty()) {
        std::cout << ": " << s.outcome().message().substr(0, 120);
      }
    }
    std::cout << "\n";
  }
  return 0;
}

}  // namespace

Subcommand SuggestCommand() {
  return {"suggest",
          "thor suggest [flags] --statement=TEXT [STEP...]",
          "Print ranked next steps for a proof state, optionally tried in the prover.",
          "The state is the one reached by --steps (and positional STEP arguments) from\n"
          "the statement. --try_steps applies each suggestion and prints its outcome;\n"
          "suggestions that close the goal come first.",
          {kTheoremFlags, kConnectionFlags, kTlsFlags, kServerFlags, __FILE__, kStepsFlag,
           kModelFlags, kPolicyFlags, kJsonFlag},
          ProverServerFlagNames(),
          RunSuggest};
}

}  // namespace thor
