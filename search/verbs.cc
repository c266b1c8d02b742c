#include "search/verbs.h"

#include <algorithm>
#include <chrono>
#include <memory>

#include "absl/strings/str_cat.h"

namespace thor {
namespace {

bool IsSet(const std::atomic<bool>* flag) { return flag != nullptr && flag->load(); }

// A started session at the state `request` reaches.
struct OpenState {
  std::unique_ptr<ProverSession> session;
  ProofState state;
};

absl::StatusOr<OpenState> ReachState(ProverBackend& backend, const StateRequest& request,
                                     const std::atomic<bool>* cancel) {
  absl::StatusOr<std::unique_ptr<ProverSession>> session = backend.NewSession();
  if (!session.ok()) return session.status();
  OpenState open{std::move(*session), {}};
  ProverSession* raw = open.session.get();
  CancelWatcher watcher([cancel] { return IsSet(cancel); }, [raw] { raw->Interrupt(); });
  absl::StatusOr<ProofState> state = raw->Start(request.theorem, request.start_timeout);
  if (IsSet(cancel)) return absl::CancelledError("cancelled while starting the prover");
  if (!state.ok()) return TheoremRejected(backend, state.status());
  open.state = *state;
  for (size_t i = 0; i < request.steps.size(); ++i) {
    StepResult r = raw->Apply(open.state, request.steps[i], request.step_timeout);
    if (IsSet(cancel)) return absl::CancelledError("cancelled while replaying steps");
    if (r.kind != StepKind::kNewState) {
      return absl::FailedPreconditionError(absl::StrCat(
          "steps[", i, "]: '", request.steps[i], "' ended with ", StepKindName(r.kind),
          r.kind == StepKind::kProofFinished ? " (no goals left to work on)"
                                             : absl::StrCat(": ", r.message)));
    }
    open.state = r.state;
  }
  return open;
}

}  // namespace

absl::Status TheoremRejected(const ProverBackend& backend, const absl::Status& start) {
  if (!absl::IsInvalidArgument(start)) return start;
  return absl::InvalidArgumentError(
      absl::StrCat("theorem: ", backend.Name(), " could not open the theorem: ", start.message()));
}

absl::Status OpenTheoremOnly(ProverBackend& backend, const Theorem& theorem,
                             absl::Duration timeout, const std::atomic<bool>* cancel) {
  StateRequest request;
  request.theorem = theorem;
  request.start_timeout = timeout;
  return ReachState(backend, request, cancel).status();
}

absl::StatusOr<SuggestResult> SuggestSteps(ProverBackend& backend, Policy& policy,
                                           const StateRequest& request,
                                           const SuggestOptions& options,
                                           const std::atomic<bool>* cancel) {
  absl::StatusOr<OpenState> open = ReachState(backend, request, cancel);
  if (!open.ok()) return open.status();
  PolicyQuery query;
  query.theorem = &request.theorem;
  query.state_text = open->state.text;
  query.last_step = request.steps.empty() ? "" : request.steps.back();
  query.n = options.n;
  query.temperature = options.temperature;
  query.hammer_token = options.hammer_token;
  query.cancel = cancel;
  absl::StatusOr<std::vector<Candidate>> candidates = policy.Propose(query, options.query_timeout);
  if (!candidates.ok()) return candidates.status();
  SuggestResult result;
  result.state_text = open->state.text;
  ProverSession* session = open->session.get();
  CancelWatcher watcher([cancel] { return IsSet(cancel); }, [session] { session->Interrupt(); });
  for (const Candidate& c : *candidates) {
    if (static_cast<int>(result.suggestions.size()) >= options.n) break;
    Suggested s{c, std::nullopt};
    if (options.try_steps) {
      if (IsSet(cancel)) return absl::CancelledError("cancelled while trying suggestions");
      s.outcome = c.is_hammer ? session->Hammer(open->state, options.hammer_timeout).step
                              : session->Apply(open->state, c.step, request.step_timeout);
    }
    result.suggestions.push_back(std::move(s));
  }
  if (IsSet(cancel)) return absl::CancelledError("cancelled while trying suggestions");
  auto proved = [](const Suggested& s) {
    return s.outcome.has_value() && s.outcome->kind == StepKind::kProofFinished;
  };
  std::stable_sort(result.suggestions.begin(), result.suggestions.end(),
                   [&](const Suggested& a, const Suggested& b) {
                     if (proved(a) != proved(b)) return proved(a);
                     return a.candidate.logprob > b.candidate.logprob;
                   });
  return result;
}

absl::StatusOr<HammerStepResult> HammerOnState(ProverBackend& backend,
                                               const StateRequest& request,
                                               absl::Duration timeout,
                                               const std::atomic<bool>* cancel) {
  absl::StatusOr<OpenState> open = ReachState(backend, request, cancel);
  if (!open.ok()) return open.status();
  ProverSession* session = open->session.get();
  CancelWatcher watcher([cancel] { return IsSet(cancel); }, [session] { session->Interrupt(); });
  HammerStepResult r = session->Hammer(open->state, timeout);
  if (IsSet(cancel)) return absl::CancelledError("cancelled during the hammer call");
  return r;
}

}  // namespace thor
