#include "server/search_stream.h"

#include "common/bounded_text.h"
#include "common/build_info.h"
#include "server/convert.h"

namespace thor {

SearchEventQueue::SearchEventQueue(std::string search_id, const SearchConfig& started_config,
                                   std::string prover, Metrics* metrics)
    : search_id_(std::move(search_id)), prover_(std::move(prover)), metrics_(metrics) {
  SearchConfigToProto(started_config, &started_config_);
}

void SearchEventQueue::OnPreparing(const PreparingEvent& e) {
  v1::SearchEvent out;
  out.set_t_s(absl::ToDoubleSeconds(e.t));
  PreparingEventToProto(e, out.mutable_preparing());
  Push(std::move(out));
}

void SearchEventQueue::OnStarted(const SearchStartedEvent& e) {
  v1::SearchEvent out;
  out.set_t_s(absl::ToDoubleSeconds(e.t));
  v1::SearchStarted* s = out.mutable_started();
  s->set_search_id(search_id_);
  s->set_prover(e.prover);
  s->set_policy(e.policy);
  *s->mutable_config() = started_config_;
  s->mutable_config()->set_seed(e.seed);
  s->set_initial_state(e.initial_state);
  s->mutable_server()->set_version(ThorVersion());
  s->mutable_server()->set_commit(ThorCommit());
  s->mutable_server()->set_protocol(ThorProtocolVersion());
  Push(std::move(out));
}

void SearchEventQueue::OnStepTried(const StepTriedEvent& e) {
  if (metrics_ != nullptr) metrics_->StepApplied(StepKindName(e.outcome.kind), e.outcome.elapsed);
  v1::SearchEvent out;
  out.set_t_s(absl::ToDoubleSeconds(e.t));
  v1::StepTried* s = out.mutable_step();
  s->set_from_state(e.from_state);
  s->set_to_state(e.to_state);
  s->set_step(e.step);
  s->set_logprob(e.logprob);
  StepResultToProto(e.outcome, s->mutable_outcome());
  Push(std::move(out));
}

void SearchEventQueue::OnHammerCalled(const HammerCalledEvent& e) {
  if (metrics_ != nullptr) {
    metrics_->HammerCalled(prover_, e.success ? "proved" : "unknown", e.elapsed);
  }
  v1::SearchEvent out;
  out.set_t_s(absl::ToDoubleSeconds(e.t));
  v1::HammerCalled* h = out.mutable_hammer();
  h->set_from_state(e.from_state);
  h->set_success(e.success);
  h->set_step(e.step);
  h->set_prover(e.prover);
  for (const std::string& p : e.premises) h->add_premises(p);
  h->set_elapsed_s(absl::ToDoubleSeconds(e.elapsed));
  h->set_message(BoundedText(e.message));
  Push(std::move(out));
}

void SearchEventQueue::OnProgress(const SearchProgressEvent& e) {
  v1::SearchEvent out;
  out.set_t_s(absl::ToDoubleSeconds(e.t));
  v1::SearchProgress* p = out.mutable_progress();
  SearchStatsToProto(e.stats, p->mutable_stats());
  p->set_queue_length(e.queue_length);
  p->set_best_score(e.best_score);
  Push(std::move(out));
}

void SearchEventQueue::Push(v1::SearchEvent event) {
  absl::MutexLock lock(&mu_);
  events_.push_back(std::move(event));
}

void SearchEventQueue::Close() {
  absl::MutexLock lock(&mu_);
  closed_ = true;
}

std::vector<v1::SearchEvent> SearchEventQueue::Take(absl::Duration timeout, bool* closed) {
  absl::MutexLock lock(&mu_);
  auto ready = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) { return closed_ || !events_.empty(); };
  mu_.AwaitWithTimeout(absl::Condition(&ready), timeout);
  std::vector<v1::SearchEvent> out(std::make_move_iterator(events_.begin()),
                                   std::make_move_iterator(events_.end()));
  events_.clear();
  *closed = closed_;
  return out;
}

v1::SearchStatus SearchStatusToProto(SearchStatus status) {
  switch (status) {
    case SearchStatus::kProved: return v1::PROVED;
    case SearchStatus::kProvedUnchecked: return v1::PROVED_UNCHECKED;
    case SearchStatus::kExhausted: return v1::EXHAUSTED;
    case SearchStatus::kQueryBudget: return v1::QUERY_BUDGET;
    case SearchStatus::kTimeBudget: return v1::TIME_BUDGET;
    case SearchStatus::kCancelled: return v1::CANCELLED;
    case SearchStatus::kRecheckRejected: return v1::RECHECK_REJECTED;
    case SearchStatus::kError: return v1::ERROR;
  }
  return v1::SEARCH_STATUS_UNSPECIFIED;
}

void SearchStatsToProto(const SearchStats& s, v1::SearchStats* out) {
  out->set_model_queries(s.model_queries);
  out->set_candidates(s.candidates);
  out->set_steps_applied(s.steps_applied);
  out->set_steps_failed(s.steps_failed);
  out->set_steps_timed_out(s.steps_timed_out);
  out->set_steps_refused(s.steps_refused);
  out->set_hammer_calls(s.hammer_calls);
  out->set_hammer_successes(s.hammer_successes);
  out->set_states_expanded(s.states_expanded);
  out->set_states_seen(s.states_seen);
  out->set_duplicate_states(s.duplicate_states);
  out->set_provers_lost(s.provers_lost);
  out->set_wall_s(s.wall_s);
  out->set_model_s(s.model_s);
  out->set_prover_s(s.prover_s);
  out->set_hammer_s(s.hammer_s);
  out->set_recheck_s(s.recheck_s);
}

void SearchResultToProto(const SearchResult& r, const std::string& search_id,
                         bool include_trace, v1::ProveResult* out) {
  out->set_status(SearchStatusToProto(r.status));
  if (!r.proof.empty()) FoundStepsToProto(r.proof, r.proof_text, out->mutable_proof());
  out->set_recheck(RecheckVerdictToProto(r.recheck.verdict));
  for (const std::string& a : r.recheck.axioms) out->add_axioms(a);
  for (const std::string& c : r.recheck.checkers) out->add_checkers(c);
  out->set_message(BoundedText(r.message));
  SearchStatsToProto(r.stats, out->mutable_stats());
  out->set_search_id(search_id);
  if (include_trace) out->set_trace_json(r.trace_json);
  out->set_seed(r.seed);
}

}  // namespace thor
