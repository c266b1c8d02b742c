#include "search/search_tree.h"

#include <algorithm>
#include <utility>

#include "absl/hash/hash.h"
#include "nlohmann/json.hpp"

namespace thor {

SearchTree::SearchTree(int queue_size, bool record_trace)
    : queue_size_(std::max(1, queue_size)), record_trace_(record_trace) {}

void SearchTree::AddRoot(const ProofState& initial, absl::Duration t) {
  SearchNode root;
  root.state = initial;
  root.t = t;
  nodes_.push_back(std::move(root));
  MarkSeen(initial.text, 0);
  Push(0);
}

int SearchTree::AddNode(int parent, std::string step, double logprob,
                        bool from_hammer, std::string hammer_prover,
                        ProofState state, absl::Duration t) {
  SearchNode n;
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
  nodes_.push_back(std::move(n));
  return static_cast<int>(nodes_.size()) - 1;
}

int SearchTree::SeenAs(const std::string& text) const {
  auto it = seen_.find(absl::HashOf(text));
  return it == seen_.end() ? -1 : it->second;
}

void SearchTree::MarkSeen(const std::string& text, int id) {
  seen_.emplace(absl::HashOf(text), id);
}

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

StepJob SearchTree::PopStep() {
  StepJob j = steps_.top();
  steps_.pop();
  return j;
}

StepJob SearchTree::PopHammer() {
  StepJob j = hammers_.top();
  hammers_.pop();
  return j;
}

void SearchTree::RecordTry(TraceTry t) {
  if (record_trace_) tries_.push_back(std::move(t));
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

std::string SearchTree::TraceJson(const Theorem& theorem,
                                  const std::string& policy, uint64_t seed,
                                  SearchStatus status) const {
  using nlohmann::json;
  json nodes = json::array();
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const SearchNode& n = nodes_[i];
    nodes.push_back({{"id", i},
                     {"parent", n.parent},
                     {"step", n.step},
                     {"from_hammer", n.from_hammer},
                     {"hammer_prover", n.hammer_prover},
                     {"score", n.score},
                     {"depth", n.depth},
                     {"expanded", n.expanded},
                     {"state", n.state.text},
                     {"t_s", absl::ToDoubleSeconds(n.t)}});
  }
  json tries = json::array();
  for (const TraceTry& t : tries_) {
    json j = {{"from", t.from},
              {"to", t.to},
              {"step", t.step},
              {"logprob", t.logprob},
              {"outcome", StepKindName(t.kind)},
              {"hammer", t.hammer},
              {"t_s", absl::ToDoubleSeconds(t.t)},
              {"elapsed_s", absl::ToDoubleSeconds(t.elapsed)}};
    if (t.duplicate_of >= 0) j["duplicate_of"] = t.duplicate_of;
    if (!t.hammer_prover.empty()) j["hammer_prover"] = t.hammer_prover;
    if (!t.message.empty()) j["message"] = t.message;
    tries.push_back(std::move(j));
  }
  json queries = json::array();
  for (const TraceQuery& q : queries_) {
    json j = {{"node", q.node},
              {"candidates", q.candidates},
              {"t_s", absl::ToDoubleSeconds(q.t)},
              {"elapsed_s", absl::ToDoubleSeconds(q.elapsed)}};
    if (!q.error.empty()) j["error"] = q.error;
    queries.push_back(std::move(j));
  }
  json out = {{"theorem", theorem.name},
              {"prover", theorem.prover},
              {"policy", policy},
              {"seed", seed},
              {"status", SearchStatusName(status)},
              {"nodes", std::move(nodes)},
              {"tries", std::move(tries)},
              {"queries", std::move(queries)}};
  // Replace invalid UTF-8 from provers or models instead of failing.
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace thor
