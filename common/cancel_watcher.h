// One helper thread that turns a cancel flag into an action: it calls
// `on_cancel` once, as soon as `cancelled()` returns true, while the watcher
// lives. For blocking calls that cannot see a flag themselves (a read from a
// prover process, a hammer run, an RPC), so that cancelling them is one line.
//
//   CancelWatcher watcher([cancel] { return cancel->load(); },
//                         [session] { session->Interrupt(); });
//   session->Apply(...);  // Interrupted soon after *cancel becomes true.
#ifndef THOR_COMMON_CANCEL_WATCHER_H_
#define THOR_COMMON_CANCEL_WATCHER_H_

#include <atomic>
#include <functional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace thor {

class CancelWatcher {
 public:
  // Polls `cancelled` every `poll` (a flag has no wake-up of its own).
  CancelWatcher(std::function<bool()> cancelled, std::function<void()> on_cancel,
                absl::Duration poll = absl::Milliseconds(20));
  // Watches `*cancel` (nothing if null).
  CancelWatcher(const std::atomic<bool>* cancel, std::function<void()> on_cancel,
                absl::Duration poll = absl::Milliseconds(20));
  ~CancelWatcher();  // Wakes and joins the helper thread at once.
  CancelWatcher(const CancelWatcher&) = delete;
  CancelWatcher& operator=(const CancelWatcher&) = delete;

 private:
  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace thor

#endif  // THOR_COMMON_CANCEL_WATCHER_H_
