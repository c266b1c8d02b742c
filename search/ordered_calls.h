// The reproducible (seeded) mode, as a layer between a SearchCore and the
// threads that make its calls: every call the core can make is issued at
// once as a numbered ticket, and finished calls reach the core strictly in
// ticket order, so the search does not depend on which call returns first.
// Not thread-safe: guarded by the engine's mutex. Internal to search/.
#ifndef THOR_SEARCH_ORDERED_CALLS_H_
#define THOR_SEARCH_ORDERED_CALLS_H_

#include <cstdint>
#include <deque>
#include <map>
#include <utility>

#include "search/search_core.h"

namespace thor {

class OrderedCalls {
 public:
  struct Ticket {
    uint64_t seq = 0;
    int node = 0;  // Queries.
    StepJob job;   // Steps.
  };
  // A finished call, waiting for earlier tickets.
  struct Completed {
    bool query = false;
    QueryDone q;
    StepDone s;
  };
  // Issues every call `core` can make now as tickets: steps first (no more
  // in flight than `max_steps`, the sessions), then queries.
  void Dispatch(SearchCore& core, int max_steps);
  bool HasQuery() const { return !queries_.empty(); }
  bool HasStep() const { return !steps_.empty(); }
  // REQUIRES: HasQuery() / HasStep().
  Ticket TakeQuery() { return Take(queries_); }
  Ticket TakeStep() { return Take(steps_); }

  // Files the outcome of ticket `seq`. Once the core is done, results still
  // arriving depend on timing (how far each call got before it was
  // interrupted): dropped, so the statistics repeat too.
  void File(uint64_t seq, Completed done, const SearchCore& core);
  // The next finished call whose turn has come, if any (and the core is not
  // done): the caller hands it to the core, then calls Dispatch.
  bool PopReady(const SearchCore& core, Completed* out);

 private:
  static Ticket Take(std::deque<Ticket>& tickets) {
    Ticket t = std::move(tickets.front());
    tickets.pop_front();
    return t;
  }
  std::deque<Ticket> queries_;
  std::deque<Ticket> steps_;
  std::map<uint64_t, Completed> completed_;
  uint64_t next_ticket_ = 0;
  uint64_t next_to_integrate_ = 0;
};

}  // namespace thor

#endif  // THOR_SEARCH_ORDERED_CALLS_H_
