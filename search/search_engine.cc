#include "search/search_engine.h"

#include <algorithm>
#include <thread>
#include <utility>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "search/recheck.h"

namespace thor {
namespace {

constexpr absl::Duration kPoll = absl::Milliseconds(10);
constexpr absl::Duration kReinterrupt = absl::Milliseconds(500);
// A kind of call that has lately taken less than this on average (about what
// handing work to another thread costs) is quick: one worker at a time runs
// quick calls, and it wakes no other for them.
constexpr double kQuickCallUs = 50;
// How long work may wait, with no call returning, before the watchdog wakes
// a sleeping worker for it (a call expected to be quick was not).
constexpr absl::Duration kStallWake = absl::Milliseconds(2);

uint64_t PickSeed(uint64_t seed) {
  while (seed == 0) seed = absl::Uniform<uint64_t>(absl::BitGen());
  return seed;
}

}  // namespace

SearchEngine::SearchEngine(ProverBackend& backend, Policy& policy,
                           const Theorem& theorem, const SearchConfig& config,
                           SearchObserver* observer,
                           const std::atomic<bool>* cancel)
    : backend_(backend),
      policy_(policy),
      theorem_(theorem),
      cancel_(cancel),
      core_(backend, policy, theorem, config, observer, PickSeed(config.seed)),
      config_(core_.config()) {}

absl::Duration SearchEngine::Remaining(absl::Time now) const {
  return std::max(absl::Milliseconds(1), deadline_ - now);
}

SearchResult SearchEngine::Run() {
  start_ = absl::Now();
  deadline_ = start_ + config_.wall_time;
  SearchLock lock(&mu_);
  core_.SetStart(start_);
  next_progress_ = start_ + config_.progress_interval;
  slots_.Resize(config_.max_inflight_steps);
  // Session 0 gives the initial state; the others start in their workers.
  absl::StatusOr<std::unique_ptr<ProverSession>> first = backend_.NewSession();
  if (!first.ok()) {
    core_.Finish(SearchStatus::kError,
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
      core_.Finish(SearchStatus::kTimeBudget,
                   absl::StrCat("wall-time budget of ",
                                absl::FormatDuration(config_.wall_time), " used up while ",
                                backend_.Name(), " loaded the theorem: ",
                                initial.status().ToString()));
    } else {
      core_.Finish(SearchStatus::kError,
                   absl::StrCat(backend_.Name(), " could not load the theorem",
                                out_of_time ? " within its start timeout" : "", ": ",
                                initial.status().ToString()));
    }
    return MakeResult();
  }
  slots_.Started(0);
  core_.Start(*initial);
  if (config_.reproducible) ordered_.Dispatch(core_, config_.max_inflight_steps);
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
  if (!s.ok() || core_.done()) {
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
    while (!core_.done() && (!HasWork(/*wake=*/false) || Surplus(worker))) {
      if (runner_ == worker) runner_ = -1;
      ++sleeping_;
      mu_.Wait(work_cv_);
      --sleeping_;
      if (waking_ > 0) --waking_;
    }
    if (core_.done()) break;
    const bool query = NextIsQuery();
    if (!query) slot = slots_.IdleSlot(slot);
    if (Quick(query ? kQueryCall : kStepCall)) runner_ = worker;
    if (config_.reproducible) {
      OrderedCalls::Ticket ticket = query ? ordered_.TakeQuery() : ordered_.TakeStep();
      OrderedCalls::Completed c;
      c.query = query;
      if (query) {
        c.q = ExecQuery(worker, ticket.node);
      } else {
        c.s = ExecStep(worker, slot, ticket.job);
      }
      CompleteInOrder(ticket.seq, std::move(c));
    } else if (query) {
      QueryDone d = ExecQuery(worker, core_.NextQuery());
      core_.Complete(d);
    } else {
      StepDone d = ExecStep(worker, slot, core_.NextStep());
      CompleteStep(d);
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
  if (core_.done()) return sleeping_ > 0 ? Wake::kAll : Wake::kNone;
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

bool SearchEngine::StepReady() const {
  if (config_.reproducible) return slots_.idle() > 0 && ordered_.HasStep();
  return core_.CanStartStep(slots_.idle() > 0);
}

bool SearchEngine::QueryReady(bool wake) const {
  if (config_.reproducible) return ordered_.HasQuery();
  return core_.CanStartQuery(wake);
}

bool SearchEngine::HasWork(bool wake) const {
  return StepReady() || QueryReady(wake);
}

QueryDone SearchEngine::ExecQuery(int worker, int node) {
  PolicyQuery q = core_.QueryFor(node);
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

StepDone SearchEngine::ExecStep(int worker, int slot, const StepJob& job) {
  StepDone d;
  d.slot = slot;
  d.job = job;
  ProverSession* session = slots_.Acquire(slot);
  const ProofState* from = core_.StateFor(job);   // Kept until completed.
  const std::string& step = core_.StepText(job);  // Pool strings never move.
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

void SearchEngine::CompleteStep(StepDone& d) {
  slots_.NoteOutcome(d.slot, d.r.step.kind);
  core_.Complete(d, /*sessions_left=*/slots_.live() > 0);
}

void SearchEngine::CompleteInOrder(uint64_t seq, OrderedCalls::Completed done) {
  ordered_.File(seq, std::move(done), core_);
  OrderedCalls::Completed c;
  while (ordered_.PopReady(core_, &c)) {
    if (c.query) {
      core_.Complete(c.q);
    } else {
      CompleteStep(c.s);
    }
    ordered_.Dispatch(core_, config_.max_inflight_steps);
  }
}

void SearchEngine::MaybeFinishIdle() {
  if (core_.done()) return;
  if (slots_.live() == 0 && slots_.starting() == 0) {
    core_.Finish(SearchStatus::kError,
                 absl::StrCat("every prover session was lost: ", slots_.last_error()));
    return;
  }
  core_.MaybeFinishIdle();
}

void SearchEngine::Watchdog() {
  // Polls without waiting on mu_, so a worker's unlock stays on the fast path.
  while (!workers_exited_.WaitForNotificationWithTimeout(kPoll)) {
    std::vector<ProverSession*> to_interrupt;
    {
      SearchLock lock(&mu_);
      const absl::Time now = absl::Now();
      if (!core_.done() && cancel_ != nullptr && cancel_->load()) {
        core_.Finish(SearchStatus::kCancelled, "the search was cancelled");
      }
      if (!core_.done() && now >= deadline_) {
        core_.Finish(SearchStatus::kTimeBudget,
                     absl::StrCat("wall-time budget of ",
                                  absl::FormatDuration(config_.wall_time),
                                  " used up without a proof"));
      }
      MaybeFinishIdle();  // E.g. a zero query budget: no worker ever wakes.
      Wake wake = Wake::kNone;
      if (core_.done()) {
        wake = ToWake();  // Every sleeper, to exit.
      } else if (now - last_call_end_ >= kStallWake) {
        runner_ = -1;  // Stuck in a call: another worker takes over.
        wake = ToWake();
      }
      Notify(wake);
      if (!core_.done() && now >= next_progress_) {
        core_.EmitProgress();
        next_progress_ = now + config_.progress_interval;
      }
      if (core_.done()) to_interrupt = slots_.ToInterrupt(now, kReinterrupt);
    }
    for (ProverSession* session : to_interrupt) session->Interrupt();
  }
}

SearchResult SearchEngine::MakeResult() {
  std::vector<std::string> steps;
  SearchResult result = core_.BuildResult(&steps);
  if (core_.has_proof() && !config_.skip_recheck) {
    mu_.Unlock();
    RecheckFoundProof(backend_, theorem_, steps, config_.recheck_timeout, &result);
    mu_.Lock();
  }
  core_.FinishResult(&result);
  return result;
}

}  // namespace thor
