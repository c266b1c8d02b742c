// SearchCore: the best-first search itself, with no thread and no lock. It
// owns the tree, the budgets and the stopping rules, and speaks in calls:
// Next() names a model query or a prover step (or hammer call) to make, the
// caller makes it however it likes (search/executor.h: inline, or on
// worker threads, in order or not) and hands the outcome back with
// Complete(). Not thread-safe: a caller with threads guards it with a lock.
// Internal to search/.
#ifndef THOR_SEARCH_SEARCH_CORE_H_
#define THOR_SEARCH_SEARCH_CORE_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/env.h"
#include "search/observer.h"
#include "search/policy.h"
#include "search/prover.h"
#include "search/search_result.h"
#include "search/search_tree.h"

namespace thor {

// Deterministic 64-bit mix of `seed` and `text` (FNV-1a + splitmix64), used to
// seed each policy query so a state's candidates do not depend on timing.
uint64_t QuerySeed(uint64_t seed, const std::string& text);

enum CallKind { kQueryCall, kStepCall, kHammerCall };

// A call the search wants made: a model query for `node`, or `job` (a step,
// or a hammer call if job.hammer).
struct SearchCall {
  CallKind kind = kQueryCall;
  int node = -1;  // Queries.
  StepJob job;    // Steps and hammer calls.
};

// The outcome of a query call.
struct QueryDone {
  int node = 0;
  absl::StatusOr<std::vector<Candidate>> result;
  absl::Duration t;        // When the call started, since the start.
  absl::Duration elapsed;  // How long it took.
};

// The outcome of a step or hammer call.
struct StepDone {
  int slot = 0;  // The session that ran it (the caller's numbering).
  StepJob job;
  HammerStepResult r;  // A step's outcome is r.step.
  absl::Duration t;    // When the call returned, since the start.
};

class SearchCore {
 public:
  // `config` as given to RunBestFirstSearch; the core normalises it (see
  // config()). `seed`: the search's seed, not 0. `env`: the clock.
  SearchCore(ProverBackend& backend, Policy& policy, const Theorem& theorem,
             const SearchConfig& config, SearchObserver* observer, uint64_t seed,
             Env* env = Env::Default());
  SearchCore(const SearchCore&) = delete;
  SearchCore& operator=(const SearchCore&) = delete;

  // The config with its in-flight limits and samples at least 1 (1 and 1 in
  // sequential mode, which is never also reproducible).
  const SearchConfig& config() const { return config_; }
  uint64_t seed() const { return seed_; }
  // The clock: times are measured from `start`.
  void SetStart(absl::Time start) { start_ = start; }
  absl::Duration Elapsed() const { return env_->Now() - start_; }

  // Reports a phase of getting the prover ready (observer's OnPreparing),
  // each phase once: several sessions report the same phases.
  void Preparing(const ProverProgress& progress);
  // Adds the initial state (the search's root).
  void Start(const ProofState& initial);

  // Whether a query may be made now. `wake`: with the lower bar on the step
  // backlog at which a sleeping worker is woken for one.
  // (Inline: the executor asks these several times per call.)
  bool CanStartQuery(bool wake = false) const {
    if (tree_.QueueEmpty() || queries_issued_ >= config_.max_model_queries ||
        queries_inflight_ >= config_.max_inflight_queries) {
      return false;
    }
    if (config_.sequential) {
      return tree_.PendingJobs() == 0 && steps_inflight_ == 0 &&
             hammers_inflight_ == 0;
    }
    // A worker that is awake and has no step to run queries while the step
    // backlog is under the limit; a sleeping one is woken for a query only
    // once it is down to half, so not for every step taken (a worker
    // wake-up costs more than the rest of a step's bookkeeping).
    return tree_.PendingSteps() < (wake ? backlog_limit_ / 2 : backlog_limit_);
  }
  // Whether a step or hammer call may be made now, given whether a session
  // is free for it.
  bool CanStartStep(bool session_free) const {
    if (!session_free) return false;
    return tree_.HasStepJob() ||
           (tree_.HasHammerJob() && hammers_inflight_ < max_hammers_);
  }
  // The next call: a query first when the step backlog runs low, else a
  // step if one may start, else a query.
  // REQUIRES: CanStartStep(session_free) || CanStartQuery().
  SearchCall Next(bool session_free);
  // The next query's node / the next step job (counted as in flight).
  int NextQuery();
  StepJob NextStep();
  // What a call needs: the policy query for `node` (q.cancel is the core's
  // stop flag), and a step's state and text (valid until it is completed).
  PolicyQuery QueryFor(int node) const;
  const ProofState* StateFor(const StepJob& job) {
    return tree_.StateFor(job.parent);
  }
  const std::string& StepText(const StepJob& job) const {
    return tree_.Text(job.step);
  }

