#include "search/search_tree.h"

#include <algorithm>
#include <utility>

#include "absl/hash/hash.h"

namespace thor {
namespace {

constexpr size_t kTraceMessageBytes = 240;

}  // namespace

SearchTree::SearchTree(int queue_size, bool record_trace)
    : queue_size_(std::max(1, queue_size)), record_trace_(record_trace) {}

void SearchTree::AddRoot(const ProofState& initial, absl::Duration t) {
  SearchNode root;
  root.state = initial;
  root.t = t;
  nodes_.push_back(std::move(root));
  MarkSeen(StateKey(initial.text), 0);
  Push(0);
}

int SearchTree::AddNode(int parent, std::string step, double logprob,
                        bool from_hammer, std::string hammer_prover,
                        ProofState state, absl::Duration t) {
  SearchNode& n = nodes_.emplace_back();
  n.parent = parent;
  n.step = std::move(step);
  n.from_hammer = from_hammer;
  n.hammer_prover = std::move(hammer_prover);
  n.score = nodes_[parent].score + logprob;
  n.depth = nodes_[parent].depth + 1;
  n.state = std::move(state);
  n.state.steps.clear();
  n.state.steps.shrink_to_fit();
  n.t = t;
  return static_cast<int>(nodes_.size()) - 1;
}

uint64_t SearchTree::StateKey(const std::string& text) {
  return absl::HashOf(text);
}

int SearchTree::SeenAs(uint64_t key) const {
  auto it = seen_.find(key);
  return it == seen_.end() ? -1 : it->second;
}

void SearchTree::MarkSeen(uint64_t key, int id) { seen_.emplace(key, id); }

bool SearchTree::Better(int a, int b) const {
  if (nodes_[a].score != nodes_[b].score) {
    return nodes_[a].score > nodes_[b].score;
  }
  return a < b;
}

void SearchTree::Push(int id) {
  // open_ is sorted worst first, so the best pops from the back.
  auto pos = std::lower_bound(open_.begin(), open_.end(), id,
                              [this](int x, int y) { return Better(y, x); });
  open_.insert(pos, id);
  if (static_cast<int>(open_.size()) > queue_size_) {
    const int dropped = open_.front();
    open_.erase(open_.begin());
    MaybeRelease(dropped);
  }
}

void SearchTree::MarkExpanded(int id) {
  nodes_[id].expanded = true;
  MaybeRelease(id);
}

void SearchTree::JobDone(int parent) {
  if (--nodes_[parent].pending_jobs == 0) nodes_[parent].from.reset();
  MaybeRelease(parent);
}

void SearchTree::MaybeRelease(int id) {
  SearchNode& n = nodes_[id];
  if (record_trace_ || n.pending_jobs > 0) return;
  // Still queued (not expanded, not dropped): keep the text for the query.
  if (!n.expanded && std::find(open_.begin(), open_.end(), id) != open_.end()) {
    return;
  }
  std::string().swap(n.state.text);
  std::string().swap(n.state.id);
}

std::shared_ptr<const ProofState> SearchTree::StateFor(int id) {
  SearchNode& node = nodes_[id];
  if (node.from != nullptr) return node.from;
  auto s = std::make_shared<ProofState>();
  s->id = node.state.id;
  s->text = node.state.text;
  s->steps.resize(static_cast<size_t>(node.depth));
  for (int n = id; n > 0; n = nodes_[n].parent) {
    s->steps[static_cast<size_t>(nodes_[n].depth - 1)] = nodes_[n].step;
  }
  node.from = s;
  return s;
}

int SearchTree::Pop() {
  int id = open_.back();
  open_.pop_back();
  return id;
}

double SearchTree::BestScore() const {
  return open_.empty() ? 0.0 : nodes_[open_.back()].score;
}

void SearchTree::AddJob(StepJob job) {
  job.order = next_order_++;
  ++nodes_[job.parent].pending_jobs;
  if (job.hammer) {
    hammers_.push(std::move(job));
  } else {
    steps_.push(std::move(job));
  }
}

namespace {

// Moves the top out before popping: the heap order looks only at score and
// order, which a move leaves intact.
template <typename Queue>
StepJob MoveTop(Queue& q) {
  StepJob j = std::move(const_cast<StepJob&>(q.top()));
  q.pop();
  return j;
}

}  // namespace

StepJob SearchTree::PopStep() { return MoveTop(steps_); }

StepJob SearchTree::PopHammer() { return MoveTop(hammers_); }

void SearchTree::RecordTry(TraceTry t) {
  if (!record_trace_) return;
  // Prover messages can be long; the trace keeps their start.
  if (t.message.size() > kTraceMessageBytes) {
    t.message.resize(kTraceMessageBytes);
    t.message += "...";
  }
  tries_.push_back(std::move(t));
}

void SearchTree::RecordQuery(TraceQuery q) {
  if (record_trace_) queries_.push_back(std::move(q));
}

std::vector<FoundStep> SearchTree::PathTo(int id) const {
  std::vector<FoundStep> path;
  for (int n = id; n > 0; n = nodes_[n].parent) {
    path.push_back({nodes_[n].step, nodes_[n].from_hammer,
                    nodes_[n].hammer_prover});
  }
  std::reverse(path.begin(), path.end());
  return path;
}

}  // namespace thor
