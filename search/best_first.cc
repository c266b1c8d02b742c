#include "search/best_first.h"

#include "common/env.h"
#include "search/inline_executor.h"
#include "search/worker_pool.h"

namespace thor {

SearchResult RunBestFirstSearch(ProverBackend& backend, Policy& policy,
                                const Theorem& theorem,
                                const SearchConfig& config,
                                SearchObserver* observer,
                                const std::atomic<bool>* cancel) {
  // One call at a time needs no pool: the caller's thread makes them.
  if (config.sequential) {
    InlineExecutor executor(Env::Default(), backend, policy, theorem, config,
                            observer, cancel);
    return executor.Run();
  }
  WorkerPool pool(Env::Default(), backend, policy, theorem, config, observer, cancel);
  return pool.Run();
}

}  // namespace thor
