// The sequential mode's executor: the caller's thread makes the core's calls
// one at a time, in the core's order (a query, then its candidates best
// first, then the next query), while the watchdog runs on a thread of its
// own. The same calls in the same order as WorkerPool with one worker, with
// no scheduler. Internal to search/.
#ifndef THOR_SEARCH_INLINE_EXECUTOR_H_
#define THOR_SEARCH_INLINE_EXECUTOR_H_

#include "absl/base/attributes.h"
#include "absl/base/thread_annotations.h"
#include "absl/time/time.h"
#include "search/executor.h"

namespace thor {

class InlineExecutor final : public Executor {
 public:
  using Executor::Executor;

 private:
  void RunCalls() override;
  // Wakes the caller's thread once the search is done, should it be
  // waiting with no call to make.
  void OnPoll(absl::Time now) override ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The watchdog's thread (its own function, so a profile tells it apart).
  ABSL_ATTRIBUTE_NOINLINE void WatchdogThread();
};

}  // namespace thor

#endif  // THOR_SEARCH_INLINE_EXECUTOR_H_
