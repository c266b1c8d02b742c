#include "search/search_tree.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"

namespace thor {
namespace {

constexpr size_t kTraceMessageBytes = 240;

int64_t Micros(absl::Duration d) { return absl::ToInt64Microseconds(d); }

uint32_t SaturatedMicros(absl::Duration d) {
  const int64_t us = absl::ToInt64Microseconds(d);
  return static_cast<uint32_t>(std::clamp<int64_t>(
      us, 0, std::numeric_limits<uint32_t>::max()));
}

}  // namespace

StringPool::StringPool() {
  strings_.emplace_back();
  index_.emplace(absl::string_view(strings_.front()), 0);
}

uint32_t StringPool::Intern(absl::string_view s) {
  auto it = index_.find(s);
  if (it != index_.end()) return it->second;
  const uint32_t id = static_cast<uint32_t>(strings_.size());
  const std::string& stored = strings_.emplace_back(s);
  index_.emplace(absl::string_view(stored), id);
  return id;
}

SearchTree::SearchTree(int queue_size, bool record_trace, bool keep_texts)
    : queue_size_(std::max(1, queue_size)),
      record_trace_(record_trace),
      keep_texts_(record_trace || keep_texts) {}

void SearchTree::AddRoot(const ProofState& initial, absl::Duration t) {
  SearchNode& root = nodes_.emplace_back();
  root.text = initial.text;
  root.live = std::make_unique<SearchNode::Live>();
  root.live->id = initial.id;
  root.t_us = Micros(t);
  MarkSeen(StateKey(initial.text), 0);
  Push(0);
}

int SearchTree::AddNode(int parent, uint32_t step, double logprob,
                        bool from_hammer, uint32_t hammer_prover,
                        std::string state_id, std::string state_text,
                        absl::Duration t) {
  const double score = node(parent).score + logprob;
  const int depth = node(parent).depth + 1;
  SearchNode& n = nodes_.emplace_back();
  n.parent = parent;
  n.step = step;
  n.from_hammer = from_hammer;
  n.hammer_prover = hammer_prover;
  n.score = score;
  n.depth = depth;
  n.text = std::move(state_text);
  n.live = std::make_unique<SearchNode::Live>();
  n.live->id = std::move(state_id);
  n.t_us = Micros(t);
  return static_cast<int>(nodes_.size()) - 1;
}

uint64_t SearchTree::StateKey(absl::string_view text) {
  return absl::HashOf(text);
}

int SearchTree::SeenAs(uint64_t key) const {
  auto it = seen_.find(key);
  return it == seen_.end() ? -1 : it->second;
}

void SearchTree::MarkSeen(uint64_t key, int id) { seen_.emplace(key, id); }

void SearchTree::Push(int id) {
  // open_ is sorted worst first (lower score, then later id), so the best
  // pops from the back.
  const Open entry{node(id).score, id};
  auto pos = std::lower_bound(open_.begin(), open_.end(), entry,
                              [](const Open& x, const Open& y) {
                                if (x.score != y.score) return x.score < y.score;
                                return x.id > y.id;
                              });
  open_.insert(pos, entry);
  node(id).queued = true;
  if (static_cast<int>(open_.size()) > queue_size_) {
    const int dropped = open_.front().id;
    open_.erase(open_.begin());
    node(dropped).queued = false;
    MaybeRelease(dropped);
  }
}

void SearchTree::MarkExpanded(int id) {
  node(id).expanded = true;
  MaybeRelease(id);
}

void SearchTree::JobDone(int parent) {
  SearchNode& n = node(parent);
  if (--n.pending_jobs == 0 && n.live != nullptr) n.live->from.reset();
  MaybeRelease(parent);
}

void SearchTree::MaybeRelease(int id) {
  // Called when a node is dropped from the queue, expanded, or a job from it
  // finished; never while its query is in flight.
  SearchNode& n = node(id);
  if (n.pending_jobs > 0 || n.queued) return;
  n.live.reset();
  if (!keep_texts_) std::string().swap(n.text);
}

const ProofState* SearchTree::StateFor(int id) {
  SearchNode& n = node(id);
  if (n.live->from != nullptr) return n.live->from.get();
  auto s = std::make_unique<ProofState>();
  s->id = n.live->id;
  s->text = n.text;
  s->steps.resize(static_cast<size_t>(n.depth));
  for (int i = id; i > 0; i = node(i).parent) {
    s->steps[static_cast<size_t>(node(i).depth - 1)] = Text(node(i).step);
  }
  n.live->from = std::move(s);
  return n.live->from.get();
}

int SearchTree::Pop() {
  const int id = open_.back().id;
  open_.pop_back();
  node(id).queued = false;
  return id;
}

double SearchTree::BestScore() const {
  return open_.empty() ? 0.0 : open_.back().score;
}

void SearchTree::AddJob(StepJob job) {
  job.order = next_order_++;
  ++node(job.parent).pending_jobs;
  if (job.hammer) {
    hammers_.push(job);
  } else {
    steps_.push(job);
  }
}

StepJob SearchTree::PopStep() {
  const StepJob j = steps_.top();
  steps_.pop();
  return j;
}

StepJob SearchTree::PopHammer() {
  const StepJob j = hammers_.top();
  hammers_.pop();
  return j;
}

void SearchTree::RecordTry(int from, int to, bool duplicate, uint32_t step,
                           double logprob, StepKind kind, bool hammer,
                           uint32_t hammer_prover, absl::string_view message,
                           absl::Duration t, absl::Duration elapsed) {
  if (!record_trace_) return;
  TraceTry& r = tries_.emplace_back();
  r.from = from;
  r.to = to;
  r.duplicate = duplicate;
  r.step = step;
  r.logprob = logprob;
  r.kind = static_cast<uint8_t>(kind);
  r.hammer = hammer;
  r.hammer_prover = hammer_prover;
  // Prover messages can be long; the trace keeps their start.
  if (message.size() > kTraceMessageBytes) {
    r.message = Intern(absl::StrCat(message.substr(0, kTraceMessageBytes), "..."));
  } else {
    r.message = Intern(message);
  }
  r.t_us = Micros(t);
  r.elapsed_us = SaturatedMicros(elapsed);
}

void SearchTree::RecordQuery(int node, int candidates, absl::Duration t,
                             absl::Duration elapsed, absl::string_view error) {
  if (!record_trace_) return;
  queries_.push_back({node, candidates, Micros(t), SaturatedMicros(elapsed),
                      Intern(error)});
}

std::vector<FoundStep> SearchTree::PathTo(int id) const {
  std::vector<FoundStep> path;
  for (int i = id; i > 0; i = node(i).parent) {
    const SearchNode& n = node(i);
    path.push_back({Text(n.step), n.from_hammer, Text(n.hammer_prover),
                    keep_texts_ ? node(n.parent).text : std::string()});
  }
  std::reverse(path.begin(), path.end());
  return path;
}

}  // namespace thor
