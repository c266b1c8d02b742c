// The tree of proof states of one interactive session: ids handed out in
// order and never reused, any state extendable any number of times, a
// subtree dropped at once. Not thread-safe (its session guards it).
#ifndef THOR_SESSIONS_STATE_TREE_H_
#define THOR_SESSIONS_STATE_TREE_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "search/search_result.h"
#include "search/types.h"

namespace thor {

struct SessionNode {
  uint64_t id = 0;
  uint64_t parent = 0;  // Unused for the root.
  // The prover's state: `state.steps` is the path from the root, and
  // `state.id` the prover session's handle to return to it cheaply.
  ProofState state;
  // How it was reached (empty for the root): the step as the prover ran it,
  // and whether the hammer found it.
  FoundStep via;
  bool finished = false;
  std::vector<uint64_t> children;
};

class StateTree {
 public:
  // A tree holding the root (id 0) only.
  explicit StateTree(ProofState root);

  // The state `id` names ("0", "1", ...): NotFound saying whether it was
  // dropped or never existed.
  absl::StatusOr<const SessionNode*> Find(const std::string& id) const;
  // Adds the state reached from `parent` (which must exist) and returns it.
  const SessionNode& Add(uint64_t parent, FoundStep via, ProofState state, bool finished);
  // Drops `id` and every state reached from it; returns how many.
  // InvalidArgument for the root, NotFound as Find.
  absl::StatusOr<int> Drop(const std::string& id);
  // The steps from the root to `node`, as a proof reports them.
  std::vector<FoundStep> Path(const SessionNode& node) const;

  size_t size() const { return nodes_.size(); }
  // What the states hold, roughly in bytes: their goal text, the steps of
  // their paths, and a fixed cost per state.
  int64_t bytes() const { return bytes_; }
  static int64_t Bytes(const ProofState& state, const FoundStep& via);

 private:
  std::map<uint64_t, SessionNode> nodes_;
  uint64_t next_id_ = 1;
  int64_t bytes_ = 0;
};

}  // namespace thor

#endif  // THOR_SESSIONS_STATE_TREE_H_
