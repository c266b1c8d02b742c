// SessionManager: the calls on a session's states (run a step, hammer,
// get, drop, re-check a proof).
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/cancel_watcher.h"
#include "sessions/session.h"
#include "sessions/session_manager.h"

namespace thor {
namespace {

bool Reached(StepKind kind) {
  return kind == StepKind::kNewState || kind == StepKind::kProofFinished;
}

bool Cancelled(const std::atomic<bool>* cancel) { return cancel != nullptr && cancel->load(); }

absl::Status CancelledCall() {
  return absl::CancelledError("the client cancelled the call; the prover's work was stopped");
}

bool Closed(ManagedSession& s) {
  absl::MutexLock lock(&s.mu);
  return s.closed;
}

absl::Status ClosedBefore(const char* what) {
  return absl::NotFoundError(
      absl::StrCat("session_id: the session was closed before ", what, " ran"));
}

// Runs `call` on the session's prover with `*cancel` interrupting it. A
// lost prover process is replaced by the prover session itself on its next
// call, which replays the state's steps: so the call is made once more, and
// a second loss is the outcome. Nothing when no call was made (cancelled, or
// the session closed, first).
template <typename Result, typename Call, typename KindOf>
std::optional<Result> CallProver(ManagedSession& s, const std::atomic<bool>* cancel, Call call,
                                 KindOf kind_of) {
  std::optional<Result> r;
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (Cancelled(cancel) || Closed(s)) break;
    ProverSession* p = s.prover.get();
    CancelWatcher watch(cancel, [p] { p->Interrupt(); });
    r = call(*p);
    if (kind_of(*r) != StepKind::kProverLost) break;
  }
  return r;
}

}  // namespace

absl::StatusOr<SessionNode> SessionManager::TurnAt(SessionCall& call,
                                                   const std::string& state_id,
                                                   const std::atomic<bool>* cancel) {
  if (absl::Status turn = call.TakeTurn(cancel); !turn.ok()) return turn;
  Session& s = call.session();
  absl::MutexLock lock(&s.mu);
  absl::StatusOr<const SessionNode*> node = s.tree.Find(state_id);
  if (!node.ok()) return node.status();
  return **node;
}

absl::StatusOr<SessionStateInfo> SessionManager::AddReached(Session& s, const SessionNode& from,
                                                            FoundStep via,
                                                            const StepResult& outcome,
                                                            const char* during) {
  ProofState reached = outcome.state;
  reached.steps = from.state.steps;
  reached.steps.push_back(via.text);
  const int64_t bytes = StateTree::Bytes(reached, via);
  std::string why;
  bool closed = false;
  int64_t held = 0;
  {
    absl::MutexLock lock(&s.mu);
    held = s.tree.bytes();
    closed = s.closed;
    if (!s.closed && held + bytes <= limits_.max_session_bytes) {
      const SessionNode& added = s.tree.Add(from.id, std::move(via), std::move(reached),
                                            outcome.kind == StepKind::kProofFinished);
      return DescribeState(s, added.id);
    }
    why = s.closed_why;
  }
  Unreserve();  // Not under the session's lock: the manager's comes first.
  if (!closed) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "the session holds ", held >> 10, " KiB of proof states and the state ", during,
        " reached needs ", bytes >> 10, " KiB more, past its limit of ",
        limits_.max_session_bytes >> 20, " MiB (server configuration max_session_memory_mb, "
        "thor serve --max_session_memory_mb); DropState states this session no longer needs"));
  }
  return absl::NotFoundError(absl::StrCat("session_id: the session ", why, " while ", during,
                                          " ran"));
}

absl::StatusOr<SessionStepReply> SessionManager::RunStep(const std::string& session_id,
                                                         const std::string& state_id,
                                                         const std::string& step,
                                                         absl::Duration timeout,
                                                         const std::atomic<bool>* cancel) {
  if (absl::StripAsciiWhitespace(step).empty()) {
    return absl::InvalidArgumentError("step: required (one proof step)");
  }
  absl::StatusOr<std::shared_ptr<Session>> entered = Enter(session_id);
  if (!entered.ok()) return entered.status();
  SessionCall call(env_, *entered);
  Session& s = call.session();
  absl::StatusOr<SessionNode> from = TurnAt(call, state_id, cancel);
  if (!from.ok()) return from.status();
  SessionStepReply reply;
  // The allow-list first: a refused step never reaches the prover.
  if (absl::Status allowed = s.backend->CheckStep(step); !allowed.ok()) {
    reply.outcome.kind = StepKind::kRefused;
    reply.outcome.message = std::string(allowed.message());
    return reply;
  }
  if (absl::Status room = Reserve(s); !room.ok()) return room;
  const absl::Duration limit = timeout > absl::ZeroDuration() ? timeout : s.options.step_timeout;
  std::optional<StepResult> outcome = CallProver<StepResult>(
      s, cancel, [&](ProverSession& p) { return p.Apply(from->state, step, limit); },
      [](const StepResult& r) { return r.kind; });
  if (Cancelled(cancel) || !outcome.has_value() || !Reached(outcome->kind)) {
    Unreserve();
    if (Cancelled(cancel)) return CancelledCall();
    if (!outcome.has_value()) return ClosedBefore("the step");
    reply.outcome = *std::move(outcome);
    return reply;
  }
  reply.outcome = *std::move(outcome);
  absl::StatusOr<SessionStateInfo> added =
      AddReached(s, *from, FoundStep{step, false, "", ""}, reply.outcome, "the step");
  if (!added.ok()) return added.status();
  reply.state = *std::move(added);
  return reply;
}

