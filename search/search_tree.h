// The bookkeeping of one best-first search: the nodes reached, the capped
// open queue, the seen-state set, the pending step jobs and the trace. Not
// thread-safe: RunBestFirstSearch guards it with its mutex.
//
// Kept compact so that an open search stays well under 1 MB at the default
// settings even with the trace on: step texts, hammer slices and messages
// are interned once (ids into a StringPool), jobs and trace records are
// small plain structs holding those ids, each goal text is stored once (in
// its node; the trace refers to nodes by id), and the trace is turned into
// JSON only when TraceJson is called.
#ifndef THOR_SEARCH_SEARCH_TREE_H_
#define THOR_SEARCH_SEARCH_TREE_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <queue>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "search/search_result.h"
#include "search/types.h"

namespace thor {

// Each distinct string stored once, named by a dense id; id 0 is "".
// References returned by Get stay valid (and the strings unchanged) for the
// pool's lifetime, so they may be read without the search's lock.
class StringPool {
 public:
  StringPool();
  StringPool(const StringPool&) = delete;
  StringPool& operator=(const StringPool&) = delete;

  uint32_t Intern(absl::string_view s);
  const std::string& Get(uint32_t id) const { return strings_[id]; }
  size_t size() const { return strings_.size(); }

 private:
  std::deque<std::string> strings_;  // Stable references on growth.
  absl::flat_hash_map<absl::string_view, uint32_t> index_;
};

// A proof state reached by the search.
struct SearchNode {
  // The prover's goal text. Without a trace it is released once the state
  // can no longer be expanded or stepped from.
  std::string text;
  // While the node may still be queried or stepped from: the session's
  // handle and the state handed to provers (built once, shared by every job
  // from this node).
  struct Live {
    std::string id;
    std::unique_ptr<const ProofState> from;
  };
  std::unique_ptr<Live> live;
  double score = 0;            // Accumulated log-probability.
  int64_t t_us = 0;            // When it was reached, since the start.
  int parent = -1;             // -1 for the initial state.
  uint32_t step = 0;           // The step that reached it (as run); pool id.
  uint32_t hammer_prover = 0;  // Pool id.
  int depth = 0;
  int pending_jobs = 0;        // Step jobs from this state not yet finished.
  uint8_t query_failures = 0;  // Failed policy queries on this state.
  bool from_hammer = false;
  bool expanded = false;
  bool queued = false;         // In the open queue now.
};

// A candidate step waiting for a prover session.
struct StepJob {
  int parent = 0;
  uint32_t step = 0;    // Pool id.
  double logprob = 0;
  double score = 0;     // parent score + logprob.
  bool hammer = false;
  uint8_t time_units = 1;    // Candidate::time_units.
  uint64_t order = 0;   // Tie-break: earlier first.
  uint8_t lost_retries = 0;  // Times re-run after its session was lost.
};

// One step or hammer outcome, for the trace.
struct TraceTry {
  int from = 0;
  int to = -1;             // Node reached (or, if duplicate, first seen as).
  uint32_t step = 0;       // Pool ids.
  uint32_t hammer_prover = 0;
  uint32_t message = 0;
  double logprob = 0;
  int64_t t_us = 0;
  uint32_t elapsed_us = 0;
  uint8_t kind = 0;        // StepKind.
  bool hammer = false;
  bool duplicate = false;  // A new state already seen as `to`.
};

// One policy query, for the trace.
struct TraceQuery {
  int node = 0;
  int candidates = 0;
  int64_t t_us = 0;
  uint32_t elapsed_us = 0;
  uint32_t error = 0;      // Pool id.
};

class SearchTree {
 public:
  // REQUIRES: queue_size >= 1.
  // keep_texts: keep every node's goal text even without a trace (for
  // FoundStep::state_before).
  SearchTree(int queue_size, bool record_trace, bool keep_texts = false);

  bool record_trace() const { return record_trace_; }

  // Interned strings (steps, hammer slices, messages).
  uint32_t Intern(absl::string_view s) { return pool_.Intern(s); }
  const std::string& Text(uint32_t id) const { return pool_.Get(id); }
  // Pool ids are dense: every id is below this.
  size_t PoolSize() const { return pool_.size(); }

  // Adds the initial state as node 0, queued.
  void AddRoot(const ProofState& initial, absl::Duration t);

  // Adds a node reached from `parent` by `step` (a pool id); returns its id.
  int AddNode(int parent, uint32_t step, double logprob, bool from_hammer,
              uint32_t hammer_prover, std::string state_id,
              std::string state_text, absl::Duration t);

  // The key of a goal text: a 64-bit hash, so memory stays small with long
  // goal texts.
  static uint64_t StateKey(absl::string_view text);
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

  SearchNode& node(int id) { return nodes_[static_cast<size_t>(id)]; }
  const SearchNode& node(int id) const { return nodes_[static_cast<size_t>(id)]; }
  int NodeCount() const { return static_cast<int>(nodes_.size()); }

  // Trace records (ignored without a trace). Messages longer than a few
  // hundred bytes are cut; they are interned, as are errors.
  void RecordTry(int from, int to, bool duplicate, uint32_t step, double logprob,
                 StepKind kind, bool hammer, uint32_t hammer_prover,
                 absl::string_view message, absl::Duration t,
                 absl::Duration elapsed);
  void RecordQuery(int node, int candidates, absl::Duration t,
                   absl::Duration elapsed, absl::string_view error);
  size_t TryCount() const { return tries_.size(); }

  // The state to hand to a prover for node `id`: id, text and the step texts
  // from the initial state. Built once, shared by every job from that node,
  // and kept until the last of them is done (JobDone), so a job may read it
  // without the search's lock.
  // REQUIRES: the node has a pending job (AddJob, not yet JobDone).
  const ProofState* StateFor(int id);

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
  void MaybeRelease(int id);        // Frees a finished node's live state.

  int queue_size_;
  bool record_trace_;
  bool keep_texts_;  // record_trace_ or asked for: node texts are never released.
  uint64_t next_order_ = 0;
  StringPool pool_;
  std::deque<SearchNode> nodes_;  // Stable references, no doubling slack.
  struct Open {
    double score;
    int id;
  };
  std::vector<Open> open_;  // Sorted worst first; best at the back.
  absl::flat_hash_map<uint64_t, int> seen_;  // Goal-text hash -> node.
  std::priority_queue<StepJob, std::vector<StepJob>, JobLess> steps_;
  std::priority_queue<StepJob, std::vector<StepJob>, JobLess> hammers_;
  std::deque<TraceTry> tries_;
  std::deque<TraceQuery> queries_;
};

}  // namespace thor

#endif  // THOR_SEARCH_SEARCH_TREE_H_
