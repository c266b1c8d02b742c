// The search's watchdog: an executor polls it every kPoll, and it ends the
// search when it is cancelled or out of wall time, emits the progress events,
// and once the search has ended names the calls still running to interrupt
// (again every kReinterrupt while they run: a prover may miss an interrupt
// that came just before its call). Its clock is an Env, so its tests move
// time by hand instead of sleeping. Not thread-safe: the executor polls it
// under the lock that guards its core and sessions. Internal to search/.
#ifndef THOR_SEARCH_WATCHDOG_H_
#define THOR_SEARCH_WATCHDOG_H_

#include <algorithm>
#include <atomic>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/env.h"
#include "search/prover.h"
#include "search/search_core.h"
#include "search/session_slots.h"

namespace thor {

class Watchdog {
 public:
  static constexpr absl::Duration kPoll = absl::Milliseconds(10);
  static constexpr absl::Duration kReinterrupt = absl::Milliseconds(500);

  // `cancel` may be null. `env` is the clock, and outlives the watchdog.
  Watchdog(Env* env, const std::atomic<bool>* cancel, absl::Duration wall_time,
           absl::Duration progress_interval);
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  // The search starts at `start`: the wall-time budget and the progress
  // interval run from there.
  void Start(absl::Time start);
  absl::Time start() const { return start_; }
  // Brings the deadline forward to `deadline` if that is earlier.
  void Shorten(absl::Time deadline) { deadline_ = std::min(deadline_, deadline); }
  absl::Time deadline() const { return deadline_; }
  Env* env() const { return env_; }
  // Time left before the deadline at `now`, at least 1 ms (a call's limit).
  absl::Duration Remaining(absl::Time now) const {
    return std::max(absl::Milliseconds(1), deadline_ - now);
  }

  // One poll at `now`: ends `core` as cancelled or out of wall time (a
  // cancel wins), emits a progress event when one is due while the search
  // runs, and once `core` is done returns the sessions of `slots` in a call
  // not interrupted in the last kReinterrupt, for the caller to interrupt
  // after releasing its lock (Interrupt may block).
  std::vector<ProverSession*> Poll(absl::Time now, SearchCore& core,
                                   SessionSlots& slots);

  // On the calling thread: calls `poll` every kPoll (real time) until `stop`
  // is notified, and interrupts the sessions each call returns. Waits on
  // `stop`, so an executor's threads never wait for the watchdog's lock.
  static void Loop(const absl::Notification& stop,
                   absl::FunctionRef<std::vector<ProverSession*>()> poll);

 private:
  Env* const env_;
  const std::atomic<bool>* const cancel_;
  const absl::Duration wall_time_;
  const absl::Duration progress_interval_;
  absl::Time start_;
  absl::Time deadline_;
  absl::Time next_progress_;
};

}  // namespace thor

#endif  // THOR_SEARCH_WATCHDOG_H_
