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

void OrderedCalls::Complete(uint64_t seq, Completed done, SearchCore& core,
                            int max_steps, const Integrate& integrate) {
  if (core.done()) return;
  completed_.emplace(seq, std::move(done));
  while (!core.done() && !completed_.empty() &&
         completed_.begin()->first == next_to_integrate_) {
    auto node = completed_.extract(completed_.begin());
    ++next_to_integrate_;
    integrate(node.mapped());
    Dispatch(core, max_steps);
  }
}

}  // namespace thor
