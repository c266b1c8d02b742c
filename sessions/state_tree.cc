#include "sessions/state_tree.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace thor {

int64_t StateTree::Bytes(const ProofState& state, const FoundStep& via) {
  constexpr int64_t kPerState = 256;  // The node, its map entry, strings' headers.
  int64_t n = kPerState + static_cast<int64_t>(state.text.size() + state.id.size() +
                                               via.text.size() + via.hammer_prover.size());
  for (const std::string& step : state.steps) n += static_cast<int64_t>(step.size()) + 32;
  return n;
}

StateTree::StateTree(ProofState root) {
  SessionNode node;
  node.state = std::move(root);
  bytes_ = Bytes(node.state, node.via);
  nodes_.emplace(0, std::move(node));
}

absl::StatusOr<const SessionNode*> StateTree::Find(const std::string& id) const {
  uint64_t n = 0;
  // Only the canonical spelling: "007" would otherwise name state 7 too.
  if (id.empty() || !absl::SimpleAtoi(id, &n) || absl::StrCat(n) != id) {
    return absl::NotFoundError(absl::StrCat(
        "state_id: unknown state '", id.substr(0, 32),
        "' (ids are the decimal numbers the session returned; \"0\" is the root)"));
  }
  auto it = nodes_.find(n);
  if (it != nodes_.end()) return &it->second;
  if (n < next_id_) {
    return absl::NotFoundError(
        absl::StrCat("state_id: state ", n, " was dropped (DropState of it or of a state it was "
                     "reached from)"));
  }
  return absl::NotFoundError(absl::StrCat("state_id: unknown state ", n,
                                          " (this session's ids so far are 0 to ",
                                          next_id_ - 1, ")"));
}

const SessionNode& StateTree::Add(uint64_t parent, FoundStep via, ProofState state,
                                  bool finished) {
  SessionNode node;
  node.id = next_id_++;
  node.parent = parent;
  node.via = std::move(via);
  node.state = std::move(state);
  node.finished = finished;
  bytes_ += Bytes(node.state, node.via);
  nodes_.at(parent).children.push_back(node.id);
  return nodes_.emplace(node.id, std::move(node)).first->second;
}

absl::StatusOr<int> StateTree::Drop(const std::string& id) {
  absl::StatusOr<const SessionNode*> node = Find(id);
  if (!node.ok()) return node.status();
  if ((*node)->id == 0) {
    return absl::InvalidArgumentError(
        "state_id: the root cannot be dropped (CloseSession ends the whole session)");
  }
  std::vector<uint64_t>& siblings = nodes_.at((*node)->parent).children;
  siblings.erase(std::find(siblings.begin(), siblings.end(), (*node)->id));
  std::vector<uint64_t> todo = {(*node)->id};
  int dropped = 0;
  while (!todo.empty()) {
    auto it = nodes_.find(todo.back());
    todo.pop_back();
    todo.insert(todo.end(), it->second.children.begin(), it->second.children.end());
    bytes_ -= Bytes(it->second.state, it->second.via);
    nodes_.erase(it);
    ++dropped;
  }
  return dropped;
}

std::vector<FoundStep> StateTree::Path(const SessionNode& node) const {
  std::vector<FoundStep> path;
  for (const SessionNode* n = &node; n->id != 0; n = &nodes_.at(n->parent)) {
    path.push_back(n->via);
  }
  std::reverse(path.begin(), path.end());
  return path;
}

}  // namespace thor
