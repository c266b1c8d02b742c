// The outcome of one best-first search (mirrors thor.v1.ProveResult, without
// protobuf: server/ translates).
#ifndef THOR_SEARCH_SEARCH_RESULT_H_
#define THOR_SEARCH_SEARCH_RESULT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "search/types.h"

namespace thor {

// How a search ended (mirrors thor.v1.SearchStatus).
enum class SearchStatus {
  kProved,           // Proof found and re-checked by a fresh prover.
  kProvedUnchecked,  // Proof found; re-check skipped on request.
  kExhausted,        // Queue empty: no step left to try.
  kQueryBudget,      // max_model_queries used up.
  kTimeBudget,       // wall_time used up.
  kCancelled,        // The caller cancelled.
  kRecheckRejected,  // A proof was found but the re-check refused it.
  kError,            // The search could not run; `message` says why.
};

// Returns a stable lower-case name ("proved", "query_budget", ...).
const char* SearchStatusName(SearchStatus status);

// Counters of one search (mirrors thor.v1.SearchStats).
struct SearchStats {
  uint32_t model_queries = 0;     // Policy calls made (failed ones included).
  uint32_t candidates = 0;        // Candidate steps returned by the policy.
  uint32_t steps_applied = 0;     // Steps sent to the prover (hammer excluded).
  uint32_t steps_failed = 0;      // kStepError outcomes.
  uint32_t steps_timed_out = 0;   // kTimeout outcomes.
  uint32_t steps_refused = 0;     // kRefused outcomes (by the filter or prover).
  uint32_t hammer_calls = 0;      // Hammer invocations.
  uint32_t hammer_successes = 0;  // Hammer calls that closed their goal.
  uint32_t states_expanded = 0;   // States popped from the queue and expanded.
  uint32_t states_seen = 0;       // Distinct states reached (initial included).
  uint32_t duplicate_states = 0;  // States reached again and not re-expanded.
  uint32_t provers_lost = 0;      // kProverLost outcomes (process replaced).
  uint32_t model_failures = 0;    // Policy calls that returned an error.
  double wall_s = 0;              // Wall time of the search (recheck excluded).
  double model_s = 0;             // Sum of model-query latencies.
  double prover_s = 0;            // Sum of step latencies.
  double hammer_s = 0;            // Sum of hammer-call latencies.
  double recheck_s = 0;           // Time of the fresh re-check.
};

// One step of a found proof (mirrors thor.v1.ProofStep).
struct FoundStep {
  std::string text;           // As the prover ran it (hammer: reconstructed).
  bool from_hammer = false;   // The policy asked for the hammer here.
  std::string hammer_prover;  // Winning slice, e.g. "cvc5/64", if any.
  // The goals before the step, as the policy saw them; filled only when the
  // search kept its states (a trace, or Policy::LearnsFromProofs()).
  std::string state_before;
};

struct SearchResult {
  SearchStatus status = SearchStatus::kError;
  // The proof, in order (kProved, kProvedUnchecked, kRecheckRejected; also
  // kError when the proof was found but the re-check could not run).
  std::vector<FoundStep> proof;
  // ProverBackend::ProofText of the proof's step texts ("" without a proof).
  std::string proof_text;
  // kSkipped unless a proof was found and re-checked.
  RecheckResult recheck;
  std::string message;     // Human-readable detail; always set on kError.
  // Not OK when no search ran because the request itself is unusable: the
  // prover rejected the theorem (statement or context) when opening it
  // (InvalidArgument, quoting the prover). status is then kError; the gRPC
  // transport answers with this status instead of a finished event
  // (proto/thor/v1/thor.proto, "Errors").
  absl::Status rejected;
  SearchStats stats;
  std::string trace_json;  // The search tree (SearchConfig::record_trace).
  uint64_t seed = 0;       // The seed used (picked if the config said 0).
  std::string policy;      // Policy::Name().
};

}  // namespace thor

#endif  // THOR_SEARCH_SEARCH_RESULT_H_
