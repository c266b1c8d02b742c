// Runs a suite through ProofSearch servers: `concurrency` searches at a time,
// each result appended to the results file as soon as it is made, theorems
// already in the file skipped, UNAVAILABLE / RESOURCE_EXHAUSTED calls retried
// (on whichever server round_robin picks next) with exponential backoff.
#ifndef THOR_EVAL_RUNNER_H_
#define THOR_EVAL_RUNNER_H_

#include <atomic>
#include <ostream>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "eval/results.h"
#include "eval/suite.h"
#include "proto/thor/v1/thor.pb.h"

namespace thor {
class Env;  // common/env.h
}  // namespace thor

namespace thor::eval {

struct RunnerOptions {
  std::string target;          // gRPC target (see targets.h).
  // TLS roots (null: plaintext), the name the certificate must carry (empty:
  // the target's), and a bearer token sent with each call (empty: none).
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  std::string tls_server_name;
  std::string auth_token;
  std::string suite;           // Recorded in each result.
  // SuiteVersion() of the suite ("minif2f-openai", ...; "" if it has none):
  // recorded in each result and part of its configuration hash.
  std::string suite_version;
  int concurrency = 4;         // Searches in flight at once.
  // The search configuration; its `seed` is the run's seed, and each theorem
  // is sent TheoremSeed(seed, id). Results carry ConfigHash(config, suite_version).
  thor::v1::SearchConfig config;
  int max_attempts = 8;        // Calls per theorem before giving up on it.
  absl::Duration initial_backoff = absl::Milliseconds(250);
  absl::Duration max_backoff = absl::Seconds(10);
  // Per-call deadline; zero means 2 x wall_time_s (500 s if unset) + 120 s.
  absl::Duration call_deadline = absl::ZeroDuration();
  // Where the live progress line goes (null: none) and whether it is a
  // terminal ('\r' redraws) or a log (one line every `log_every`).
  std::ostream* progress = nullptr;
  bool progress_is_tty = false;
  absl::Duration log_every = absl::Seconds(30);
  // Set from another thread (e.g. SIGINT): no new theorem starts, the calls
  // in flight are cancelled (within ~50 ms) and their theorems are left
  // unrecorded, for a rerun to do; RunEval then returns promptly.
  const std::atomic<bool>* stop = nullptr;
  // The clock of the run's timings and of the backoff between attempts;
  // null: Env::Default(). Call deadlines stay on the real clock (gRPC's).
  Env* env = nullptr;
};

struct RunSummary {
  int total = 0;          // Theorems given.
  int skipped = 0;        // Already in the results file.
  int recorded = 0;       // Results appended by this run.
  int solved = 0;         // Solved, over all `total` (earlier runs included).
  int unfinished = 0;     // Not recorded: servers unavailable, or stopped.
  bool stopped = false;   // `stop` was set before the run ended.
  int cancelled = 0;      // Searches in flight cancelled because of `stop`.
  absl::Duration elapsed;
};

// Runs `theorems`, appending to `writer`, and returns the summary once every
// theorem has a result or was given up. Errors only if the results file
// cannot be written (the run stops then).
absl::StatusOr<RunSummary> RunEval(const RunnerOptions& options,
                                   const std::vector<SuiteTheorem>& theorems,
                                   ResultWriter* writer);

// The record for a finished search (exposed for tests).
EvalRecord RecordFromResult(const SuiteTheorem& theorem, const thor::v1::ProveResult& result);

}  // namespace thor::eval

#endif  // THOR_EVAL_RUNNER_H_
