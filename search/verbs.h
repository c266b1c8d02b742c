// The front-end verbs besides search, on the domain types (no gRPC): ranked
// next steps for a proof state, and the hammer on a proof state. Each opens
// one prover session, reaches the state by replaying steps, and closes the
// session (killing its processes) before returning. They live here, on the
// domain types, so that any front end can call them; the gRPC service
// (server/service.cc, SuggestSteps and Hammer) is one.
#ifndef THOR_SEARCH_VERBS_H_
#define THOR_SEARCH_VERBS_H_

#include <atomic>
#include <functional>
#include <optional>
#include <thread>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/cancel_watcher.h"  // CancelWatcher, used with the verbs.
#include "search/policy.h"
#include "search/prover.h"
#include "search/types.h"

namespace thor {

struct StateRequest {
  Theorem theorem;
  std::vector<std::string> steps;  // Replayed from the initial state.
  absl::Duration start_timeout = absl::Seconds(120);
  absl::Duration step_timeout = absl::Seconds(10);
};

struct SuggestOptions {
  int n = 8;
  double temperature = 1.2;
  bool try_steps = false;
  absl::Duration hammer_timeout = absl::Seconds(30);
  absl::Duration query_timeout = absl::Seconds(60);
  std::string hammer_token = "<hammer>";
};

struct Suggested {
  Candidate candidate;
  std::optional<StepResult> outcome;  // When try_steps.
};

struct SuggestResult {
  std::string state_text;
  std::vector<Suggested> suggestions;  // Proved first, then by logprob.
};

// Ranked next steps for the state `request` reaches. Errors: the session's
// (Unavailable, InvalidArgument from Start), FailedPrecondition naming the
// step index if a replayed step does not apply or finishes the proof, the
// policy's errors, Cancelled when `*cancel` became true.
absl::StatusOr<SuggestResult> SuggestSteps(ProverBackend& backend, Policy& policy,
                                           const StateRequest& request,
                                           const SuggestOptions& options,
                                           const std::atomic<bool>* cancel);

// Runs the session's hammer on the state `request` reaches. Errors as
// SuggestSteps (no policy).
absl::StatusOr<HammerStepResult> HammerOnState(ProverBackend& backend,
                                               const StateRequest& request,
                                               absl::Duration timeout,
                                               const std::atomic<bool>* cancel);

// The error model (proto/thor/v1/thor.proto, "Errors"): a theorem the prover
// refuses to open (its Start returned InvalidArgument) is a bad request. The
// status every front end returns for it: InvalidArgument, its message led by
// the field ("theorem: coq could not open the theorem: <the prover's words>").
// Any other status is returned unchanged.
absl::Status TheoremRejected(const ProverBackend& backend, const absl::Status& start);

// Opens `theorem` in a new session and closes it again: OK, or Start's error
// (as TheoremRejected). For a caller whose own check runs the statement and
// the proof in one pass (a re-check) and must tell the two apart.
absl::Status OpenTheoremOnly(ProverBackend& backend, const Theorem& theorem,
                             absl::Duration timeout, const std::atomic<bool>* cancel);

}  // namespace thor

#endif  // THOR_SEARCH_VERBS_H_
