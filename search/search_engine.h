// The machinery behind RunBestFirstSearch (search/best_first.h): worker
// threads for model queries and prover sessions around one SearchTree, all
// state under one mutex. Internal to search/.
#ifndef THOR_SEARCH_SEARCH_ENGINE_H_
#define THOR_SEARCH_SEARCH_ENGINE_H_

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "search/observer.h"
#include "search/policy.h"
#include "search/prover.h"
#include "search/search_result.h"
#include "search/search_tree.h"
#include "search/session_slots.h"

namespace thor {

// Deterministic 64-bit mix of `seed` and `text` (FNV-1a + splitmix64), used to
// seed each policy query so a state's candidates do not depend on timing.
uint64_t QuerySeed(uint64_t seed, const std::string& text);

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
  enum CallKind { kQueryCall, kStepCall, kHammerCall };

  // A finished model query or step job, waiting to be integrated.
  struct QueryDone {
    int node = 0;
    absl::StatusOr<std::vector<Candidate>> result;
    absl::Duration t;
    absl::Duration elapsed;
  };
  struct StepDone {
    int slot = 0;
    StepJob job;
    HammerStepResult r;  // A step's outcome is r.step.
    absl::Duration t;    // When the call returned, since the start.
  };
  // Seeded (reproducible) mode: calls handed to workers, numbered in the
  // order they were issued, and results waiting for earlier ones.
  struct Ticket {
    uint64_t seq = 0;
    int node = 0;  // Queries.
    StepJob job;   // Steps.
  };
  struct Completed {
    bool query = false;
    QueryDone q;
    StepDone s;
  };

  // Worker threads: each takes whichever call may start next (a query or a
  // step on an idle session), so work is rarely handed between threads.
  // Worker `start_slot` > 0 first starts that session.
  void Worker(int worker, int start_slot);
  bool StartSlot(int slot);
  void Watchdog();

  // Job selection, run, and integration. All hold mu_; Exec* release it
  // around the call to the policy or the prover.
  // `wake`: whether a sleeping worker should be woken for it, or an awake
  // one put it before a step (a lower bar on the step backlog than for an
  // awake one with nothing else to do).
  bool CanStartQuery(bool wake = false) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Whether a step job may be taken (seeded mode: issued as a ticket).
  bool CanStartStep() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Whether a worker can run a step / a query now.
  bool StepReady() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool QueryReady(bool wake) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool HasWork(bool wake) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  int TakeQuery() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  StepJob TakeStep() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  QueryDone ExecQuery(int worker, int node) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  StepDone ExecStep(int worker, int slot, const StepJob& job)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Seeded mode: issues every call the search can make now as tickets, and
  // integrates finished calls strictly in ticket order.
  void Dispatch() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void IntegrateInOrder(uint64_t seq, Completed done) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void FinishQuery(QueryDone& d) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void FinishStepJob(StepDone& d) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void QueueCandidates(int node, std::vector<Candidate>& candidates)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // ProverBackend::CheckStep, memoised by step; records and reports a refusal.
  bool StepAllowed(int node, uint32_t step, double logprob)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // `t`: when the call returned, since the start.
  void FinishStep(int slot, const StepJob& job, StepResult& r, absl::Duration t)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void FinishHammer(int slot, const StepJob& job, HammerStepResult& r,
                    absl::Duration t) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Adds the state reached by `job` (kNewState / kProofFinished), taking its
  // id and text from `r` (copied if an observer still needs them); returns
  // the node id, or -1 for a duplicate (then *duplicate_of is set).
  int Reach(const StepJob& job, uint32_t step, uint32_t hammer_prover,
            StepResult& r, absl::Duration t, int* duplicate_of)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
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
  void FinishPolicyFailure() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Finish(SearchStatus status, std::string message)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void EmitProgress() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Duration Elapsed() const { return absl::Now() - start_; }
  absl::Duration Remaining(absl::Time now = absl::Now()) const;
  // The result; the fresh re-check of a found proof (search/recheck.h) runs
  // with mu_ released.
  SearchResult MakeResult() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  ProverBackend& backend_;
  Policy& policy_;
  const Theorem& theorem_;
  SearchConfig config_;
  SearchObserver* observer_;
  const std::atomic<bool>* cancel_;
  uint64_t seed_;
  int max_hammers_;
  size_t backlog_limit_;
  absl::Time start_;
  absl::Time deadline_;
  std::atomic<bool> stop_{false};  // Tells in-flight policy queries to quit.
  absl::Notification workers_exited_;

  mutable SearchMutex mu_;
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
  SearchTree tree_ ABSL_GUARDED_BY(mu_);
  SearchStats stats_ ABSL_GUARDED_BY(mu_);
  uint32_t hammer_step_ = 0;  // Pool id of config.hammer_token.
  // By step pool id: kUnchecked, kAllowed, or the pool id of the refusal.
  std::vector<uint32_t> step_verdicts_ ABSL_GUARDED_BY(mu_);
  // QueueCandidates' merge, by step pool id: the query that last saw the
  // step and where it was kept.
  struct Seen {
    uint64_t query = 0;
    uint32_t index = 0;
  };
  std::vector<Seen> merge_seen_ ABSL_GUARDED_BY(mu_);
  uint64_t merge_query_ ABSL_GUARDED_BY(mu_) = 0;
  // Seeded mode.
  std::deque<Ticket> query_tickets_ ABSL_GUARDED_BY(mu_);
  std::deque<Ticket> step_tickets_ ABSL_GUARDED_BY(mu_);
  std::map<uint64_t, Completed> completed_ ABSL_GUARDED_BY(mu_);
  uint64_t next_ticket_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t next_to_integrate_ ABSL_GUARDED_BY(mu_) = 0;
  SessionSlots slots_ ABSL_GUARDED_BY(mu_);
  int running_workers_ ABSL_GUARDED_BY(mu_) = 0;
  int queries_issued_ ABSL_GUARDED_BY(mu_) = 0;
  int queries_inflight_ ABSL_GUARDED_BY(mu_) = 0;
  int steps_inflight_ ABSL_GUARDED_BY(mu_) = 0;
  int hammers_inflight_ ABSL_GUARDED_BY(mu_) = 0;
  int consecutive_policy_failures_ ABSL_GUARDED_BY(mu_) = 0;
  std::string last_policy_error_ ABSL_GUARDED_BY(mu_);
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  SearchStatus status_ ABSL_GUARDED_BY(mu_) = SearchStatus::kError;
  std::string message_ ABSL_GUARDED_BY(mu_);
  int proof_node_ ABSL_GUARDED_BY(mu_) = -1;
  absl::Duration finished_at_ ABSL_GUARDED_BY(mu_);
  absl::Time next_progress_ ABSL_GUARDED_BY(mu_);
};

}  // namespace thor

#endif  // THOR_SEARCH_SEARCH_ENGINE_H_
