// SessionManager: the interactive proof sessions of a server (what
// thor.v1.ProofSession serves), prover-agnostic and free of gRPC.
//
// Each session owns one ProverSession (one prover process) started on one
// theorem, and a tree of the proof states reached (sessions/state_tree.h).
// A session's calls run one at a time, in turn (a waiting call gives up when
// its cancel flag is set); calls on different sessions run in parallel.
// Every step passes the backend's CheckStep allow-list before the prover
// sees it; a finished path counts as a proof only after
// ProverBackend::Recheck. Limits (SessionLimits) give ResourceExhausted
// naming the configuration key; a session idle past its timeout is closed
// and its prover process ended (by the next call on the manager, or by the
// background sweeper).
//
// Thread-safe.
#ifndef THOR_SESSIONS_SESSION_MANAGER_H_
#define THOR_SESSIONS_SESSION_MANAGER_H_

#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/env.h"
#include "search/prover.h"
#include "search/search_result.h"
#include "sessions/session_limits.h"
#include "sessions/state_tree.h"

namespace thor {

struct ManagedSession;  // sessions/session.h
class SessionCall;

// A state as a client sees it (mirrors thor.v1.SessionState).
struct SessionStateInfo {
  std::string state_id;
  std::string parent_id;  // Empty for the root.
  std::string step;       // Empty for the root.
  int depth = 0;
  std::string goals_text;  // Empty when finished.
  std::vector<StructuredGoal> goals;
  bool finished = false;
  std::vector<std::string> steps;
};

struct SessionOptions {
  absl::Duration start_timeout = absl::Seconds(120);
  absl::Duration step_timeout = absl::Seconds(10);
  // At most SessionLimits::idle_timeout (the manager clamps it).
  absl::Duration idle_timeout = absl::Seconds(600);
};

struct OpenedSession {
  std::string session_id;
  SessionStateInfo root;
  absl::Duration elapsed;
};

struct SessionStepReply {
  StepResult outcome;
  std::optional<SessionStateInfo> state;  // kNewState, kProofFinished.
};

struct SessionHammerReply {
  HammerStepResult result;
  std::optional<SessionStateInfo> state;  // The step applied reached one.
  absl::Duration elapsed;
};

struct SessionProofCheck {
  RecheckResult check;
  std::vector<FoundStep> proof;  // From the root to the state.
  std::string proof_text;        // ProverBackend::ProofText of it.
};

class SessionManager {
 public:
  // `env` (the clock of idle expiry) must outlive the manager. With
  // `sweep_every` > 0 a background thread closes idle sessions that often
  // (real time); otherwise only calls on the manager (and ExpireIdle) do.
  SessionManager(SessionLimits limits, Env* env,
                 absl::Duration sweep_every = absl::ZeroDuration());
  ~SessionManager();  // CloseAll().
  SessionManager(const SessionManager&) = delete;
  SessionManager& operator=(const SessionManager&) = delete;

  // Starts a prover session of `backend` on `theorem` (already validated by
  // the caller: TheoremFromProto and ValidateTheorem) and returns its id
  // (128 random bits) and root state. ResourceExhausted when the server is
  // at max_sessions or max_session_states; the prover's errors as
  // ProverSession::Start; Cancelled when `*cancel` became true.
  absl::StatusOr<OpenedSession> Open(std::shared_ptr<ProverBackend> backend,
                                     const Theorem& theorem, SessionOptions options,
                                     const std::atomic<bool>* cancel);

  // Runs `step` on state `state_id`. The outcome is a value (refused, step
  // error, timeout, ...); errors are for the call: NotFound (session or
  // state, saying unknown, closed, expired or dropped), InvalidArgument (an
  // empty step), ResourceExhausted (a state limit), Cancelled. A prover
  // lost during the step is replaced and the step tried once more; only a
  // second loss is kProverLost. `timeout` zero: the session's step timeout.
  absl::StatusOr<SessionStepReply> RunStep(const std::string& session_id,
                                           const std::string& state_id, const std::string& step,
                                           absl::Duration timeout,
                                           const std::atomic<bool>* cancel);

  // The prover's hammer on a state; the step it reconstructs is applied and
  // its state added. Errors as RunStep.
  absl::StatusOr<SessionHammerReply> Hammer(const std::string& session_id,
                                            const std::string& state_id, absl::Duration timeout,
                                            const std::atomic<bool>* cancel);

  absl::StatusOr<SessionStateInfo> GetState(const std::string& session_id,
                                            const std::string& state_id);

  // Drops a state and its descendants (not the root); returns how many.
  absl::StatusOr<int> DropState(const std::string& session_id, const std::string& state_id,
                                const std::atomic<bool>* cancel);

  // Re-checks the path from the root to a finished state in a fresh prover
  // process (ProverBackend::Recheck). FailedPrecondition if the state is not
  // finished.
  absl::StatusOr<SessionProofCheck> CheckProof(const std::string& session_id,
                                               const std::string& state_id,
                                               absl::Duration timeout);

  // Closes a session: its call in progress is interrupted, waiting calls
  // fail with NotFound, its prover session is ended before this returns.
  // Returns how many states it held.
  absl::StatusOr<int> Close(const std::string& session_id);

  // Closes every session idle past its timeout; returns how many.
  int ExpireIdle();
  // Closes every session (server shutdown).
  void CloseAll();

  int open_sessions() const;
  int held_states() const;  // Over all sessions, reservations included.

 private:
  using Session = ManagedSession;

  // Looks `id` up and enters a call on it (so it cannot expire meanwhile);
  // NotFound saying why when there is no such session.
  absl::StatusOr<std::shared_ptr<Session>> Enter(const std::string& id);
  absl::Status GoneStatus(const std::string& id) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Reserves room for one more state of `s` (ResourceExhausted naming the
  // limit); Unreserve gives it back when no state was added.
  absl::Status Reserve(Session& s);
  void Unreserve();
  // Takes the turn of `call`'s session and returns (a copy of) its state
  // `state_id`.
  absl::StatusOr<SessionNode> TurnAt(SessionCall& call, const std::string& state_id,
                                     const std::atomic<bool>* cancel);
  // Adds the state `outcome` reached from `from` by `via` to the session
  // whose room Reserve made; gives the room back and says NotFound if the
  // session was closed while `during` ran.
  absl::StatusOr<SessionStateInfo> AddReached(Session& s, const SessionNode& from, FoundStep via,
                                              const StepResult& outcome, const char* during);
  // Ends a session that is out of the map: interrupts it, waits for its
  // turn, ends its prover session.
  static void Shut(Session& s);
  void Forget(const std::string& id, std::string why) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void SweepLoop(absl::Duration every);

  const SessionLimits limits_;
  Env* const env_;
  mutable absl::Mutex mu_;
  std::map<std::string, std::shared_ptr<Session>> sessions_ ABSL_GUARDED_BY(mu_);
  // Why recently ended sessions are gone ("closed", "expired after ..."),
  // oldest first, bounded.
  std::map<std::string, std::string> gone_ ABSL_GUARDED_BY(mu_);
  std::deque<std::string> gone_order_ ABSL_GUARDED_BY(mu_);
  int opening_ ABSL_GUARDED_BY(mu_) = 0;
  int states_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread sweeper_;
};

}  // namespace thor

#endif  // THOR_SESSIONS_SESSION_MANAGER_H_
