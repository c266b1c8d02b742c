// The worker pool: worker threads that make a SearchCore's calls (model
// queries, and steps on the prover sessions), with a self-tuning scheduler
// (the quick-call runner, wake-ups) and, in the reproducible mode,
// OrderedCalls between the core and the workers. The pipelined and
// reproducible modes run here; the sequential mode runs on InlineExecutor
// (this pool with one worker makes the same calls in the same order).
// Internal to search/.
#ifndef THOR_SEARCH_WORKER_POOL_H_
#define THOR_SEARCH_WORKER_POOL_H_

#include <atomic>

#include "absl/base/attributes.h"
#include "absl/base/thread_annotations.h"
#include "absl/time/time.h"
#include "search/executor.h"
#include "search/ordered_calls.h"

namespace thor {

class WorkerPool final : public Executor {
 public:
  using Executor::Executor;

 private:
  // One thread per call that may be in flight (one in sequential mode), so
  // none waits for a thread; the watchdog runs on the caller's thread.
  void RunCalls() override;
  // The watchdog's wake-ups: every sleeper once the search is done, or one
  // when no call has returned for a while (a call expected to be quick was
  // not) and there is work.
  void OnPoll(absl::Time now) override ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // Worker threads: each takes whichever call may start next (a query or a
  // step on an idle session), so work is rarely handed between threads.
  // Worker `start_slot` > 0 first starts that session.
  ABSL_ATTRIBUTE_NOINLINE void Worker(int worker, int start_slot);

  // Make a call as `worker`, waking another worker for the rest if need be.
  // (Inlined into Worker: they run for every call.)
  void RunQuery(int worker, int node, QueryDone* d) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    const PendingQuery p = PrepareQuery(node, d);
    MakeQuery(p, BeforeCall(worker, kQueryCall), d);
  }
  void RunStep(int worker, int slot, const StepJob& job, StepDone* d)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    const PendingStep p = PrepareStep(slot, job, d);
    MakeStep(p, BeforeCall(worker, job.hammer ? kHammerCall : kStepCall), d);
  }

  // Whether a worker can run a step / a query now (seeded mode: whether a
  // ticket waits). `wake`: whether a sleeping worker should be woken for it,
  // or an awake one put it before a step (a lower bar on the step backlog
  // than for an awake one with nothing else to do).
  bool StepReady() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool QueryReady(bool wake) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool HasWork(bool wake) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void CompleteInOrder(uint64_t seq, OrderedCalls::Completed done)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Whether to wake a sleeping worker now that the state may have changed
  // (every one once the search is done).
  Wake ToWake() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Quick calls: calls of a kind that lately returned within a thread
  // hand-off's time are run by one worker at a time, the runner, which
  // wakes no other for them (it is back for the next call sooner than a
  // woken worker would be); the others sleep. Before any other call the
  // runner hands over and wakes a sleeper if there is work.
  bool Quick(CallKind kind) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Whether `worker` should sleep though there is work: the next call is
  // quick and another worker is the runner.
  bool Surplus(int worker) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Whether the next call a worker takes is a query (else a step).
  bool NextIsQuery() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Whom to wake as `worker` starts a call of `kind`.
  Wake BeforeCall(int worker, CallKind kind) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  OrderedCalls ordered_ ABSL_GUARDED_BY(mu_);  // Seeded mode.
  // Sleeping workers, and what wakes them: before a worker that may have
  // changed the search's state starts a call, it wakes one sleeper if there
  // is work left (all of them once the search is done).
  int sleeping_ ABSL_GUARDED_BY(mu_) = 0;
  int waking_ ABSL_GUARDED_BY(mu_) = 0;  // Sleepers woken, not yet running.
  int runner_ ABSL_GUARDED_BY(mu_) = -1;  // The worker running quick calls.
  int running_workers_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace thor

#endif  // THOR_SEARCH_WORKER_POOL_H_
