// Turns a running search's events (search/observer.h) into thor.v1.SearchEvent
// messages on a queue that the RPC thread drains onto the network, so the
// search never waits on a slow client. Also records step and hammer metrics.
#ifndef THOR_SERVER_SEARCH_STREAM_H_
#define THOR_SERVER_SEARCH_STREAM_H_

#include <deque>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "proto/thor/v1/thor.pb.h"
#include "search/observer.h"
#include "search/search_result.h"
#include "server/metrics.h"

namespace thor {

class SearchEventQueue : public SearchObserver {
 public:
  // `started_config` is reported in the started event (after clamps);
  // `metrics` may be null.
  SearchEventQueue(std::string search_id, const SearchConfig& started_config,
                   std::string prover, Metrics* metrics);

  void OnPreparing(const PreparingEvent& event) override;
  void OnStarted(const SearchStartedEvent& event) override;
  void OnStepTried(const StepTriedEvent& event) override;
  void OnHammerCalled(const HammerCalledEvent& event) override;
  void OnProgress(const SearchProgressEvent& event) override;

  // Marks the end of the events (no more will come).
  void Close();
  // Waits up to `timeout` for events and moves them out. `*closed` is set to
  // true when the queue is closed and empty afterwards.
  std::vector<v1::SearchEvent> Take(absl::Duration timeout, bool* closed);

 private:
  void Push(v1::SearchEvent event);

  const std::string search_id_;
  v1::SearchConfig started_config_;
  const std::string prover_;
  Metrics* const metrics_;
  absl::Mutex mu_;
  std::deque<v1::SearchEvent> events_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

v1::SearchStatus SearchStatusToProto(SearchStatus status);
void SearchStatsToProto(const SearchStats& s, v1::SearchStats* out);
// The finished event's payload. The trace is copied only if `include_trace`.
void SearchResultToProto(const SearchResult& r, const std::string& search_id,
                         bool include_trace, v1::ProveResult* out);

}  // namespace thor

#endif  // THOR_SERVER_SEARCH_STREAM_H_
