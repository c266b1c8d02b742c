// Turns a cancel flag into an action: `on_cancel` is called once, soon after
// `cancelled()` returns true, while the watcher lives. For blocking calls
// that cannot see a flag themselves (a read from a prover process, a hammer
// run, an RPC), so that cancelling them is one line.
//
//   CancelWatcher watcher([cancel] { return cancel->load(); },
//                         [session] { session->Interrupt(); });
//   session->Apply(...);  // Interrupted soon after *cancel becomes true.
//
// All watchers share one polling thread, started on first use and kept for
// the life of the process: a watcher is made for every RPC and every proof
// step, and a thread started and joined for each cost milliseconds of
// scheduling on a busy 2-core machine (measured by bench/session_step).
// `cancelled()` runs on that thread under its lock, so it must be cheap and
// must not block; `on_cancel` runs on it without the lock and must be quick
// (set a flag, send a signal): the other watchers wait for it.
#ifndef THOR_COMMON_CANCEL_WATCHER_H_
#define THOR_COMMON_CANCEL_WATCHER_H_

#include <atomic>
#include <cstdint>
#include <functional>

#include "absl/time/time.h"

namespace thor {

class CancelWatcher {
 public:
  // Looks at `cancelled` at once and then every `poll` (a flag has no
  // wake-up of its own; the shared thread polls at the shortest period any
  // live watcher asks for).
  CancelWatcher(std::function<bool()> cancelled, std::function<void()> on_cancel,
                absl::Duration poll = absl::Milliseconds(20));
  // Watches `*cancel` (nothing if null).
  CancelWatcher(const std::atomic<bool>* cancel, std::function<void()> on_cancel,
                absl::Duration poll = absl::Milliseconds(20));
  // Returns at once unless `on_cancel` is running, then when it has
  // returned: after this, it never runs.
  ~CancelWatcher();
  CancelWatcher(const CancelWatcher&) = delete;
  CancelWatcher& operator=(const CancelWatcher&) = delete;

 private:
  uint64_t id_ = 0;
};

}  // namespace thor

#endif  // THOR_COMMON_CANCEL_WATCHER_H_
