#include "search/search_result.h"

namespace thor {

const char* SearchStatusName(SearchStatus status) {
  switch (status) {
    case SearchStatus::kProved:
      return "proved";
    case SearchStatus::kProvedUnchecked:
      return "proved_unchecked";
    case SearchStatus::kExhausted:
      return "exhausted";
    case SearchStatus::kQueryBudget:
      return "query_budget";
    case SearchStatus::kTimeBudget:
      return "time_budget";
    case SearchStatus::kCancelled:
      return "cancelled";
    case SearchStatus::kRecheckRejected:
      return "recheck_rejected";
    case SearchStatus::kError:
      return "error";
  }
  return "unknown";
}

}  // namespace thor
