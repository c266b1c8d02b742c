#include "search/best_first.h"

#include "search/search_engine.h"

namespace thor {

SearchResult RunBestFirstSearch(ProverBackend& backend, Policy& policy,
                                const Theorem& theorem,
                                const SearchConfig& config,
                                SearchObserver* observer,
                                const std::atomic<bool>* cancel) {
  SearchEngine engine(backend, policy, theorem, config, observer, cancel);
  return engine.Run();
}

}  // namespace thor
