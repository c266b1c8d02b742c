#include "search/ordered_calls.h"

#include <utility>

namespace thor {

void OrderedCalls::Dispatch(SearchCore& core, int max_steps) {
  while (!core.done()) {
    Ticket t;
    t.seq = next_ticket_;
    // Tickets run ahead of idle sessions: capped by sessions.
    if (core.CanStartStep(core.steps_in_flight() < max_steps)) {
      t.job = core.NextStep();
      steps_.push_back(t);
    } else if (core.CanStartQuery()) {
      t.node = core.NextQuery();
      queries_.push_back(t);
    } else {
      return;
    }
    ++next_ticket_;
  }
}

void OrderedCalls::File(uint64_t seq, Completed done, const SearchCore& core) {
  if (core.done()) return;
  completed_.emplace(seq, std::move(done));
}

bool OrderedCalls::PopReady(const SearchCore& core, Completed* out) {
  if (core.done() || completed_.empty() ||
      completed_.begin()->first != next_to_integrate_) {
    return false;
  }
  auto node = completed_.extract(completed_.begin());
  ++next_to_integrate_;
  *out = std::move(node.mapped());
  return true;
}

}  // namespace thor
