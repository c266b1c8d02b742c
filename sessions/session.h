// SessionManager's record of one session, the guard of a call on it, and
// its states as clients see them. Internal to sessions/.
#ifndef THOR_SESSIONS_SESSION_H_
#define THOR_SESSIONS_SESSION_H_

#include <atomic>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/env.h"
#include "search/prover.h"
#include "sessions/session_manager.h"
#include "sessions/state_tree.h"

namespace thor {

struct ManagedSession {
  ManagedSession(std::string id, std::shared_ptr<ProverBackend> backend, Theorem theorem,
          SessionOptions options, std::unique_ptr<ProverSession> prover, ProofState root,
          absl::Time now)
      : id(std::move(id)),
        backend(std::move(backend)),
        theorem(std::move(theorem)),
        options(options),
        prover(std::move(prover)),
        last_used(now),
        tree(std::move(root)) {}

  const std::string id;
  const std::shared_ptr<ProverBackend> backend;
  const Theorem theorem;
  const SessionOptions options;
  // Used by the call holding the turn only (Interrupt by anyone); reset by
  // Shut once it holds the turn for good.
  std::unique_ptr<ProverSession> prover;

  mutable absl::Mutex mu;
  absl::CondVar turn_free;
  bool busy ABSL_GUARDED_BY(mu) = false;  // A call holds the turn.
  bool closed ABSL_GUARDED_BY(mu) = false;
  std::string closed_why ABSL_GUARDED_BY(mu);
  int calls ABSL_GUARDED_BY(mu) = 0;  // Running or waiting for the turn.
  absl::Time last_used ABSL_GUARDED_BY(mu);
  StateTree tree ABSL_GUARDED_BY(mu);
};

// One call on a session, from Enter to its end: keeps the session from
// expiring meanwhile, and gives the turn back and marks the session used
// when it ends.
class SessionCall {
 public:
  SessionCall(Env* env, std::shared_ptr<ManagedSession> session)
      : env_(env), session_(std::move(session)) {}
  ~SessionCall();
  SessionCall(const SessionCall&) = delete;
  SessionCall& operator=(const SessionCall&) = delete;

  // Waits for the session's turn: NotFound if the session is closed
  // meanwhile, Cancelled when `*cancel` becomes true.
  absl::Status TakeTurn(const std::atomic<bool>* cancel);

  ManagedSession& session() const { return *session_; }

 private:
  Env* const env_;
  const std::shared_ptr<ManagedSession> session_;
  bool has_turn_ = false;
};

// State `id` (which must exist) of `s` as a client sees it, its goals
// parsed by the session's backend.
SessionStateInfo DescribeState(const ManagedSession& s, uint64_t id)
    ABSL_EXCLUSIVE_LOCKS_REQUIRED(s.mu);

}  // namespace thor

#endif  // THOR_SESSIONS_SESSION_H_
