#include "search/search_engine.h"

#include <algorithm>
#include <thread>
#include <utility>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "search/recheck.h"

namespace thor {
namespace {

constexpr int kLostRetries = 1;          // Re-runs of a step whose session was lost.
constexpr int kMaxQueryRetries = 2;      // Re-queue a state after a failure.
constexpr absl::Duration kPoll = absl::Milliseconds(10);
constexpr absl::Duration kReinterrupt = absl::Milliseconds(500);
// A kind of call that has lately taken less than this on average (about what
// handing work to another thread costs) is quick: one worker at a time runs
// quick calls, and it wakes no other for them.
constexpr double kQuickCallUs = 50;
// How long work may wait, with no call returning, before the watchdog wakes
// a sleeping worker for it (a call expected to be quick was not).
constexpr absl::Duration kStallWake = absl::Milliseconds(2);

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
  if (config_.sequential) config_.reproducible = false;  // Already in order.
  SearchLock lock(&mu_);
  hammer_step_ = tree_.Intern(config_.hammer_token);
}

absl::Duration SearchEngine::Remaining(absl::Time now) const {
  return std::max(absl::Milliseconds(1), deadline_ - now);
}

SearchResult SearchEngine::Run() {
  start_ = absl::Now();
  deadline_ = start_ + config_.wall_time;
  SearchLock lock(&mu_);
  next_progress_ = start_ + config_.progress_interval;
  slots_.Resize(config_.max_inflight_steps);
  // Session 0 gives the initial state; the others start in their workers.
  absl::StatusOr<std::unique_ptr<ProverSession>> first = backend_.NewSession();
  if (!first.ok()) {
    Finish(SearchStatus::kError,
           absl::StrCat("cannot create a ", backend_.Name(),
                        " session: ", first.status().message()));
    return MakeResult();
  }
  slots_.InstallFirst(std::move(*first));
  // No worker runs yet, so slot 0's session stays put while mu_ is released.
  ProverSession* const first_session = slots_.session(0);
  mu_.Unlock();
  const absl::Duration start_limit = std::min(config_.start_timeout, config_.wall_time);
  absl::StatusOr<ProofState> initial = first_session->Start(theorem_, start_limit);
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
  slots_.Started(0);
  tree_.AddRoot(*initial, Elapsed());
  stats_.states_seen = 1;
  if (observer_ != nullptr) {
    observer_->OnStarted(
        {Elapsed(), backend_.Name(), policy_.Name(), seed_, initial->text});
  }
  if (config_.reproducible) Dispatch();
  // One thread per call that may be in flight, so none waits for a thread;
  // worker i < max_inflight_steps starts session i first.
  running_workers_ = config_.sequential
                         ? 1
                         : config_.max_inflight_queries + config_.max_inflight_steps;
  std::vector<std::thread> threads;
  for (int i = 0; i < running_workers_; ++i) {
    threads.emplace_back([this, i] { Worker(i, i < config_.max_inflight_steps ? i : 0); });
  }
  mu_.Unlock();
  Watchdog();
  for (std::thread& t : threads) t.join();
  mu_.Lock();
  return MakeResult();
}

bool SearchEngine::StartSlot(int slot) {
  absl::StatusOr<std::unique_ptr<ProverSession>> s = backend_.NewSession();
  SearchLock lock(&mu_);
  if (!s.ok() || done_) {
    slots_.StartFailed(slot);
    if (!s.ok()) slots_.set_last_error(std::string(s.status().message()));
    return false;
  }
  // Busy while it starts, so the watchdog can interrupt a slow Start.
  ProverSession* session = slots_.BeginStart(slot, std::move(*s));
  const absl::Duration timeout = std::min(config_.start_timeout, Remaining());
  mu_.Unlock();
  absl::StatusOr<ProofState> st = session->Start(theorem_, timeout);
  mu_.Lock();
  if (!st.ok()) {
    slots_.StartFailed(slot);
    slots_.set_last_error(st.status().ToString());
    return false;
  }
  slots_.Started(slot);
  return true;
}

void SearchEngine::Worker(int worker, int start_slot) {
  if (start_slot > 0) StartSlot(start_slot);  // On failure, still a worker.
  int slot = start_slot;  // Preferred: the session this thread used last.
  SearchLock lock(&mu_);
  while (true) {
    while (!done_ && (!HasWork(/*wake=*/false) || Surplus(worker))) {
      if (runner_ == worker) runner_ = -1;
      ++sleeping_;
      mu_.Wait(work_cv_);
      --sleeping_;
      if (waking_ > 0) --waking_;
    }
    if (done_) break;
    const bool query = NextIsQuery();
    if (!query) slot = slots_.IdleSlot(slot);
    if (Quick(query ? kQueryCall : kStepCall)) runner_ = worker;
    if (config_.reproducible) {
      std::deque<Ticket>& tickets = query ? query_tickets_ : step_tickets_;
      Ticket ticket = std::move(tickets.front());
      tickets.pop_front();
      Completed c;
      c.query = query;
      if (query) {
        c.q = ExecQuery(worker, ticket.node);
      } else {
        c.s = ExecStep(worker, slot, ticket.job);
      }
      IntegrateInOrder(ticket.seq, std::move(c));
    } else if (query) {
      QueryDone d = ExecQuery(worker, TakeQuery());
      FinishQuery(d);
    } else {
      StepDone d = ExecStep(worker, slot, TakeStep());
      FinishStepJob(d);
    }
    MaybeFinishIdle();
  }
  if (--running_workers_ == 0) workers_exited_.Notify();
  MaybeFinishIdle();
  Notify(ToWake());
}

bool SearchEngine::Quick(CallKind kind) const {
  return call_us_avg_[kind] < kQuickCallUs;
}

bool SearchEngine::Surplus(int worker) const {
  if (runner_ < 0 || runner_ == worker) return false;
  return Quick(NextIsQuery() ? kQueryCall : kStepCall);
}

bool SearchEngine::NextIsQuery() const {
  // A query first when the step backlog runs low, else a step if a session
  // is idle, else a query.
  return !StepReady() || QueryReady(/*wake=*/true);
}

SearchEngine::Wake SearchEngine::BeforeCall(int worker, CallKind kind) {
  if (Quick(kind)) return Wake::kNone;  // The runner is back soon for the rest.
  if (runner_ == worker) runner_ = -1;  // Another worker takes quick calls.
  return ToWake();
}

SearchEngine::Wake SearchEngine::ToWake() {
  if (done_) return sleeping_ > 0 ? Wake::kAll : Wake::kNone;
  // A sleeper already woken and on its way takes the work.
  if (sleeping_ <= waking_ || !HasWork(/*wake=*/true)) return Wake::kNone;
  ++waking_;
  return Wake::kOne;
}

void SearchEngine::NoteCallEnd(CallKind kind, absl::Time end, absl::Duration elapsed) {
  last_call_end_ = end;
  double& avg = call_us_avg_[kind];
  avg += (absl::ToDoubleMicroseconds(elapsed) - avg) / 8;
}

void SearchEngine::Notify(Wake wake) {
  if (wake == Wake::kOne) work_cv_.notify_one();
  if (wake == Wake::kAll) work_cv_.notify_all();
}

bool SearchEngine::CanStartQuery(bool wake) const {
  if (tree_.QueueEmpty() || queries_issued_ >= config_.max_model_queries ||
      queries_inflight_ >= config_.max_inflight_queries) {
    return false;
  }
  if (config_.sequential) {
    return tree_.PendingJobs() == 0 && steps_inflight_ == 0 &&
           hammers_inflight_ == 0;
  }
  // A worker that is awake and has no step to run queries while the step
  // backlog is under the limit; a sleeping one is woken for a query only once
  // it is down to half, so not for every step taken (a worker wake-up costs
  // more than the rest of a step's bookkeeping).
  return tree_.PendingSteps() < (wake ? backlog_limit_ / 2 : backlog_limit_);
}

bool SearchEngine::CanStartStep() const {
  if (config_.reproducible) {
    // Seeded mode issues tickets ahead of idle sessions: cap them by sessions.
    if (steps_inflight_ + hammers_inflight_ >= config_.max_inflight_steps) return false;
  } else if (slots_.idle() == 0) {
    return false;
  }
  return tree_.HasStepJob() ||
         (tree_.HasHammerJob() && hammers_inflight_ < max_hammers_);
}

bool SearchEngine::StepReady() const {
  if (config_.reproducible) return slots_.idle() > 0 && !step_tickets_.empty();
  return CanStartStep();
}

bool SearchEngine::QueryReady(bool wake) const {
  if (config_.reproducible) return !query_tickets_.empty();
  return CanStartQuery(wake);
}

bool SearchEngine::HasWork(bool wake) const {
  return StepReady() || QueryReady(wake);
}

void SearchEngine::Dispatch() {
  while (!done_) {
    Ticket t;
    t.seq = next_ticket_;
    if (CanStartStep()) {
      t.job = TakeStep();
      step_tickets_.push_back(t);
    } else if (CanStartQuery()) {
      t.node = TakeQuery();
      query_tickets_.push_back(t);
    } else {
      return;
    }
    ++next_ticket_;
  }
}

void SearchEngine::IntegrateInOrder(uint64_t seq, Completed done) {
  // Once the search is over, results still arriving depend on timing (how
  // far each call got before it was interrupted): not counted, so the
  // statistics repeat too.
  if (done_) return;
  completed_.emplace(seq, std::move(done));
  while (!done_ && !completed_.empty() &&
         completed_.begin()->first == next_to_integrate_) {
    auto node = completed_.extract(completed_.begin());
    ++next_to_integrate_;
    if (node.mapped().query) {
      FinishQuery(node.mapped().q);
    } else {
      FinishStepJob(node.mapped().s);
    }
    Dispatch();
  }
}

int SearchEngine::TakeQuery() {
  ++queries_issued_;
  ++queries_inflight_;
  ++stats_.model_queries;
  ++stats_.states_expanded;
  return tree_.Pop();
}

SearchEngine::QueryDone SearchEngine::ExecQuery(int worker, int node) {
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
  QueryDone d;
  d.node = node;
  const absl::Time t0 = absl::Now();
  d.t = t0 - start_;
  const absl::Duration deadline = std::min(config_.query_timeout, Remaining(t0));
  const Wake wake = BeforeCall(worker, kQueryCall);
  mu_.Unlock();
  Notify(wake);  // Unlocked: a woken worker does not block on mu_ at once.
  d.result = policy_.Propose(q, deadline);
  const absl::Time t1 = absl::Now();
  d.elapsed = t1 - t0;
  mu_.Lock();
  NoteCallEnd(kQueryCall, t1, d.elapsed);
  return d;
}

void SearchEngine::FinishQuery(QueryDone& d) {
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

bool SearchEngine::StepAllowed(int node, uint32_t step, double logprob) {
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

void SearchEngine::QueueCandidates(int node, std::vector<Candidate>& candidates) {
  // Merge identical steps keeping the best log-probability, by interned
  // step. No sorting: the jobs go into a priority queue.
  struct Kept {
    uint32_t step;
    double logprob;
    bool hammer;
  };
  std::vector<Kept> kept;
  kept.reserve(candidates.size());
  const uint64_t query = ++merge_query_;
  for (const Candidate& c : candidates) {
    const uint32_t step = tree_.Intern(c.step);
    const bool hammer = c.is_hammer || step == hammer_step_;
    if (step >= merge_seen_.size()) merge_seen_.resize(tree_.PoolSize());
    Seen& seen = merge_seen_[step];
    if (seen.query == query) {
      Kept& first = kept[seen.index];
      first.logprob = std::max(first.logprob, c.logprob);
      first.hammer = first.hammer || hammer;
      continue;
    }
    seen = {query, static_cast<uint32_t>(kept.size())};
    kept.push_back({step, c.logprob, hammer});
  }
  stats_.candidates += static_cast<uint32_t>(kept.size());
  const double base = tree_.node(node).score;
  for (const Kept& k : kept) {
    if (!k.hammer && !StepAllowed(node, k.step, k.logprob)) continue;
    StepJob job;
    job.parent = node;
    job.step = k.step;
    job.score = base + k.logprob;
    job.logprob = k.logprob;
    job.hammer = k.hammer;
    tree_.AddJob(job);
  }
}

StepJob SearchEngine::TakeStep() {
  const bool take_hammer =
      tree_.HasHammerJob() && hammers_inflight_ < max_hammers_ &&
      (!tree_.HasStepJob() || tree_.TopHammer().score > tree_.TopStep().score);
  StepJob job = take_hammer ? tree_.PopHammer() : tree_.PopStep();
  ++(job.hammer ? hammers_inflight_ : steps_inflight_);
  return job;
}

SearchEngine::StepDone SearchEngine::ExecStep(int worker, int slot,
                                              const StepJob& job) {
  StepDone d;
  d.slot = slot;
  d.job = job;
  ProverSession* session = slots_.Acquire(slot);
  const ProofState* from = tree_.StateFor(job.parent);  // Kept until JobDone.
  const std::string& step = tree_.Text(job.step);  // Pool strings never move.
  const absl::Time t0 = absl::Now();
  const absl::Duration limit =
      std::min(job.hammer ? config_.hammer_timeout : config_.step_timeout,
               Remaining(t0));
  const CallKind kind = job.hammer ? kHammerCall : kStepCall;
  const Wake wake = BeforeCall(worker, kind);
  mu_.Unlock();
  Notify(wake);
  if (job.hammer) {
    d.r = session->Hammer(*from, limit);
  } else {
    d.r.step = session->Apply(*from, step, limit);
  }
  const absl::Time t1 = absl::Now();
  mu_.Lock();
  d.t = t1 - start_;
  NoteCallEnd(kind, t1, t1 - t0);
  slots_.Release(slot);
  return d;
}

void SearchEngine::FinishStepJob(StepDone& d) {
  --(d.job.hammer ? hammers_inflight_ : steps_inflight_);
  const bool lost = d.r.step.kind == StepKind::kProverLost;
  if (d.job.hammer) {
    FinishHammer(d.slot, d.job, d.r, d.t);
  } else {
    FinishStep(d.slot, d.job, d.r.step, d.t);
  }
  // A lost session says little about the step (the prover may have died
  // of something else): the step is tried once more, on whichever session
  // is free, so a crash does not cut the proof's path. Queued before
  // JobDone, so the parent's state stays available.
  if (lost && !done_ && d.job.lost_retries < kLostRetries && slots_.live() > 0) {
    StepJob again = d.job;
    ++again.lost_retries;
    tree_.AddJob(again);
  }
  tree_.JobDone(d.job.parent);
}

int SearchEngine::Reach(const StepJob& job, uint32_t step,
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

void SearchEngine::FinishStep(int slot, const StepJob& job, StepResult& r,
                              absl::Duration t) {
  ++stats_.steps_applied;
  stats_.prover_s += absl::ToDoubleSeconds(r.elapsed);
  switch (r.kind) {
    case StepKind::kStepError: ++stats_.steps_failed; break;
    case StepKind::kTimeout: ++stats_.steps_timed_out; break;
    case StepKind::kRefused: ++stats_.steps_refused; break;
    default: break;
  }
  if (slots_.NoteOutcome(slot, r.kind)) ++stats_.provers_lost;
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

void SearchEngine::FinishHammer(int slot, const StepJob& job,
                                HammerStepResult& r, absl::Duration t) {
  ++stats_.hammer_calls;
  stats_.hammer_s += absl::ToDoubleSeconds(r.step.elapsed);
  if (r.step.kind == StepKind::kProofFinished) ++stats_.hammer_successes;
  if (slots_.NoteOutcome(slot, r.step.kind)) ++stats_.provers_lost;
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

void SearchEngine::MaybeFinishIdle() {
  if (done_) return;
  if (slots_.live() == 0 && slots_.starting() == 0) {
    Finish(SearchStatus::kError,
           absl::StrCat("every prover session was lost: ", slots_.last_error()));
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
  Notify(ToWake());
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
      SearchLock lock(&mu_);
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
      Wake wake = Wake::kNone;
      if (!done_ && now - last_call_end_ >= kStallWake) {
        runner_ = -1;  // Stuck in a call: another worker takes over.
        wake = ToWake();
      }
      Notify(wake);
      if (!done_ && now >= next_progress_) {
        EmitProgress();
        next_progress_ = now + config_.progress_interval;
      }
      if (done_) to_interrupt = slots_.ToInterrupt(now, kReinterrupt);
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
      mu_.Unlock();
      RecheckFoundProof(backend_, theorem_, texts, config_.recheck_timeout, &result);
      mu_.Lock();
      stats_.recheck_s = result.stats.recheck_s;
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
