#include "search/recheck.h"

#include "absl/strings/str_cat.h"

namespace thor {

void RecheckFoundProof(Env* env, ProverBackend& backend, const Theorem& theorem,
                       const std::vector<std::string>& steps, absl::Duration timeout,
                       SearchResult* result) {
  const absl::Time t0 = env->Now();
  result->recheck = backend.Recheck(theorem, steps, timeout);
  result->stats.recheck_s = absl::ToDoubleSeconds(env->Now() - t0);
  switch (result->recheck.verdict) {
    case RecheckVerdict::kPassed:
      result->status = SearchStatus::kProved;
      break;
    case RecheckVerdict::kFailed:
      result->status = SearchStatus::kRecheckRejected;
      result->message = absl::StrCat("the fresh re-check rejected the proof: ",
                                     result->recheck.message);
      break;
    default:
      result->status = SearchStatus::kError;
      result->message = absl::StrCat(
          "a proof was found but the fresh re-check could not run: ",
          result->recheck.message);
      break;
  }
}

}  // namespace thor
