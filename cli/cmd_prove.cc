// `thor prove`: one best-first search, in-process or on a server, with a live
// progress line on a terminal and --json for machines.
// Exit codes: 0 proved (re-checked, or unchecked on request), 1 no proof
// (budget used up, exhausted, re-check rejected, cancelled), 2 usage error or
// INVALID_ARGUMENT, 4 the search or the call failed.
#include <unistd.h>

#include <cstdio>
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

// The budgets: unset, the server's search_defaults apply (Thor's, shown as
// the defaults, unless its configuration says otherwise).
ABSL_FLAG(double, wall_time, 500,
          "Wall-clock budget of the search, seconds; unset: the server's search_defaults "
          "(Thor's 500).");
ABSL_FLAG(int, max_queries, 300,
          "Model-query budget; unset: the server's search_defaults (Thor's 300).");
ABSL_FLAG(int, queue_size, 32,
          "States kept in the priority queue; unset: the server's search_defaults (Thor's 32).");
ABSL_FLAG(int, samples, 32,
          "Candidate steps per model query; unset: the server's search_defaults (Thor's 32).");
ABSL_FLAG(bool, sequential, false, "One call at a time, as Thor did (no pipelining).");
ABSL_FLAG(uint64_t, search_seed, 0, "Seed of the search; 0 lets the server pick one.");
ABSL_FLAG(bool, reproducible, false,
          "Seeded mode: take results in the order calls were issued, so that with "
          "--search_seed the search repeats run to run (pipelines less).");
ABSL_FLAG(bool, skip_recheck, false, "Do not re-check the proof (result PROVED_UNCHECKED).");
ABSL_FLAG(bool, trace, false, "Include the search tree (JSON) in the result.");

