// The bookkeeping of one best-first search: the nodes reached, the capped
// open queue, the seen-state set, the pending step jobs and the trace. Not
// thread-safe: RunBestFirstSearch guards it with its mutex.
#ifndef THOR_SEARCH_SEARCH_TREE_H_
#define THOR_SEARCH_SEARCH_TREE_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <queue>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "search/search_result.h"
#include "search/types.h"

namespace thor {

// A proof state reached by the search.
struct SearchNode {
  int parent = -1;            // -1 for the initial state.
  std::string step;           // The step that reached it (as run).
  bool from_hammer = false;
  std::string hammer_prover;
  double score = 0;           // Accumulated log-probability.
  int depth = 0;
  int query_failures = 0;     // Failed policy queries on this state.
  int pending_jobs = 0;       // Step jobs from this state not yet finished.
  bool expanded = false;
  // id and text as the prover returned them; `steps` is not kept (PathSteps
  // rebuilds it), and without a trace the text is released once the state
  // can no longer be expanded or stepped from.
  ProofState state;
  // The state handed to provers (with steps), built once while jobs from
  // this node are pending.
  std::shared_ptr<const ProofState> from;
  absl::Duration t;           // When it was reached.
};

// A candidate step waiting for a prover session.
struct StepJob {
  int parent = 0;
  std::string step;
  double logprob = 0;
  double score = 0;     // parent score + logprob.
  bool hammer = false;
  uint64_t order = 0;   // Tie-break: earlier first.
};

// One step or hammer outcome, for the trace.
struct TraceTry {
  int from = 0;
  int to = -1;          // Node reached, -1 if none (or duplicate_of).
  int duplicate_of = -1;
  std::string step;
  double logprob = 0;
  StepKind kind = StepKind::kStepError;
  bool hammer = false;
  std::string hammer_prover;
  std::string message;
  absl::Duration t;
  absl::Duration elapsed;
};

// One policy query, for the trace.
struct TraceQuery {
  int node = 0;
  int candidates = 0;
  absl::Duration t;
  absl::Duration elapsed;
  std::string error;
};

class SearchTree {
 public:
  // REQUIRES: queue_size >= 1.
  SearchTree(int queue_size, bool record_trace);

  // Adds the initial state as node 0, queued.
  void AddRoot(const ProofState& initial, absl::Duration t);

  // Adds a node reached from `parent` by `step`; returns its id.
  int AddNode(int parent, std::string step, double logprob, bool from_hammer,
              std::string hammer_prover, ProofState state, absl::Duration t);

  // The key of a goal text: a 64-bit hash, so memory stays small with long
  // goal texts.
  static uint64_t StateKey(const std::string& text);
  // The node first seen with goal key `key`, or -1.
  int SeenAs(uint64_t key) const;
  void MarkSeen(uint64_t key, int id);

  // Queues node `id`, dropping the worst queued node past the cap.
  void Push(int id);
  // Marks node `id` expanded (popped and queried).
  void MarkExpanded(int id);
  // A step job from node `parent` finished.
  void JobDone(int parent);
  // Pops the best queued node. REQUIRES: !QueueEmpty().
  int Pop();
  bool QueueEmpty() const { return open_.empty(); }
  int QueueLength() const { return static_cast<int>(open_.size()); }
  double BestScore() const;  // 0 if empty.

  // Pending step jobs: the hammer ones apart, so their concurrency can be
  // capped. Best score first, then earliest.
  void AddJob(StepJob job);
  bool HasStepJob() const { return !steps_.empty(); }
  bool HasHammerJob() const { return !hammers_.empty(); }
  const StepJob& TopStep() const { return steps_.top(); }
  const StepJob& TopHammer() const { return hammers_.top(); }
  StepJob PopStep();
  StepJob PopHammer();
  size_t PendingSteps() const { return steps_.size(); }
  size_t PendingJobs() const { return steps_.size() + hammers_.size(); }

  SearchNode& node(int id) { return nodes_[id]; }
  const SearchNode& node(int id) const { return nodes_[id]; }
  int NodeCount() const { return static_cast<int>(nodes_.size()); }

  void RecordTry(TraceTry t);
  void RecordQuery(TraceQuery q);

  // The state to hand to a prover for node `id`: id, text and the step texts
  // from the initial state. Shared by every job from that node.
  std::shared_ptr<const ProofState> StateFor(int id);

  // The steps from the initial state to node `id`, in order.
  std::vector<FoundStep> PathTo(int id) const;

  // The trace as JSON: {"theorem", "prover", "policy", "seed", "status",
  // "nodes":[...], "tries":[...], "queries":[...]}. Timings in seconds.
  std::string TraceJson(const Theorem& theorem, const std::string& policy,
                        uint64_t seed, SearchStatus status) const;

 private:
  struct JobLess {
    bool operator()(const StepJob& a, const StepJob& b) const {
      if (a.score != b.score) return a.score < b.score;
      return a.order > b.order;
    }
  };
  bool Better(int a, int b) const;  // Node a ranks before node b.
  void MaybeRelease(int id);        // Frees a finished node's goal text.

  int queue_size_;
  bool record_trace_;
  uint64_t next_order_ = 0;
  std::deque<SearchNode> nodes_;  // Stable references on growth.
  std::vector<int> open_;  // Sorted worst first; best at the back.
  absl::flat_hash_map<uint64_t, int> seen_;  // Goal-text hash -> node.
  std::priority_queue<StepJob, std::vector<StepJob>, JobLess> steps_;
  std::priority_queue<StepJob, std::vector<StepJob>, JobLess> hammers_;
  std::vector<TraceTry> tries_;
  std::vector<TraceQuery> queries_;
};

}  // namespace thor

#endif  // THOR_SEARCH_SEARCH_TREE_H_
