// A pool of warm coqtop processes with the prelude (CoqHammer) loaded. A
// session takes one for its lifetime and gives it back reset to its base
// state, so CoqHammer's feature cache (slow to build) is reused across
// theorems. Dead or hung processes are never handed out: they are dropped.
// Once the pool has been used, a background thread keeps `spares` idle
// processes started ahead of need, so replacing a killed coqtop (whose
// successor pays CoqHammer's 30-60 s warm-up) costs a session next to
// nothing; an Acquire with none idle waits for a start in progress rather
// than starting a second one. A server keeps processes warm from the start
// (KeepWarm); a session that finds none ready has one started in the
// background (StartInBackground) and works without it meanwhile.
#ifndef THOR_COQ_BRIDGE_COQTOP_POOL_H_
#define THOR_COQ_BRIDGE_COQTOP_POOL_H_

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "coq_bridge/coqtop.h"

namespace thor::coq {

// How a process's kept states (Coqtop::Park, ParkWhole) fit a caller that
// loads `head` first and then the rest of `whole`: kWhole if it loaded
// exactly `whole` last, kHead if it is parked at a text `head` extends
// (ExtendsAtSentenceEnd), else kNone. The one rule the pool (which process
// to hand out) and the session (what is left to load) both follow.
enum class ContextFit { kNone, kHead, kWhole };
ContextFit FitOf(const Coqtop& coq, absl::string_view head, absl::string_view whole);

class CoqtopPool {
 public:
  // Keeps at most max(max_idle, spares, KeepWarm's count) idle processes,
  // and (after the first Acquire) starts processes in the background while
  // fewer than `spares` are idle.
  CoqtopPool(CoqtopOptions options, int max_idle, int spares = 0);
  // Cancels a background start in progress (its coqtop is killed).
  ~CoqtopPool();

  // A live process at its base state: an idle one, one being started in
  // the background, or a newly started one. Errors as Coqtop::Start;
  // DeadlineExceeded if a background start is still running at `deadline`;
  // Cancelled soon after `*cancel` becomes true. Thread-safe.
  // With a `head` (the text the caller loads first and would park) and its
  // `whole` preamble, an idle process that loaded exactly `whole` last
  // (Coqtop::ParkWhole) is preferred, then one parked at a text `head`
  // extends (Coqtop::Park, ExtendsAtSentenceEnd), the longest first; such a
  // process comes back as Release left it, at its whole or parked state,
  // and the caller loads only what it lacks. Any other process comes back
  // at its base state, unparked (an idle one at its base state is preferred
  // to backing a parked one).
  absl::StatusOr<std::unique_ptr<Coqtop>> Acquire(absl::Time deadline,
                                                  const std::atomic<bool>* cancel = nullptr,
                                                  absl::string_view head = {},
                                                  absl::string_view whole = {});
  // An idle live process as Acquire gives it, or null if none is idle
  // (never starts or waits for one). Thread-safe.
  std::unique_ptr<Coqtop> TryAcquire(absl::string_view head = {}, absl::string_view whole = {});
  // Has one process started in the background unless one is idle or being
  // started, also when the pool keeps no spares. Thread-safe.
  void StartInBackground();
  // From now on keeps `processes` idle processes started in the background,
  // used or not (0: as before). Thread-safe.
  void KeepWarm(int processes);
  // Takes a process back: reset to its whole preamble's state if it has one,
  // else to its parked state if it has one, else to its base state, and
  // kept if it is alive (else dropped); when the pool keeps no more idle
  // processes, the oldest idle one is killed to make room, since the newest
  // has the latest context kept. Thread-safe.
  void Release(std::unique_ptr<Coqtop> coq);

  int idle() const;
  int started() const;  // Processes started over the pool's life.
  // Processes Acquire handed out to a caller they fitted, over the pool's
  // life: parked at a text the caller's head extends, or (also counted in
  // whole_reuses) having loaded the caller's whole preamble.
  int parked_reuses() const;
  int whole_reuses() const;
  const CoqtopOptions& options() const { return options_; }

 private:
  void RefillLoop();
  // How many idle processes the background thread keeps.
  int Target() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Whether Acquire should wait for a background start rather than start
  // one itself (one runs, or StartInBackground asked for one).
  bool BackgroundStartComing() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Takes the idle process that suits the caller best (see Acquire); null if
  // none is idle.
  std::unique_ptr<Coqtop> TakeIdle(absl::string_view head, absl::string_view whole,
                                   ContextFit* fit) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // A taken process ready for its caller: as Release left it if it fits,
  // else backed to its base state and unparked; null if that failed (the
  // process is dropped).
  std::unique_ptr<Coqtop> Ready(std::unique_ptr<Coqtop> coq, ContextFit fit);

  const CoqtopOptions options_;
  const int max_idle_;
  const int spares_;
  int warm_ ABSL_GUARDED_BY(mu_) = 0;            // KeepWarm.
  bool requested_ ABSL_GUARDED_BY(mu_) = false;  // StartInBackground.
  std::atomic<bool> stop_{false};
  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<Coqtop>> idle_ ABSL_GUARDED_BY(mu_);
  int started_ ABSL_GUARDED_BY(mu_) = 0;
  int parked_reuses_ ABSL_GUARDED_BY(mu_) = 0;
  int whole_reuses_ ABSL_GUARDED_BY(mu_) = 0;
  bool used_ ABSL_GUARDED_BY(mu_) = false;        // Acquire was called.
  bool refilling_ ABSL_GUARDED_BY(mu_) = false;   // A background start is running.
  int refill_failures_ ABSL_GUARDED_BY(mu_) = 0;  // In a row; backs off.
  std::thread refill_;
};

}  // namespace thor::coq

#endif  // THOR_COQ_BRIDGE_COQTOP_POOL_H_
