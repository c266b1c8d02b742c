// ProofSearchService::Prove: runs RunBestFirstSearch on its own thread and
// streams its events from the RPC thread, so a slow client never slows the
// search and a cancelled client stops it.
#include <algorithm>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "search/best_first.h"
#include "search/verbs.h"
#include "server/convert.h"
#include "server/log.h"
#include "server/rpc_util.h"
#include "server/search_stream.h"
#include "server/theorem_request.h"
#include "server/service.h"

namespace thor {
namespace {

constexpr absl::Duration kLinger = absl::Milliseconds(10);

}  // namespace

absl::Status ProofSearchService::ProveBody(grpc::ServerContext* context,
                                           const v1::ProveRequest& request,
                                           grpc::ServerWriter<v1::SearchEvent>* writer,
                                           std::atomic<bool>* cancel) {
  absl::StatusOr<TheoremRequest> resolved =
      ResolveTheorem(request.has_theorem(), request.theorem(), "theorem", config_, *registry_);
  if (!resolved.ok()) return resolved.status();
  const Theorem* const theorem = &resolved->theorem;
  const std::shared_ptr<ProverBackend>* const backend = &resolved->backend;
  absl::StatusOr<SearchConfig> config = SearchConfigFromProto(request.config(), config_, "config");
  if (!config.ok()) return config.status();
  auto policy = registry_->GetPolicy(request.config().policy(), "config.policy");
  if (!policy.ok()) return policy.status();
  auto ticket = Admit(cancel);
  if (!ticket.ok()) return ticket.status();

  config->wall_time = WithinDeadline(config->wall_time, *context);
  config->recheck_timeout = std::min(config->recheck_timeout, config->wall_time);
  config->progress_interval = config_.progress_interval;
  config->record_trace = request.include_trace();
  const std::string search_id = NewRequestId();
  const nlohmann::json ids = {{"search_id", search_id},
                              {"theorem", theorem->name},
                              {"prover", theorem->prover},
                              {"policy", (*policy)->Name()}};
  LogEvent("info", "search_started", ids);

  SearchEventQueue events(search_id, *config, theorem->prover, metrics_);
  SearchResult result;
  std::thread search([&] {
    result = RunBestFirstSearch(**backend, **policy, *theorem, *config, &events, cancel);
    events.Close();
  });
  bool closed = false;
  bool client_gone = false;
  double last_t_s = 0;  // Of the events written so far.
  while (!closed) {
    std::vector<v1::SearchEvent> batch = events.Take(absl::Milliseconds(100), &closed);
    if (!closed && !batch.empty()) {
      // Linger briefly so that a burst of events is drained in one go: fewer
      // wake-ups of this thread, at a cost of kLinger latency per burst.
      absl::SleepFor(kLinger);
      for (v1::SearchEvent& e : events.Take(absl::ZeroDuration(), &closed)) {
        batch.push_back(std::move(e));
      }
    }
    for (size_t i = 0; i < batch.size() && !client_gone; ++i) {
      last_t_s = std::max(last_t_s, batch[i].t_s());
      if (!writer->Write(batch[i])) {
        client_gone = true;  // The stream broke: stop the search.
        cancel->store(true);
      }
    }
  }
  search.join();

  if (!result.rejected.ok()) {
    // The error model (proto/thor/v1/thor.proto): a theorem the prover
    // refuses to open is a bad request, answered with its status after the
    // `preparing` events already sent; no search ran, so no finished event.
    LogEvent("info", "search_refused",
             {{"search_id", search_id}, {"code", absl::StatusCodeToString(result.rejected.code())}});
    return TheoremRejected(**backend, result.rejected);
  }
  if (metrics_ != nullptr) {
    metrics_->ModelQueries(result.stats.model_queries, absl::Seconds(result.stats.model_s));
    metrics_->SearchFinished(SearchStatusName(result.status), absl::Seconds(result.stats.wall_s));
  }
  nlohmann::json done = ids;
  done["status"] = SearchStatusName(result.status);
  done["wall_s"] = result.stats.wall_s;
  done["model_queries"] = result.stats.model_queries;
  done["steps"] = result.proof.size();
  if (!result.message.empty()) done["message"] = result.message;
  LogEvent("info", "search_finished", done);

  v1::SearchEvent finished;
  // The stats come from the search's own clock readings: never let the last
  // event be stamped before the one the client saw just before it.
  finished.set_t_s(std::max(last_t_s, result.stats.wall_s + result.stats.recheck_s));
  SearchResultToProto(result, search_id, request.include_trace(), finished.mutable_finished());
  if (!client_gone) writer->Write(finished);
  return absl::OkStatus();
}

}  // namespace thor
