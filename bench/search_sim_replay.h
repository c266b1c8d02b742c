// bench/search_sim helpers: hooks that record every prover and policy call a
// search makes, so the same calls can be replayed without the search.
#ifndef THOR_BENCH_SEARCH_SIM_REPLAY_H_
#define THOR_BENCH_SEARCH_SIM_REPLAY_H_

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "search/policy.h"
#include "search/prover.h"
#include "tests/search/forwarding.h"

namespace thor::testing {

// The calls, in the order they were made.
struct CallLog {
  absl::Mutex mu;
  std::vector<std::pair<ProofState, std::string>> applies ABSL_GUARDED_BY(mu);
  std::vector<PolicyQuery> queries ABSL_GUARDED_BY(mu);
};

// Hooks for ForwardingBackend that record every Apply in `log`.
inline ProverHooks RecordApplies(CallLog* log) {
  ProverHooks h;
  h.before = [log](int, const ProofState& from, const std::string* step) {
    if (step == nullptr) return;  // A hammer call.
    absl::MutexLock l(&log->mu);
    log->applies.emplace_back(from, *step);
  };
  return h;
}

// A hook for ForwardingPolicy that records every query in `log`.
inline std::function<void(const PolicyQuery&)> RecordQueries(CallLog* log) {
  return [log](const PolicyQuery& q) {
    absl::MutexLock l(&log->mu);
    log->queries.push_back(q);
    log->queries.back().cancel = nullptr;
  };
}

}  // namespace thor::testing

#endif  // THOR_BENCH_SEARCH_SIM_REPLAY_H_
