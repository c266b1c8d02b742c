#include "search/search_engine.h"

#include <algorithm>
#include <thread>
#include <utility>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "search/step_filter.h"

namespace thor {
namespace {

constexpr int kMaxConsecutiveLost = 3;   // A session lost this often retires.
constexpr int kMaxQueryRetries = 2;      // Re-queue a state after a failure.
constexpr absl::Duration kPoll = absl::Milliseconds(10);
constexpr absl::Duration kReinterrupt = absl::Milliseconds(500);

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

SearchEngine::SearchEngine(ProverBackend& backend, Policy& policy,
                           const Theorem& theorem, const SearchConfig& config,
                           SearchObserver* observer,
                           const std::atomic<bool>* cancel)
    : backend_(backend),
      policy_(policy),
      theorem_(theorem),
      config_(config),
      observer_(observer),
      cancel_(cancel),
      tree_(config.queue_size, config.record_trace) {
  if (config_.sequential) {
    config_.max_inflight_queries = 1;
    config_.max_inflight_steps = 1;
  }
  config_.max_inflight_queries = std::max(1, config_.max_inflight_queries);
  config_.max_inflight_steps = std::max(1, config_.max_inflight_steps);
  config_.samples_per_query = std::max(1, config_.samples_per_query);
  max_hammers_ = config_.max_inflight_hammers > 0
                     ? config_.max_inflight_hammers
                     : std::max(1, config_.max_inflight_steps - 1);
  backlog_limit_ = static_cast<size_t>(config_.samples_per_query) *
                   static_cast<size_t>(config_.max_inflight_queries);
  seed_ = config_.seed;
  while (seed_ == 0) seed_ = absl::Uniform<uint64_t>(absl::BitGen());
}

absl::Duration SearchEngine::Remaining() const {
  return std::max(absl::Milliseconds(1), deadline_ - absl::Now());
}

SearchResult SearchEngine::Run() {
  start_ = absl::Now();
  deadline_ = start_ + config_.wall_time;
  absl::MutexLock lock(&mu_);
  next_progress_ = start_ + config_.progress_interval;
  slots_.resize(static_cast<size_t>(config_.max_inflight_steps));
  // Session 0 gives the initial state; the others start in their workers.
  absl::StatusOr<std::unique_ptr<ProverSession>> first = backend_.NewSession();
  if (!first.ok()) {
    Finish(SearchStatus::kError,
           absl::StrCat("cannot create a ", backend_.Name(),
                        " session: ", first.status().message()));
    return MakeResult();
  }
  slots_[0].session = std::move(*first);
  mu_.Unlock();
  const absl::Duration start_limit = std::min(config_.start_timeout, config_.wall_time);
  absl::StatusOr<ProofState> initial = slots_[0].session->Start(theorem_, start_limit);
  mu_.Lock();
  if (!initial.ok()) {
    // Loading that ran out of time (the prover may report it as a death: the
    // session killed it at the limit) is a spent budget, not a broken theorem.
    const bool out_of_time = absl::IsDeadlineExceeded(initial.status()) ||
                             Elapsed() >= start_limit - absl::Milliseconds(100);
    if (out_of_time && start_limit == config_.wall_time) {
      Finish(SearchStatus::kTimeBudget,
             absl::StrCat("wall-time budget of ", absl::FormatDuration(config_.wall_time),
                          " used up while ", backend_.Name(), " loaded the theorem: ",
                          initial.status().ToString()));
    } else {
      Finish(SearchStatus::kError,
             absl::StrCat(backend_.Name(), " could not load the theorem",
                          out_of_time ? " within its start timeout" : "", ": ",
                          initial.status().ToString()));
    }
    return MakeResult();
  }
  slots_[0].live = true;
  live_slots_ = 1;
  tree_.AddRoot(*initial, Elapsed());
  stats_.states_seen = 1;
  if (observer_ != nullptr) {
    observer_->OnStarted(
        {Elapsed(), backend_.Name(), policy_.Name(), seed_, initial->text});
  }
  std::vector<std::thread> threads;
  if (config_.sequential) {
    running_workers_ = 1;
    threads.emplace_back([this] { Worker(Role::kAny, 0); });
  } else {
    running_workers_ = config_.max_inflight_queries + config_.max_inflight_steps;
    starting_slots_ = config_.max_inflight_steps - 1;
    for (int i = 0; i < config_.max_inflight_queries; ++i) {
      threads.emplace_back([this] { Worker(Role::kQuery, -1); });
    }
    for (int i = 0; i < config_.max_inflight_steps; ++i) {
      threads.emplace_back([this, i] { Worker(Role::kStep, i); });
    }
  }
  mu_.Unlock();
  Watchdog();
  for (std::thread& t : threads) t.join();
  mu_.Lock();
  return MakeResult();
}

bool SearchEngine::StartSlot(int slot) {
  absl::StatusOr<std::unique_ptr<ProverSession>> s = backend_.NewSession();
  absl::MutexLock lock(&mu_);
  if (!s.ok() || done_) {
    --starting_slots_;
    if (!s.ok()) last_session_error_ = std::string(s.status().message());
    return false;
  }
  slots_[slot].session = std::move(*s);
  slots_[slot].busy = true;  // So the watchdog can interrupt a slow Start.
  ProverSession* session = slots_[slot].session.get();
  const absl::Duration timeout = std::min(config_.start_timeout, Remaining());
  mu_.Unlock();
  absl::StatusOr<ProofState> st = session->Start(theorem_, timeout);
  mu_.Lock();
  --starting_slots_;
  slots_[slot].busy = false;
  if (!st.ok()) {
    last_session_error_ = st.status().ToString();
    return false;
  }
  slots_[slot].live = true;
  ++live_slots_;
  return true;
}

void SearchEngine::Worker(Role role, int slot) {
  bool ok = true;
  if (role == Role::kStep && slot > 0) ok = StartSlot(slot);
  absl::MutexLock lock(&mu_);
  auto ready = [this, role] { return done_ || HasWork(role); };
  while (ok) {
    mu_.Await(absl::Condition(&ready));
    if (done_) break;
    if (role == Role::kQuery || (role == Role::kAny && !CanStartStep())) {
      RunQuery();
    } else {
      RunStep(slot < 0 ? 0 : slot);
      if (!slots_[slot < 0 ? 0 : slot].live) break;  // Retired.
    }
    MaybeFinishIdle();
  }
  if (--running_workers_ == 0) workers_exited_.Notify();
  MaybeFinishIdle();
}

bool SearchEngine::CanStartQuery() const {
  if (tree_.QueueEmpty() || queries_issued_ >= config_.max_model_queries ||
      queries_inflight_ >= config_.max_inflight_queries) {
    return false;
  }
  if (config_.sequential) {
    return tree_.PendingJobs() == 0 && steps_inflight_ == 0 &&
           hammers_inflight_ == 0;
  }
  return tree_.PendingSteps() < backlog_limit_;
}

bool SearchEngine::CanStartStep() const {
  return tree_.HasStepJob() ||
         (tree_.HasHammerJob() && hammers_inflight_ < max_hammers_);
}

bool SearchEngine::HasWork(Role role) const {
  switch (role) {
    case Role::kQuery:
      return CanStartQuery();
    case Role::kStep:
      return CanStartStep();
    case Role::kAny:
      return CanStartStep() || CanStartQuery();
  }
  return false;
}

void SearchEngine::RunQuery() {
  const int node = tree_.Pop();
  const SearchNode& n = tree_.node(node);
  ++queries_issued_;
  ++queries_inflight_;
  ++stats_.model_queries;
  ++stats_.states_expanded;
  PolicyQuery q;
  q.theorem = &theorem_;
  q.state_text = n.state.text;
  q.last_step = n.step;
  q.n = config_.samples_per_query;
  q.temperature = config_.temperature;
  q.seed = QuerySeed(seed_, n.state.text);
  q.hammer_token = config_.hammer_token;
  q.cancel = &stop_;
  const absl::Duration t = Elapsed();
  const absl::Duration deadline = std::min(config_.query_timeout, Remaining());
  mu_.Unlock();
  const absl::Time t0 = absl::Now();
  absl::StatusOr<std::vector<Candidate>> r = policy_.Propose(q, deadline);
  const absl::Duration elapsed = absl::Now() - t0;
  mu_.Lock();
  --queries_inflight_;
  FinishQuery(node, std::move(r), t, elapsed);
}

void SearchEngine::FinishQuery(int node,
                               absl::StatusOr<std::vector<Candidate>> result,
                               absl::Duration t, absl::Duration elapsed) {
  stats_.model_s += absl::ToDoubleSeconds(elapsed);
  if (done_) return;
  TraceQuery tq{node, 0, t, elapsed, ""};
  if (!result.ok()) {
    ++stats_.model_failures;
    ++consecutive_policy_failures_;
    tq.error = result.status().ToString();
    tree_.RecordQuery(std::move(tq));
    SearchNode& n = tree_.node(node);
    last_policy_error_ = result.status().ToString();
    if (consecutive_policy_failures_ >=
        std::max(1, config_.max_consecutive_policy_failures)) {
      FinishPolicyFailure();
      return;
    }
    if (n.query_failures++ < kMaxQueryRetries) {
      tree_.Push(node);
    } else {
      tree_.MarkExpanded(node);
    }
    return;
  }
  consecutive_policy_failures_ = 0;
  tq.candidates = static_cast<int>(result->size());
  tree_.RecordQuery(std::move(tq));
  QueueCandidates(node, std::move(*result));
  tree_.MarkExpanded(node);  // After its jobs are queued: keeps the goal text.
}

bool SearchEngine::StepAllowed(int node, const Candidate& c) {
  // Verdicts are memoised by step hash: models repeat steps a lot and the
  // filter scans a word list. (A 64-bit collision letting a forbidden step
  // through would still meet the session's own filter and the re-check.)
  const uint64_t key = absl::HashOf(c.step);
  auto it = step_allowed_.find(key);
  if (it != step_allowed_.end() && it->second) return true;
  absl::Status allowed = c.step.empty()
                             ? absl::InvalidArgumentError("empty step")
                             : CheckStepAllowed(theorem_.prover, c.step);
  step_allowed_[key] = allowed.ok();
  if (allowed.ok()) return true;
  ++stats_.steps_refused;
  StepResult r;
  r.kind = StepKind::kRefused;
  r.message = std::string(allowed.message());
  const absl::Duration t = Elapsed();
  tree_.RecordTry({node, -1, -1, c.step, c.logprob, r.kind, false, "",
                   r.message, t, absl::ZeroDuration()});
  if (observer_ != nullptr) {
    observer_->OnStepTried({t, absl::StrCat(node), "", c.step, c.logprob, r,
                            false});
  }
  return false;
}

void SearchEngine::QueueCandidates(int node, std::vector<Candidate> candidates) {
  // Merge identical steps keeping the best log-probability. No sorting: the
  // jobs go into a priority queue.
  std::vector<size_t> kept;
  kept.reserve(candidates.size());
  {
    absl::flat_hash_map<absl::string_view, size_t> index;
    index.reserve(candidates.size());
    for (size_t i = 0; i < candidates.size(); ++i) {
      Candidate& c = candidates[i];
      c.is_hammer = c.is_hammer || c.step == config_.hammer_token;
      auto [it, inserted] = index.emplace(c.step, i);
      if (inserted) {
        kept.push_back(i);
        continue;
      }
      Candidate& first = candidates[it->second];
      first.logprob = std::max(first.logprob, c.logprob);
      first.is_hammer = first.is_hammer || c.is_hammer;
    }
  }
  stats_.candidates += static_cast<uint32_t>(kept.size());
  const double base = tree_.node(node).score;
  for (size_t i : kept) {
    Candidate& c = candidates[i];
    if (!c.is_hammer && !StepAllowed(node, c)) continue;
    StepJob job;
    job.parent = node;
    job.score = base + c.logprob;
    job.logprob = c.logprob;
    job.hammer = c.is_hammer;
    job.step = std::move(c.step);
    tree_.AddJob(std::move(job));
  }
}

void SearchEngine::RunStep(int slot) {
  StepJob job;
  const bool take_hammer =
      tree_.HasHammerJob() && hammers_inflight_ < max_hammers_ &&
      (!tree_.HasStepJob() || tree_.TopHammer().score > tree_.TopStep().score);
  job = take_hammer ? tree_.PopHammer() : tree_.PopStep();
  int& inflight = job.hammer ? hammers_inflight_ : steps_inflight_;
  ++inflight;
  Slot& s = slots_[slot];
  s.busy = true;
  ProverSession* session = s.session.get();
  const std::shared_ptr<const ProofState> from = tree_.StateFor(job.parent);
  const absl::Duration limit =
      std::min(job.hammer ? config_.hammer_timeout : config_.step_timeout,
               Remaining());
  mu_.Unlock();
  if (job.hammer) {
    HammerStepResult r = session->Hammer(*from, limit);
    mu_.Lock();
    --inflight;
    slots_[slot].busy = false;
    FinishHammer(slot, job, r);
    tree_.JobDone(job.parent);
  } else {
    StepResult r = session->Apply(*from, job.step, limit);
    mu_.Lock();
    --inflight;
    slots_[slot].busy = false;
    FinishStep(slot, job, r);
    tree_.JobDone(job.parent);
  }
}

int SearchEngine::Reach(const StepJob& job, const std::string& step_text,
                        const std::string& hammer_prover, const StepResult& r,
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
  const int id = tree_.AddNode(job.parent, step_text, job.logprob, job.hammer,
                               hammer_prover, r.state, t);
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

void SearchEngine::NoteLost(int slot, StepKind kind) {
  Slot& s = slots_[slot];
  if (kind != StepKind::kProverLost) {
    s.consecutive_lost = 0;
    return;
  }
  ++stats_.provers_lost;
  if (++s.consecutive_lost >= kMaxConsecutiveLost && s.live) {
    s.live = false;
    --live_slots_;
    last_session_error_ = absl::StrCat("prover session ", slot, " was lost ",
                                       s.consecutive_lost, " times in a row");
  }
}

void SearchEngine::FinishStep(int slot, const StepJob& job, const StepResult& r) {
  ++stats_.steps_applied;
  stats_.prover_s += absl::ToDoubleSeconds(r.elapsed);
  switch (r.kind) {
    case StepKind::kStepError: ++stats_.steps_failed; break;
    case StepKind::kTimeout: ++stats_.steps_timed_out; break;
    case StepKind::kRefused: ++stats_.steps_refused; break;
    default: break;
  }
  NoteLost(slot, r.kind);
  if (done_) return;
  int dup = -1;
  int to = -1;
  const absl::Duration t = Elapsed();
  if (r.kind == StepKind::kNewState || r.kind == StepKind::kProofFinished) {
    to = Reach(job, job.step, "", r, t, &dup);
  }
  tree_.RecordTry({job.parent, to, dup, job.step, job.logprob, r.kind, false,
                   "", r.message, t, r.elapsed});
  if (observer_ != nullptr) {
    observer_->OnStepTried({t, absl::StrCat(job.parent),
                            to >= 0 ? absl::StrCat(to) : "", job.step,
                            job.logprob, r, dup >= 0});
  }
}

void SearchEngine::FinishHammer(int slot, const StepJob& job,
                                const HammerStepResult& r) {
  ++stats_.hammer_calls;
  stats_.hammer_s += absl::ToDoubleSeconds(r.step.elapsed);
  if (r.step.kind == StepKind::kProofFinished) ++stats_.hammer_successes;
  NoteLost(slot, r.step.kind);
  if (done_) return;
  int dup = -1;
  int to = -1;
  const absl::Duration t = Elapsed();
  if (r.step.kind == StepKind::kNewState ||
      r.step.kind == StepKind::kProofFinished) {
    to = Reach(job, r.step_text, r.prover, r.step, t, &dup);
  }
  std::string message = r.message.empty() ? r.step.message : r.message;
  tree_.RecordTry({job.parent, to, dup, r.step_text.empty() ? job.step
                                                            : r.step_text,
                   job.logprob, r.step.kind, true, r.prover, message, t,
                   r.step.elapsed});
  if (observer_ != nullptr) {
    observer_->OnHammerCalled(
        {t, absl::StrCat(job.parent), to >= 0 ? absl::StrCat(to) : "",
         r.step.kind == StepKind::kProofFinished, r.step_text, r.prover,
         r.premises, r.step.elapsed, message});
  }
}

void SearchEngine::MaybeFinishIdle() {
  if (done_) return;
  if (live_slots_ == 0 && starting_slots_ == 0) {
    Finish(SearchStatus::kError,
           absl::StrCat("every prover session was lost: ", last_session_error_));
    return;
  }
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

void SearchEngine::FinishPolicyFailure() {
  Finish(SearchStatus::kError,
         absl::StrCat("policy '", policy_.Name(), "' failed ",
                      consecutive_policy_failures_,
                      " queries in a row; last error: ", last_policy_error_));
}

void SearchEngine::Finish(SearchStatus status, std::string message) {
  if (done_) return;
  done_ = true;
  status_ = status;
  message_ = std::move(message);
  finished_at_ = Elapsed();
  stop_.store(true);
}

void SearchEngine::EmitProgress() {
  if (observer_ == nullptr) return;
  SearchStats s = stats_;
  s.wall_s = absl::ToDoubleSeconds(Elapsed());
  observer_->OnProgress(
      {Elapsed(), s, tree_.QueueLength(), tree_.BestScore()});
}

void SearchEngine::Watchdog() {
  // Polls without waiting on mu_, so a worker's unlock stays on the fast path.
  while (!workers_exited_.WaitForNotificationWithTimeout(kPoll)) {
    std::vector<ProverSession*> to_interrupt;
    {
      absl::MutexLock lock(&mu_);
      const absl::Time now = absl::Now();
      if (!done_ && cancel_ != nullptr && cancel_->load()) {
        Finish(SearchStatus::kCancelled, "the search was cancelled");
      }
      if (!done_ && now >= deadline_) {
        Finish(SearchStatus::kTimeBudget,
               absl::StrCat("wall-time budget of ",
                            absl::FormatDuration(config_.wall_time),
                            " used up without a proof"));
      }
      MaybeFinishIdle();  // E.g. a zero query budget: no worker ever wakes.
      if (!done_ && now >= next_progress_) {
        EmitProgress();
        next_progress_ = now + config_.progress_interval;
      }
      if (done_) {
        for (Slot& slot : slots_) {
          if (slot.busy && slot.session != nullptr &&
              now - slot.last_interrupt >= kReinterrupt) {
            slot.last_interrupt = now;
            to_interrupt.push_back(slot.session.get());
          }
        }
      }
    }
    for (ProverSession* session : to_interrupt) session->Interrupt();
  }
}

SearchResult SearchEngine::MakeResult() {
  SearchResult result;
  result.status = status_;
  result.message = message_;
  result.seed = seed_;
  result.policy = policy_.Name();
  result.recheck.verdict = RecheckVerdict::kSkipped;
  stats_.wall_s = absl::ToDoubleSeconds(done_ ? finished_at_ : Elapsed());
  if (proof_node_ >= 0) {
    result.proof = tree_.PathTo(proof_node_);
    std::vector<std::string> texts;
    for (const FoundStep& s : result.proof) texts.push_back(s.text);
    result.proof_text = backend_.ProofText(texts);
    if (!config_.skip_recheck) {
      const absl::Time t0 = absl::Now();
      mu_.Unlock();
      result.recheck = backend_.Recheck(theorem_, texts, config_.recheck_timeout);
      mu_.Lock();
      stats_.recheck_s = absl::ToDoubleSeconds(absl::Now() - t0);
      switch (result.recheck.verdict) {
        case RecheckVerdict::kPassed:
          result.status = SearchStatus::kProved;
          break;
        case RecheckVerdict::kFailed:
          result.status = SearchStatus::kRecheckRejected;
          result.message = absl::StrCat("the fresh re-check rejected the proof: ",
                                        result.recheck.message);
          break;
        default:
          result.status = SearchStatus::kError;
          result.message = absl::StrCat(
              "a proof was found but the fresh re-check could not run: ",
              result.recheck.message);
          break;
      }
    }
  }
  EmitProgress();
  result.stats = stats_;
  if (config_.record_trace) {
    result.trace_json =
        tree_.TraceJson(theorem_, policy_.Name(), seed_, result.status);
  }
  return result;
}

}  // namespace thor
