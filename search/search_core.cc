#include "search/search_core.h"

#include <algorithm>
#include <functional>
#include <utility>

#include "absl/strings/str_cat.h"

namespace thor {
namespace {

constexpr int kLostRetries = 1;      // Re-runs of a step whose session was lost.
constexpr int kMaxQueryRetries = 2;  // Re-queue a state after a failure.

uint64_t SplitMix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

uint64_t QuerySeed(uint64_t seed, const std::string& text) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ULL;
  uint64_t s = SplitMix(seed ^ SplitMix(h));
  return s == 0 ? 1 : s;
}

SearchCore::SearchCore(ProverBackend& backend, Policy& policy,
                       const Theorem& theorem, const SearchConfig& config,
                       SearchObserver* observer, uint64_t seed, Env* env)
    : backend_(backend),
      policy_(policy),
      theorem_(theorem),
      config_(config),
      observer_(observer),
      seed_(seed),
      env_(env),
      start_(env->Now()),
      tree_(config.queue_size, config.record_trace, policy.LearnsFromProofs()) {
  if (config_.sequential) {
    config_.max_inflight_queries = 1;
    config_.max_inflight_steps = 1;
    config_.reproducible = false;  // Already in order.
  }
  config_.max_inflight_queries = std::max(1, config_.max_inflight_queries);
  config_.max_inflight_steps = std::max(1, config_.max_inflight_steps);
  config_.samples_per_query = std::max(1, config_.samples_per_query);
  max_hammers_ = config_.max_inflight_hammers > 0
                     ? config_.max_inflight_hammers
                     : std::max(1, config_.max_inflight_steps - 1);
  backlog_limit_ = static_cast<size_t>(config_.samples_per_query) *
                   static_cast<size_t>(config_.max_inflight_queries);
  hammer_step_ = tree_.Intern(config_.hammer_token);
}

void SearchCore::Preparing(const ProverProgress& progress) {
  for (const std::string& seen : phases_reported_) {
    if (seen == progress.phase) return;
  }
  phases_reported_.push_back(progress.phase);
  if (observer_ != nullptr) {
    observer_->OnPreparing({Elapsed(), backend_.Name(), progress.phase, progress.message});
  }
}

void SearchCore::Start(const ProofState& initial) {
  tree_.AddRoot(initial, Elapsed());
  stats_.states_seen = 1;
  if (observer_ != nullptr) {
    observer_->OnStarted(
        {Elapsed(), backend_.Name(), policy_.Name(), seed_, initial.text});
  }
}

SearchCall SearchCore::Next(bool session_free) {
  SearchCall call;
  if (!CanStartStep(session_free) || CanStartQuery(/*wake=*/true)) {
    call.kind = kQueryCall;
    call.node = NextQuery();
  } else {
    call.job = NextStep();
    call.kind = call.job.hammer ? kHammerCall : kStepCall;
  }
  return call;
}

int SearchCore::NextQuery() {
  ++queries_issued_;
  ++queries_inflight_;
  ++stats_.model_queries;
  ++stats_.states_expanded;
  return tree_.Pop();
}

StepJob SearchCore::NextStep() {
  const bool take_hammer =
      tree_.HasHammerJob() && hammers_inflight_ < max_hammers_ &&
      (!tree_.HasStepJob() || tree_.TopHammer().score > tree_.TopStep().score);
  StepJob job = take_hammer ? tree_.PopHammer() : tree_.PopStep();
  ++(job.hammer ? hammers_inflight_ : steps_inflight_);
  return job;
}

PolicyQuery SearchCore::QueryFor(int node) const {
  const SearchNode& n = tree_.node(node);
  PolicyQuery q;
  q.theorem = &theorem_;
  q.state_text = n.text;
  q.last_step = tree_.Text(n.step);
  q.n = config_.samples_per_query;
  q.temperature = config_.temperature;
  q.seed = QuerySeed(seed_, n.text);
  q.hammer_token = config_.hammer_token;
  q.cancel = &stop_;
  return q;
}

void SearchCore::Complete(QueryDone& d) {
  --queries_inflight_;
  stats_.model_s += absl::ToDoubleSeconds(d.elapsed);
  if (done_) return;
  const int node = d.node;
  if (!d.result.ok()) {
    ++stats_.model_failures;
    ++consecutive_policy_failures_;
    last_policy_error_ = d.result.status().ToString();
    tree_.RecordQuery(node, 0, d.t, d.elapsed, last_policy_error_);
    if (consecutive_policy_failures_ >=
        std::max(1, config_.max_consecutive_policy_failures)) {
      FinishPolicyFailure();
      return;
    }
    if (tree_.node(node).query_failures++ < kMaxQueryRetries) {
      tree_.Push(node);
    } else {
      tree_.MarkExpanded(node);
    }
    return;
  }
  consecutive_policy_failures_ = 0;
  tree_.RecordQuery(node, static_cast<int>(d.result->size()), d.t, d.elapsed, "");
  QueueCandidates(node, *d.result);
  tree_.MarkExpanded(node);  // After its jobs are queued: keeps its state.
}

void SearchCore::Complete(StepDone& d, bool sessions_left) {
  --(d.job.hammer ? hammers_inflight_ : steps_inflight_);
  const bool lost = d.r.step.kind == StepKind::kProverLost;
  if (lost) ++stats_.provers_lost;
  if (d.job.hammer) {
    FinishHammer(d.job, d.r, d.t);
  } else {
    FinishStep(d.job, d.r.step, d.t);
  }
  // A lost session says little about the step (the prover may have died
  // of something else): the step is tried once more, on whichever session
  // is free, so a crash does not cut the proof's path. Queued before
  // JobDone, so the parent's state stays available.
  if (lost && !done_ && d.job.lost_retries < kLostRetries && sessions_left) {
    StepJob again = d.job;
    ++again.lost_retries;
    tree_.AddJob(again);
  }
  tree_.JobDone(d.job.parent);
}

bool SearchCore::StepAllowed(int node, uint32_t step, double logprob) {
  // Verdicts are memoised by step: models repeat steps a lot and the filter
  // scans a word list.
  constexpr uint32_t kUnchecked = 0xFFFFFFFF;
  constexpr uint32_t kAllowed = 0xFFFFFFFE;
  if (step >= step_verdicts_.size()) step_verdicts_.resize(tree_.PoolSize(), kUnchecked);
  uint32_t& verdict = step_verdicts_[step];
  if (verdict == kUnchecked) {
    absl::Status allowed = step == 0 ? absl::InvalidArgumentError("empty step")
                                     : backend_.CheckStep(tree_.Text(step));
    verdict = allowed.ok() ? kAllowed : tree_.Intern(allowed.message());
  }
  if (verdict == kAllowed) return true;
  ++stats_.steps_refused;
  const absl::Duration t = Elapsed();
  tree_.RecordTry(node, -1, false, step, logprob, StepKind::kRefused, false, 0,
                  tree_.Text(verdict), t, absl::ZeroDuration());
  if (observer_ != nullptr) {
    StepResult r;
    r.kind = StepKind::kRefused;
    r.message = tree_.Text(verdict);
    observer_->OnStepTried({t, absl::StrCat(node), "", tree_.Text(step), logprob,
                            r, false});
  }
  return false;
}

void SearchCore::QueueCandidates(int node, std::vector<Candidate>& candidates) {
  // Merge identical steps keeping the best log-probability, by interned
  // step. No sorting: the jobs go into a priority queue.
  struct Kept {
    uint32_t step;
    double logprob;
    bool hammer;
    uint8_t time_units;
  };
  std::vector<Kept> kept;
  kept.reserve(candidates.size());
  const uint64_t query = ++merge_query_;
  for (const Candidate& c : candidates) {
    const uint32_t step = tree_.Intern(c.step);
    const bool hammer = c.is_hammer || step == hammer_step_;
    const auto units =
        static_cast<uint8_t>(std::clamp(c.time_units, 1, Candidate::kMaxTimeUnits));
    if (step >= merge_seen_.size()) merge_seen_.resize(tree_.PoolSize());
    Seen& seen = merge_seen_[step];
    if (seen.query == query) {
      Kept& first = kept[seen.index];
      first.logprob = std::max(first.logprob, c.logprob);
      first.hammer = first.hammer || hammer;
      first.time_units = std::max(first.time_units, units);
      continue;
    }
    seen = {query, static_cast<uint32_t>(kept.size())};
    kept.push_back({step, c.logprob, hammer, units});
  }
  stats_.candidates += static_cast<uint32_t>(kept.size());
  if (tree_.node(node).parent < 0 && config_.root_hammer_place >= 0) {
    // The root's hammer goes no later than right after its
    // `root_hammer_place` best other candidates (1e-9 below the last of
    // them; above the first at 0).
    std::vector<double> others;
    for (const Kept& k : kept) {
      if (!k.hammer) others.push_back(k.logprob);
    }
    std::sort(others.begin(), others.end(), std::greater<>());
    const size_t place = std::min(static_cast<size_t>(config_.root_hammer_place), others.size());
    for (Kept& k : kept) {
      if (k.hammer && !others.empty()) {
        k.logprob = std::max(k.logprob,
                             place == 0 ? others.front() + 1e-9 : others[place - 1] - 1e-9);
      }
    }
  }
  const double base = tree_.node(node).score;
  for (const Kept& k : kept) {
    if (!k.hammer && !StepAllowed(node, k.step, k.logprob)) continue;
    StepJob job;
    job.parent = node;
    job.step = k.step;
    job.score = base + k.logprob;
    job.logprob = k.logprob;
    job.hammer = k.hammer;
    job.time_units = k.time_units;
    tree_.AddJob(job);
  }
}

int SearchCore::Reach(const StepJob& job, uint32_t step,
                        uint32_t hammer_prover, StepResult& r,
                        absl::Duration t, int* duplicate_of) {
  *duplicate_of = -1;
  const uint64_t key = SearchTree::StateKey(r.state.text);
  if (r.kind == StepKind::kNewState) {
    const int seen = tree_.SeenAs(key);
    if (seen >= 0) {
      ++stats_.duplicate_states;
      *duplicate_of = seen;
      return -1;
    }
  }
  // The observer's event still carries the outcome: copy for it, else move.
  std::string text = observer_ != nullptr ? r.state.text : std::move(r.state.text);
  const int id = tree_.AddNode(job.parent, step, job.logprob, job.hammer,
                               hammer_prover, std::move(r.state.id),
                               std::move(text), t);
  ++stats_.states_seen;
  if (r.kind == StepKind::kProofFinished) {
    proof_node_ = id;
    Finish(SearchStatus::kProvedUnchecked, "");
  } else {
    tree_.MarkSeen(key, id);
    tree_.Push(id);
  }
  return id;
}

void SearchCore::FinishStep(const StepJob& job, StepResult& r, absl::Duration t) {
  ++stats_.steps_applied;
  stats_.prover_s += absl::ToDoubleSeconds(r.elapsed);
  switch (r.kind) {
    case StepKind::kStepError: ++stats_.steps_failed; break;
    case StepKind::kTimeout: ++stats_.steps_timed_out; break;
    case StepKind::kRefused: ++stats_.steps_refused; break;
    default: break;
  }
  if (done_) return;
  int dup = -1;
  int to = -1;
  if (r.kind == StepKind::kNewState || r.kind == StepKind::kProofFinished) {
    to = Reach(job, job.step, 0, r, t, &dup);
  }
  tree_.RecordTry(job.parent, dup >= 0 ? dup : to, dup >= 0, job.step,
                  job.logprob, r.kind, false, 0, r.message, t, r.elapsed);
  if (observer_ != nullptr) {
    observer_->OnStepTried({t, absl::StrCat(job.parent),
                            to >= 0 ? absl::StrCat(to) : "",
                            tree_.Text(job.step), job.logprob, r, dup >= 0});
  }
}

void SearchCore::FinishHammer(const StepJob& job, HammerStepResult& r,
                              absl::Duration t) {
  ++stats_.hammer_calls;
  stats_.hammer_s += absl::ToDoubleSeconds(r.step.elapsed);
  if (r.step.kind == StepKind::kProofFinished) ++stats_.hammer_successes;
  if (done_) return;
  int dup = -1;
  int to = -1;
  const uint32_t step_text = tree_.Intern(r.step_text);
  const uint32_t prover = tree_.Intern(r.prover);
  if (r.step.kind == StepKind::kNewState ||
      r.step.kind == StepKind::kProofFinished) {
    to = Reach(job, step_text, prover, r.step, t, &dup);
  }
  const std::string& message = r.message.empty() ? r.step.message : r.message;
  tree_.RecordTry(job.parent, dup >= 0 ? dup : to, dup >= 0,
                  step_text == 0 ? job.step : step_text, job.logprob,
                  r.step.kind, true, prover, message, t, r.step.elapsed);
  if (observer_ != nullptr) {
    observer_->OnHammerCalled(
        {t, absl::StrCat(job.parent), to >= 0 ? absl::StrCat(to) : "",
         r.step.kind == StepKind::kProofFinished, r.step_text, r.prover,
         r.premises, r.step.elapsed, message});
  }
}

void SearchCore::MaybeFinishIdle() {
  if (done_) return;
  const bool idle =
      queries_inflight_ == 0 && steps_inflight_ == 0 && hammers_inflight_ == 0;
  if (!idle || tree_.PendingJobs() > 0 || CanStartQuery()) return;
  if (consecutive_policy_failures_ > 0) {
    FinishPolicyFailure();
  } else if (queries_issued_ >= config_.max_model_queries) {
    Finish(SearchStatus::kQueryBudget,
           absl::StrCat("used all ", config_.max_model_queries,
                        " model queries without a proof"));
  } else {
    Finish(SearchStatus::kExhausted, "no open proof state left to expand");
  }
}

void SearchCore::FinishPolicyFailure() {
  Finish(SearchStatus::kError,
         absl::StrCat("policy '", policy_.Name(), "' failed ",
                      consecutive_policy_failures_,
                      " queries in a row; last error: ", last_policy_error_));
}

void SearchCore::Finish(SearchStatus status, std::string message) {
  if (done_) return;
  done_ = true;
  status_ = status;
  message_ = std::move(message);
  finished_at_ = Elapsed();
  stop_.store(true);
}

void SearchCore::EmitProgress() {
  if (observer_ == nullptr) return;
  SearchStats s = stats_;
  s.wall_s = absl::ToDoubleSeconds(Elapsed());
  observer_->OnProgress(
      {Elapsed(), s, tree_.QueueLength(), tree_.BestScore()});
}

SearchResult SearchCore::BuildResult(std::vector<std::string>* steps) {
  SearchResult result;
  result.status = status_;
  result.message = message_;
  result.seed = seed_;
  result.policy = policy_.Name();
  result.recheck.verdict = RecheckVerdict::kSkipped;
  if (proof_node_ >= 0) {
    result.proof = tree_.PathTo(proof_node_);
    for (const FoundStep& s : result.proof) steps->push_back(s.text);
    result.proof_text = backend_.ProofText(*steps);
  }
  return result;
}

void SearchCore::FinishResult(SearchResult* result) {
  stats_.wall_s = absl::ToDoubleSeconds(done_ ? finished_at_ : Elapsed());
  stats_.recheck_s = result->stats.recheck_s;
  EmitProgress();
  result->stats = stats_;
  if (config_.record_trace) {
    result->trace_json =
        tree_.TraceJson(theorem_, policy_.Name(), seed_, result->status);
  }
}

}  // namespace thor
