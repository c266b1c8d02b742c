#include "search/best_first.h"

namespace thor {

SearchResult RunBestFirstSearch(ProverBackend& /*backend*/, Policy& policy,
                                const Theorem& /*theorem*/,
                                const SearchConfig& config,
                                SearchObserver* /*observer*/,
                                const std::atomic<bool>* /*cancel*/) {
  // Interim: the API is published first; the search lands in the next commit.
  SearchResult result;
  result.status = SearchStatus::kError;
  result.message = "best-first search: not built yet";
  result.seed = config.seed;
  result.policy = policy.Name();
  return result;
}

}  // namespace thor
