// The machinery behind RunBestFirstSearch (search/best_first.h): a pool of
// worker threads that make a SearchCore's calls (model queries, and steps on
// the prover sessions of SessionSlots), with a self-tuning scheduler (the
// quick-call runner, wake-ups), the watchdog (cancel, wall time, interrupts),
// and OrderedCalls for the reproducible mode; all state under one mutex.
// Internal to search/.
#ifndef THOR_SEARCH_SEARCH_ENGINE_H_
#define THOR_SEARCH_SEARCH_ENGINE_H_

#include <atomic>
#include <condition_variable>
#include <mutex>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "search/observer.h"
#include "search/ordered_calls.h"
#include "search/policy.h"
#include "search/prover.h"
#include "search/search_core.h"
#include "search/search_result.h"
#include "search/session_slots.h"

namespace thor {

// The search's mutex: a plain std::mutex (absl::Mutex, as Debian builds it,
// runs deadlock detection on every Lock, a third of the search's own cost
// per step), annotated for thread-safety analysis. Waits go through Wait.
class ABSL_LOCKABLE SearchMutex {
 public:
  // Spins a little before sleeping: critical sections are short, and a
  // sleep costs two context switches.
  void Lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() {
    for (int i = 0; i < 200; ++i) {
      if (m_.try_lock()) return;
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#endif
    }
    m_.lock();
  }
  void Unlock() ABSL_UNLOCK_FUNCTION() { m_.unlock(); }
  // Waits on `cv` until notified (or spuriously); held on entry and exit.
  void Wait(std::condition_variable& cv) ABSL_EXCLUSIVE_LOCKS_REQUIRED(this) {
    std::unique_lock<std::mutex> l(m_, std::adopt_lock);
    cv.wait(l);
    l.release();
  }

 private:
  std::mutex m_;
};

class ABSL_SCOPED_LOCKABLE SearchLock {
 public:
  explicit SearchLock(SearchMutex* mu) ABSL_EXCLUSIVE_LOCK_FUNCTION(mu) : mu_(mu) {
    mu_->Lock();
  }
  ~SearchLock() ABSL_UNLOCK_FUNCTION() { mu_->Unlock(); }
  SearchLock(const SearchLock&) = delete;
  SearchLock& operator=(const SearchLock&) = delete;

 private:
  SearchMutex* mu_;
};

class SearchEngine {
 public:
  SearchEngine(ProverBackend& backend, Policy& policy, const Theorem& theorem,
               const SearchConfig& config, SearchObserver* observer,
               const std::atomic<bool>* cancel);
  SearchEngine(const SearchEngine&) = delete;
  SearchEngine& operator=(const SearchEngine&) = delete;

  // Runs the search once. See RunBestFirstSearch.
  SearchResult Run();

 private:
  enum class Wake { kNone, kOne, kAll };

  // Worker threads: each takes whichever call may start next (a query or a
  // step on an idle session), so work is rarely handed between threads.
  // Worker `start_slot` > 0 first starts that session.
  void Worker(int worker, int start_slot);
  bool StartSlot(int slot);
  void Watchdog();

  // Whether a worker can run a step / a query now (seeded mode: whether a
  // ticket waits). `wake`: whether a sleeping worker should be woken for it,
  // or an awake one put it before a step (a lower bar on the step backlog
  // than for an awake one with nothing else to do).
  bool StepReady() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool QueryReady(bool wake) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool HasWork(bool wake) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Run a call; they release mu_ around the call to the policy or prover.
  QueryDone ExecQuery(int worker, int node) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  StepDone ExecStep(int worker, int slot, const StepJob& job)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Hands a finished step to the slots (lost sessions) and the core.
  void CompleteStep(StepDone& d) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void CompleteInOrder(uint64_t seq, OrderedCalls::Completed done)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Ends the search when every session is lost, or the core is idle.
  void MaybeFinishIdle() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Whether to wake a sleeping worker now that the state may have changed
  // (every one once the search is done); Notify wakes them (with or without
  // mu_ held).
  Wake ToWake() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Notify(Wake wake);
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
  void NoteCallEnd(CallKind kind, absl::Time end, absl::Duration elapsed)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Duration Elapsed() const { return absl::Now() - start_; }
  absl::Duration Remaining(absl::Time now = absl::Now()) const;
  // The result; the fresh re-check of a found proof (search/recheck.h) runs
  // with mu_ released.
  SearchResult MakeResult() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  ProverBackend& backend_;
  Policy& policy_;
  const Theorem& theorem_;
  const std::atomic<bool>* cancel_;
  absl::Time start_;
  absl::Time deadline_;
  absl::Notification workers_exited_;

  mutable SearchMutex mu_;
  SearchCore core_ ABSL_GUARDED_BY(mu_);
  // The core's normalised config (never changes after construction).
  const SearchConfig& config_;
  SessionSlots slots_ ABSL_GUARDED_BY(mu_);
  OrderedCalls ordered_ ABSL_GUARDED_BY(mu_);  // Seeded mode.
  // Sleeping workers, and what wakes them: before a worker that may have
  // changed the search's state starts a call, it wakes one sleeper if there
  // is work left (all of them once the search is done).
  std::condition_variable work_cv_;
  int sleeping_ ABSL_GUARDED_BY(mu_) = 0;
  int waking_ ABSL_GUARDED_BY(mu_) = 0;  // Sleepers woken, not yet running.
  int runner_ ABSL_GUARDED_BY(mu_) = -1;  // The worker running quick calls.
  // By CallKind: recent calls' mean duration (a moving average; slow until
  // calls show otherwise), and when a call last returned.
  double call_us_avg_[3] ABSL_GUARDED_BY(mu_) = {1000, 1000, 1000};
  absl::Time last_call_end_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  int running_workers_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Time next_progress_ ABSL_GUARDED_BY(mu_);
};

}  // namespace thor

#endif  // THOR_SEARCH_SEARCH_ENGINE_H_