namespace thor {
namespace {

void PrintProgress(const v1::SearchEvent& e) {
  const v1::SearchStats& s = e.progress().stats();
  std::fprintf(stderr,
               "\r\033[K[%6.1fs] queries %u  steps %u (failed %u, timeout %u)  hammer %u/%u  "
               "queue %u  best %.2f",
               e.t_s(), s.model_queries(), s.steps_applied(), s.steps_failed(),
               s.steps_timed_out(), s.hammer_successes(), s.hammer_calls(),
               e.progress().queue_length(), e.progress().best_score());
  std::fflush(stderr);
}

void PrintResult(const v1::ProveResult& r) {
  std::cout << "status: " << v1::SearchStatus_Name(r.status()) << "\n";
  if (!r.message().empty()) std::cout << "message: " << r.message() << "\n";
  if (r.proof().steps_size() > 0) {
    std::cout << "recheck: " << v1::RecheckVerdict_Name(r.recheck()) << "\n"
              << CheckedByLine(r.checkers(), r.axioms()) << "\nproof:\n"
              << r.proof().text() << "\n";
    for (const v1::ProofStep& s : r.proof().steps()) {
      if (s.from_hammer()) {
        std::cout << "hammer step: " << s.text()
                  << (s.hammer_prover().empty() ? "" : " (" + s.hammer_prover() + ")") << "\n";
      }
    }
  }
  const v1::SearchStats& s = r.stats();
  std::cout << absl::StrFormat(
      "stats: %.1fs, %u model queries, %u steps, %u hammer calls (%u closed), "
      "%u states; search %s, seed %u\n",
      s.wall_s(), s.model_queries(), s.steps_applied(), s.hammer_calls(),
      s.hammer_successes(), s.states_seen(), r.search_id(), r.seed());
}

int ExitCode(v1::SearchStatus status) {
  switch (status) {
    case v1::PROVED:
    case v1::PROVED_UNCHECKED: return 0;
    case v1::ERROR: return 4;
    default: return 1;
  }
}

int RunProve(const CommandContext& context) {
  if (!context.args.empty()) {
    std::cerr << "thor prove: unexpected argument '" << context.args[0] << "'\n";
    return 2;
  }
  v1::ProveRequest request;
  absl::StatusOr<v1::Theorem> theorem = TheoremFromFlags();
  if (!theorem.ok()) {
    std::cerr << "thor prove: " << theorem.status().message() << "\n";
    return 2;
  }
  *request.mutable_theorem() = *theorem;
  // Only the budgets the user set: the server's search_defaults fill in the
  // rest (SearchStarted.config reports what the search got).
  v1::SearchConfig* c = request.mutable_config();
  c->set_policy(absl::GetFlag(FLAGS_policy));
  if (context.Given(FLAGS_wall_time)) c->set_wall_time_s(absl::GetFlag(FLAGS_wall_time));
  if (context.Given(FLAGS_max_queries)) c->set_max_model_queries(absl::GetFlag(FLAGS_max_queries));
  if (context.Given(FLAGS_queue_size)) c->set_queue_size(absl::GetFlag(FLAGS_queue_size));
  if (context.Given(FLAGS_samples)) c->set_samples_per_query(absl::GetFlag(FLAGS_samples));
  if (context.Given(FLAGS_temperature)) c->set_temperature(absl::GetFlag(FLAGS_temperature));
  if (context.Given(FLAGS_step_timeout)) c->set_step_timeout_s(absl::GetFlag(FLAGS_step_timeout));
  if (context.Given(FLAGS_hammer_timeout)) {
    c->set_hammer_timeout_s(absl::GetFlag(FLAGS_hammer_timeout));
  }
  c->set_sequential(absl::GetFlag(FLAGS_sequential));
  c->set_seed(absl::GetFlag(FLAGS_search_seed));
  c->set_reproducible(absl::GetFlag(FLAGS_reproducible));
  c->set_skip_recheck(absl::GetFlag(FLAGS_skip_recheck));
  request.set_include_trace(absl::GetFlag(FLAGS_trace));

  absl::StatusOr<Connection> connection = ConnectFromFlags(context.build_registry, *theorem);
  if (!connection.ok()) {
    std::cerr << "thor prove: " << connection.status().message() << "\n";
    return 2;
  }
  const bool json = absl::GetFlag(FLAGS_json);
  const bool live = !json && isatty(STDERR_FILENO);
  auto stub = v1::ProofSearch::NewStub(connection->channel);
  auto call = connection->NewContext(absl::InfiniteDuration());
  auto reader = stub->Prove(call.get(), request);
  v1::SearchEvent event;
  v1::ProveResult result;
  bool finished = false;
  while (reader->Read(&event)) {
    if (json) std::cout << ToJsonLine(event) << std::endl;
    if (event.has_progress() && live) PrintProgress(event);
    // Before `started`: a cold prover takes a while, and this says why.
    if (event.has_preparing() && !json) std::cerr << PreparingLine(event) << "\n";
    if (event.has_started() && !json) {
      std::cerr << "search " << event.started().search_id() << ": " << event.started().prover()
                << " with policy " << event.started().policy() << "\n";
    }
    if (event.has_finished()) {
      result = event.finished();
      finished = true;
    }
  }
  if (live) std::fprintf(stderr, "\r\033[K");
  grpc::Status status = reader->Finish();
  if (!status.ok()) {
    const int code = ReportRpcError("prove", status);
    return code == 2 ? 2 : 4;
  }
  if (!finished) {
    std::cerr << "thor prove: the stream ended without a result\n";
    return 4;
  }
  if (!json) PrintResult(result);
  return ExitCode(result.status());
}

}  // namespace

Subcommand ProveCommand() {
  return {"prove",
          "thor prove [flags] --statement=TEXT",
          "Search for a proof of one theorem (in-process, or on a server).",
          "Runs best-first search with a policy (the built-in heuristic by default) and\n"
          "the hammer, then re-checks the proof in a fresh prover. Without --server the\n"
          "search runs in this process (server flags such as --config apply, and the\n"
          "provers' own flags). A model server needs no config file: --policy=openai\n"
          "(or openai-chat, pisa-http) --lm_url=http[s]://HOST:PORT/v1 --model=NAME, with\n"
          "--lm_api_key_env=VAR or --lm_api_key_file=FILE for a hosted API.\n"
          "On a terminal a progress line is shown; --json prints every event as one JSON\n"
          "line (the last one holds 'finished'). Budgets left unset take the server's\n"
          "search_defaults (its --config; Thor's paper values unless configured).\n"
          "Exit codes: 0 proved, 1 no proof, 2 usage or invalid argument, 4 failure.",
          {kTheoremFlags, kConnectionFlags, kTlsFlags, kServerFlags, __FILE__, kModelFlags,
           kPolicyFlags, kHammerTimeoutFlag, kJsonFlag},
          ProverServerFlagNames(),
          RunProve};
}

}  // namespace thor
