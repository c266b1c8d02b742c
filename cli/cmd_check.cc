// `thor check`: re-checks a complete proof in a fresh prover process.
// Exit codes: 0 passed, 1 rejected or could not run, 2 usage error or
// INVALID_ARGUMENT.
#include <iostream>

#include "absl/flags/flag.h"
#include "cli/commands.h"
#include "cli/connection.h"
#include "cli/flag_groups.h"
#include "cli/output.h"
#include "cli/theorem_flags.h"
#include "proto/thor/v1/thor.grpc.pb.h"
#include "provers/provers.h"
#include "server/security.h"

ABSL_FLAG(std::string, proof_file, "",
          "File holding the proof as one text, in the prover's own syntax.");
ABSL_FLAG(double, check_timeout, 60,
          "Time limit of the re-check, seconds; unset: the server's default (60).");

namespace thor {
namespace {

int RunCheck(const CommandContext& context) {
  v1::CheckProofRequest request;
  absl::StatusOr<v1::Theorem> theorem = TheoremFromFlags();
  if (!theorem.ok()) {
    std::cerr << "thor check: " << theorem.status().message() << "\n";
    return 2;
  }
  *request.mutable_theorem() = *theorem;
  for (const std::string& s : absl::GetFlag(FLAGS_steps)) request.add_steps(s);
  for (const std::string& s : context.args) request.add_steps(s);
  if (!absl::GetFlag(FLAGS_proof_file).empty()) {
    absl::StatusOr<std::string> text = ReadTextFile(absl::GetFlag(FLAGS_proof_file));
    if (!text.ok()) {
      std::cerr << "thor check: " << text.status().message() << "\n";
      return 2;
    }
    request.set_proof_text(*text);
  }
  if (context.Given(FLAGS_check_timeout)) request.set_timeout_s(absl::GetFlag(FLAGS_check_timeout));
  v1::CheckProofResponse response;
  if (int code = CallFromFlags("check", context, &v1::ProofSearch::Stub::CheckProof, request,
                               &response)) {
    return code;
  }
  if (absl::GetFlag(FLAGS_json)) {
    std::cout << ToJsonLine(response) << std::endl;
  } else {
    std::cout << v1::RecheckVerdict_Name(response.verdict()) << " ("
              << response.elapsed_s() << " s)";
    if (!response.message().empty()) std::cout << ": " << response.message();
    std::cout << "\n" << CheckedByLine(response.checkers(), response.axioms()) << "\n";
  }
  return response.verdict() == v1::RECHECK_PASSED ? 0 : 1;
}

}  // namespace

Subcommand CheckCommand() {
  return {"check",
          "thor check [flags] --statement=TEXT (--steps=S1,S2 | STEP... | --proof_file=F)",
          "Re-check a complete proof in a fresh prover process.",
          "Give the proof as steps (--steps or positional arguments) or as one text\n"
          "(--proof_file). Exit codes: 0 passed, 1 rejected or error, 2 usage.",
          {kTheoremFlags, kConnectionFlags, kTlsFlags, kServerFlags, __FILE__, kStepsFlag,
           kJsonFlag},
          ProverServerFlagNames(),
          RunCheck};
}

}  // namespace thor