absl::StatusOr<SessionHammerReply> SessionManager::Hammer(const std::string& session_id,
                                                          const std::string& state_id,
                                                          absl::Duration timeout,
                                                          const std::atomic<bool>* cancel) {
  absl::StatusOr<std::shared_ptr<Session>> entered = Enter(session_id);
  if (!entered.ok()) return entered.status();
  SessionCall call(env_, *entered);
  Session& s = call.session();
  absl::StatusOr<SessionNode> from = TurnAt(call, state_id, cancel);
  if (!from.ok()) return from.status();
  if (absl::Status room = Reserve(s); !room.ok()) return room;
  const absl::Time start = env_->Now();
  SessionHammerReply reply;
  std::optional<HammerStepResult> result = CallProver<HammerStepResult>(
      s, cancel, [&](ProverSession& p) { return p.Hammer(from->state, timeout); },
      [](const HammerStepResult& r) { return r.step.kind; });
  reply.elapsed = env_->Now() - start;
  if (Cancelled(cancel) || !result.has_value() || !Reached(result->step.kind) ||
      result->step_text.empty()) {
    Unreserve();
    if (Cancelled(cancel)) return CancelledCall();
    if (!result.has_value()) return ClosedBefore("the hammer");
    reply.result = *std::move(result);
    return reply;
  }
  reply.result = *std::move(result);
  absl::StatusOr<SessionStateInfo> added =
      AddReached(s, *from, FoundStep{reply.result.step_text, true, reply.result.prover, ""},
                 reply.result.step, "the hammer");
  if (!added.ok()) return added.status();
  reply.state = *std::move(added);
  return reply;
}

absl::StatusOr<SessionStateInfo> SessionManager::GetState(const std::string& session_id,
                                                          const std::string& state_id) {
  absl::StatusOr<std::shared_ptr<Session>> entered = Enter(session_id);
  if (!entered.ok()) return entered.status();
  SessionCall call(env_, *entered);
  Session& s = call.session();
  absl::MutexLock lock(&s.mu);
  absl::StatusOr<const SessionNode*> node = s.tree.Find(state_id);
  if (!node.ok()) return node.status();
  return DescribeState(s, (*node)->id);
}

absl::StatusOr<int> SessionManager::DropState(const std::string& session_id,
                                              const std::string& state_id,
                                              const std::atomic<bool>* cancel) {
  absl::StatusOr<std::shared_ptr<Session>> entered = Enter(session_id);
  if (!entered.ok()) return entered.status();
  SessionCall call(env_, *entered);
  Session& s = call.session();
  // In turn, so that no step is running from a state being dropped.
  if (absl::Status turn = call.TakeTurn(cancel); !turn.ok()) return turn;
  absl::StatusOr<int> dropped;
  {
    absl::MutexLock lock(&s.mu);
    dropped = s.tree.Drop(state_id);
  }
  if (dropped.ok()) {
    absl::MutexLock lock(&mu_);
    states_ -= *dropped;
  }
  return dropped;
}

absl::StatusOr<SessionProofCheck> SessionManager::CheckProof(const std::string& session_id,
                                                             const std::string& state_id,
                                                             absl::Duration timeout) {
  absl::StatusOr<std::shared_ptr<Session>> entered = Enter(session_id);
  if (!entered.ok()) return entered.status();
  // No turn: the check runs in a fresh prover process of its own.
  SessionCall call(env_, *entered);
  Session& s = call.session();
  SessionProofCheck out;
  {
    absl::MutexLock lock(&s.mu);
    absl::StatusOr<const SessionNode*> node = s.tree.Find(state_id);
    if (!node.ok()) return node.status();
    if (!(*node)->finished) {
      return absl::FailedPreconditionError(absl::StrCat(
          "state_id: state ", (*node)->id,
          " is not finished (goals remain); only a state whose step was PROOF_FINISHED ends a "
          "proof"));
    }
    out.proof = s.tree.Path(**node);
  }
  std::vector<std::string> steps;
  for (const FoundStep& step : out.proof) steps.push_back(step.text);
  // The same kernel re-check as a search's proof gets.
  out.check = s.backend->Recheck(s.theorem, steps, timeout);
  out.proof_text = s.backend->ProofText(steps);
  return out;
}

}  // namespace thor
