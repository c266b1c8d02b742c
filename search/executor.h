// What every executor of a SearchCore's calls shares: the core, the prover
// sessions (SessionSlots) and the Watchdog under one mutex; the search's
// start (session 0 loads the theorem and gives the root) and its end (the
// result, with the fresh re-check of a found proof); making one call with the
// mutex released; and the watchdog's polling loop. Subclasses decide who
// makes the calls: InlineExecutor, the caller's thread one call at a time
// (the sequential mode); WorkerPool, worker threads (pipelined, and through
// OrderedCalls the reproducible mode). Internal to search/.
#ifndef THOR_SEARCH_EXECUTOR_H_
#define THOR_SEARCH_EXECUTOR_H_

#include <atomic>
#include <condition_variable>
#include <memory>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/env.h"
#include "search/observer.h"
#include "search/policy.h"
#include "search/prover.h"
#include "search/search_core.h"
#include "search/search_mutex.h"
#include "search/search_result.h"
#include "search/session_slots.h"
#include "search/watchdog.h"

namespace thor {

// A session that has loaded the search's theorem, and the root state it gave:
// what the probe phase hands to the search proper (search/best_first.cc), so
// the theorem is loaded once.
struct LoadedSession {
  std::unique_ptr<ProverSession> session;
  ProofState root;
};

class Executor {
 public:
  // `env`: the search's clock (Env::Default() but in tests); outlives this.
  Executor(Env* env, ProverBackend& backend, Policy& policy, const Theorem& theorem,
           const SearchConfig& config, SearchObserver* observer,
           const std::atomic<bool>* cancel);
  virtual ~Executor() = default;
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // Runs the search once. See RunBestFirstSearch.
  SearchResult Run();

  // Before Run: the search starts on `loaded` (its session has loaded this
  // theorem; its root is `loaded.root`) as session 0 instead of loading the
  // theorem on a new one.
  void StartOn(LoadedSession loaded);
  // After Run: session 0 and the root, if the search had started and the
  // session is still live (not retired after lost provers); nullopt
  // otherwise. The session keeps its prover process and the states on it.
  std::optional<LoadedSession> TakeLoaded();

 protected:
  // Whom Notify wakes among the threads waiting on work_cv_.
  enum class Wake { kNone, kOne, kAll };

  // Makes the core's calls until it is done and no call is left running,
  // and runs the watchdog meanwhile (Watch), then notifies calls_done_.
  // Called with mu_ released, once the root is in the core.
  virtual void RunCalls() = 0;
  // After each watchdog poll, mu_ held: e.g. wake threads for work.
  virtual void OnPoll(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) = 0;

  // Starts session `slot` (not 0) for a worker; whether it went live.
  bool StartSlot(int slot);
  // A call in two halves, its outcome in `*d`: Prepare* (mu_ held) takes
  // what the call needs from the core and the slots; Make* releases mu_
  // around the call to the policy or prover, and Notify(wake) once it is
  // released (a woken thread does not block on mu_ at once). A scheduler
  // decides `wake` in between, seeing the call already taken.
  struct PendingQuery {
    PolicyQuery query;
    absl::Time t0;
    absl::Duration limit;
  };
  struct PendingStep {
    ProverSession* session;
    const ProofState* from;   // Kept until the step is completed.
    const std::string* step;  // Pool strings never move.
    absl::Time t0;
    absl::Duration limit;
  };
  PendingQuery PrepareQuery(int node, QueryDone* d) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void MakeQuery(const PendingQuery& p, Wake wake, QueryDone* d)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  PendingStep PrepareStep(int slot, const StepJob& job, StepDone* d)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void MakeStep(const PendingStep& p, Wake wake, StepDone* d)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Hands a finished step to the slots (lost sessions) and the core.
  // (Inline: a worker calls it for every step.)
  void CompleteStep(StepDone& d) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    slots_.NoteOutcome(d.slot, d.r.step.kind);
    core_.Complete(d, /*sessions_left=*/slots_.live() > 0);
  }
  // Ends the search when every session is lost, or the core is idle.
  void MaybeFinishIdle() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Notify(Wake wake);  // With or without mu_ held.
  // The watchdog on the calling thread, polled every Watchdog::kPoll until
  // calls_done_ is notified; interrupts calls once the search is done.
  void Watch();

  Env* const env_;
  ProverBackend& backend_;
  Policy& policy_;
  const Theorem& theorem_;
  absl::Notification calls_done_;  // Every call has returned.

  mutable SearchMutex mu_;
  SearchCore core_ ABSL_GUARDED_BY(mu_);
  // The core's normalised config (never changes after construction).
  const SearchConfig& config_;
  SessionSlots slots_ ABSL_GUARDED_BY(mu_);
  Watchdog watchdog_ ABSL_GUARDED_BY(mu_);
  // Threads waiting for work or for the end of the search wait on this.
  std::condition_variable work_cv_;
  // By CallKind, for a scheduler: recent calls' mean duration (a moving
  // average; slow until calls show otherwise), and when a call last returned.
  double call_us_avg_[3] ABSL_GUARDED_BY(mu_) = {1000, 1000, 1000};
  absl::Time last_call_end_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  // The prover's refusal to open the theorem (SearchResult::rejected).
  absl::Status rejected_ ABSL_GUARDED_BY(mu_);
  // StartOn's session (before Run), then the root the search started from.
  LoadedSession loaded_ ABSL_GUARDED_BY(mu_);

 private:
  // Forwards a session's ProverProgress to the core (locks mu_).
  ProverProgressCallback ProgressCallback();
  void NoteCallEnd(CallKind kind, absl::Time end, absl::Duration elapsed)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Loads the theorem on session 0 and gives the core its root; false (the
  // core finished with the reason) if that failed.
  bool StartSearch() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Session 0 is installed and has loaded the theorem: the search starts
  // from `root` (kept for TakeLoaded).
  void BeginAt(ProofState root) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The result; the fresh re-check of a found proof (search/recheck.h) runs
  // with mu_ released.
  SearchResult MakeResult() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
};

}  // namespace thor

#endif  // THOR_SEARCH_EXECUTOR_H_
