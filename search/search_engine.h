// The machinery behind RunBestFirstSearch (search/best_first.h): worker
// threads for model queries and prover sessions around one SearchTree, all
// state under one mutex. Internal to search/.
#ifndef THOR_SEARCH_SEARCH_ENGINE_H_
#define THOR_SEARCH_SEARCH_ENGINE_H_

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "search/observer.h"
#include "search/policy.h"
#include "search/prover.h"
#include "search/search_result.h"
#include "search/search_tree.h"

namespace thor {

// Deterministic 64-bit mix of `seed` and `text` (FNV-1a + splitmix64), used to
// seed each policy query so a state's candidates do not depend on timing.
uint64_t QuerySeed(uint64_t seed, const std::string& text);

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
  enum class Role { kQuery, kStep, kAny };
  struct Slot {
    std::unique_ptr<ProverSession> session;
    bool busy = false;
    bool live = false;
    int consecutive_lost = 0;
    absl::Time last_interrupt = absl::InfinitePast();
  };

  // Worker threads.
  void Worker(Role role, int slot);
  bool StartSlot(int slot);
  void Watchdog();

  // Job selection, run, and integration. Take* and Finish* hold mu_.
  bool CanStartQuery() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool CanStartStep() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool HasWork(Role role) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void RunQuery() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void RunStep(int slot) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void FinishQuery(int node, absl::StatusOr<std::vector<Candidate>> result,
                   absl::Duration t, absl::Duration elapsed)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void QueueCandidates(int node, std::vector<Candidate> candidates)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // CheckStepAllowed, memoised; records and reports a refusal.
  bool StepAllowed(int node, const Candidate& c) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void FinishStep(int slot, const StepJob& job, const StepResult& r)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void FinishHammer(int slot, const StepJob& job, const HammerStepResult& r)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Adds the state reached by `job` (kNewState / kProofFinished); returns the
  // node id, or -1 for a duplicate (then *duplicate_of is set).
  int Reach(const StepJob& job, const std::string& step_text,
            const std::string& hammer_prover, const StepResult& r,
            absl::Duration t, int* duplicate_of)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void NoteLost(int slot, StepKind kind) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void MaybeFinishIdle() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void FinishPolicyFailure() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Finish(SearchStatus status, std::string message)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void EmitProgress() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Duration Elapsed() const { return absl::Now() - start_; }
  absl::Duration Remaining() const;
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

  mutable absl::Mutex mu_;
  SearchTree tree_ ABSL_GUARDED_BY(mu_);
  SearchStats stats_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<uint64_t, bool> step_allowed_ ABSL_GUARDED_BY(mu_);
  std::vector<Slot> slots_ ABSL_GUARDED_BY(mu_);
  int starting_slots_ ABSL_GUARDED_BY(mu_) = 0;
  int live_slots_ ABSL_GUARDED_BY(mu_) = 0;
  int running_workers_ ABSL_GUARDED_BY(mu_) = 0;
  int queries_issued_ ABSL_GUARDED_BY(mu_) = 0;
  int queries_inflight_ ABSL_GUARDED_BY(mu_) = 0;
  int steps_inflight_ ABSL_GUARDED_BY(mu_) = 0;
  int hammers_inflight_ ABSL_GUARDED_BY(mu_) = 0;
  int consecutive_policy_failures_ ABSL_GUARDED_BY(mu_) = 0;
  std::string last_session_error_ ABSL_GUARDED_BY(mu_);
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