  // Integrates a finished call. `sessions_left`: whether a lost step may be
  // tried again on another session.
  void Complete(QueryDone& d);
  void Complete(StepDone& d, bool sessions_left);

  // Ends the search (the first call wins): sets the stop flag.
  void Finish(SearchStatus status, std::string message);
  // Ends the search if nothing is in flight and no call can start.
  void MaybeFinishIdle();
  bool done() const { return done_; }
  bool has_proof() const { return proof_node_ >= 0; }
  const std::atomic<bool>* stop_flag() const { return &stop_; }
  int calls_in_flight() const {
    return queries_inflight_ + steps_inflight_ + hammers_inflight_;
  }
  int steps_in_flight() const { return steps_inflight_ + hammers_inflight_; }

  void EmitProgress();
  // The result without the re-check; `steps` gets the proof's step texts.
  SearchResult BuildResult(std::vector<std::string>* steps);
  // After the re-check (if any): statistics, trace, last progress event.
  void FinishResult(SearchResult* result);

  const SearchStats& stats() const { return stats_; }
  const SearchTree& tree() const { return tree_; }

 private:
  void FinishPolicyFailure();
  void QueueCandidates(int node, std::vector<Candidate>& candidates);
  // ProverBackend::CheckStep, memoised by step; records and reports a refusal.
  bool StepAllowed(int node, uint32_t step, double logprob);
  void FinishStep(const StepJob& job, StepResult& r, absl::Duration t);
  void FinishHammer(const StepJob& job, HammerStepResult& r, absl::Duration t);
  // Adds the state reached by `job` (kNewState / kProofFinished), taking its
  // id and text from `r` (copied if an observer still needs them); returns
  // the node id, or -1 for a duplicate (then *duplicate_of is set).
  int Reach(const StepJob& job, uint32_t step, uint32_t hammer_prover,
            StepResult& r, absl::Duration t, int* duplicate_of);

  ProverBackend& backend_;
  Policy& policy_;
  const Theorem& theorem_;
  SearchConfig config_;
  SearchObserver* observer_;
  uint64_t seed_;
  int max_hammers_;
  size_t backlog_limit_;
  Env* const env_;
  absl::Time start_;
  std::atomic<bool> stop_{false};  // Tells in-flight policy queries to quit.

  SearchTree tree_;
  SearchStats stats_;
  uint32_t hammer_step_ = 0;  // Pool id of config.hammer_token.
  // By step pool id: kUnchecked, kAllowed, or the pool id of the refusal.
  std::vector<uint32_t> step_verdicts_;
  // QueueCandidates' merge, by step pool id: the query that last saw the
  // step and where it was kept.
  struct Seen {
    uint64_t query = 0;
    uint32_t index = 0;
  };
  std::vector<Seen> merge_seen_;
  uint64_t merge_query_ = 0;
  int queries_issued_ = 0;
  int queries_inflight_ = 0;
  int steps_inflight_ = 0;
  int hammers_inflight_ = 0;
  int consecutive_policy_failures_ = 0;
  std::string last_policy_error_;
  std::vector<std::string> phases_reported_;  // By Preparing.
  bool done_ = false;
  SearchStatus status_ = SearchStatus::kError;
  std::string message_;
  int proof_node_ = -1;
  absl::Duration finished_at_;
};

}  // namespace thor

#endif  // THOR_SEARCH_SEARCH_CORE_H_
