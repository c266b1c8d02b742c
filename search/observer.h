// Streamed events of a running search; server/ turns them into
// thor.v1.SearchEvent messages.
#ifndef THOR_SEARCH_OBSERVER_H_
#define THOR_SEARCH_OBSERVER_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "search/search_result.h"
#include "search/types.h"

namespace thor {

// State ids are the search's own: "0" is the initial state, then "1", "2"...
// in the order states are first reached. They are not ProofState::id. A
// policy's probe phase (search/best_first.h) names its states other than
// "0" "probe-1", "probe-2"...

// Getting the prover ready, before `started` (see ProverProgress): the
// search reports "starting_prover" first, at once; later phases come from
// its sessions, each phase once per search.
struct PreparingEvent {
  absl::Duration t;            // Since the search started.
  std::string prover;          // ProverBackend::Name().
  std::string phase;
  std::string message;
};

struct SearchStartedEvent {
  absl::Duration t;            // Since the search started.
  std::string prover;          // ProverBackend::Name().
  std::string policy;          // Policy::Name().
  uint64_t seed = 0;           // The seed in use.
  std::string initial_state;   // The initial goals.
};

struct StepTriedEvent {
  absl::Duration t;
  std::string from_state;
  std::string to_state;        // kNewState / kProofFinished; "" otherwise.
  std::string step;
  double logprob = 0;
  StepResult outcome;          // outcome.state.text holds the new goals.
  bool duplicate = false;      // kNewState reached a state already seen.
};

struct HammerCalledEvent {
  absl::Duration t;
  std::string from_state;
  std::string to_state;        // Set when the reconstructed step applied.
  bool success = false;        // The hammer closed the goal.
  std::string step;            // The reconstructed step, or "".
  std::string prover;          // Winning slice, or "".
  std::vector<std::string> premises;
  absl::Duration elapsed;
  std::string message;
};

struct SearchProgressEvent {
  absl::Duration t;
  SearchStats stats;
  int queue_length = 0;        // States waiting in the queue.
  double best_score = 0;       // Best accumulated log-prob in the queue
                               // (0 if the queue is empty).
};

// Receives a search's events. Calls are serialized (never two at once) but
// may come from any of the search's threads; implementations must return
// quickly (copy the event to a queue; do not block on the network).
class SearchObserver {
 public:
  virtual ~SearchObserver() = default;
  virtual void OnPreparing(const PreparingEvent& /*event*/) {}
  virtual void OnStarted(const SearchStartedEvent& /*event*/) {}
  virtual void OnStepTried(const StepTriedEvent& /*event*/) {}
  virtual void OnHammerCalled(const HammerCalledEvent& /*event*/) {}
  // Every SearchConfig::progress_interval, and once before the search returns.
  virtual void OnProgress(const SearchProgressEvent& /*event*/) {}
};

}  // namespace thor

#endif  // THOR_SEARCH_OBSERVER_H_
