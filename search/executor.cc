#include "search/executor.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "search/recheck.h"

namespace thor {
namespace {

uint64_t PickSeed(uint64_t seed) {
  while (seed == 0) seed = absl::Uniform<uint64_t>(absl::BitGen());
  return seed;
}

}  // namespace

Executor::Executor(Env* env, ProverBackend& backend, Policy& policy,
                   const Theorem& theorem, const SearchConfig& config,
                   SearchObserver* observer, const std::atomic<bool>* cancel)
    : env_(env),
      backend_(backend),
      policy_(policy),
      theorem_(theorem),
      core_(backend, policy, theorem, config, observer, PickSeed(config.seed), env),
      config_(core_.config()),
      watchdog_(env, cancel, config_.wall_time, config_.progress_interval) {}

SearchResult Executor::Run() {
  const absl::Time start = env_->Now();
  SearchLock lock(&mu_);
  watchdog_.Start(start);
  core_.SetStart(start);
  if (!StartSearch()) return MakeResult();
  mu_.Unlock();
  RunCalls();
  mu_.Lock();
  return MakeResult();
}

void Executor::StartOn(LoadedSession loaded) {
  SearchLock lock(&mu_);
  loaded_ = std::move(loaded);
}

std::optional<LoadedSession> Executor::TakeLoaded() {
  SearchLock lock(&mu_);
  // Null unless the search started (slot 0 went live) and kept it.
  std::unique_ptr<ProverSession> session = slots_.TakeFirst();
  if (session == nullptr) return std::nullopt;
  // The callback points at this executor, which the session outlives.
  session->SetProgressCallback(nullptr);
  return LoadedSession{std::move(session), loaded_.root};
}

bool Executor::StartSearch() {
  slots_.Resize(config_.max_inflight_steps);
  if (loaded_.session != nullptr) {
    // Handed over (the probe phase's session): loaded already.
    loaded_.session->SetProgressCallback(ProgressCallback());
    slots_.InstallFirst(std::move(loaded_.session));
    BeginAt(loaded_.root);
    return true;
  }
  // The first event, at once: a cold prover may take a while to start.
  core_.Preparing({"starting_prover", absl::StrCat("starting ", backend_.Name())});
  // Session 0 gives the initial state; the others start in their workers.
  absl::StatusOr<std::unique_ptr<ProverSession>> first = backend_.NewSession();
  if (!first.ok()) {
    core_.Finish(SearchStatus::kError,
                 absl::StrCat("cannot create a ", backend_.Name(),
                              " session: ", first.status().message()));
    return false;
  }
  (*first)->SetProgressCallback(ProgressCallback());
  slots_.InstallFirst(std::move(*first));
  // No call runs yet, so slot 0's session stays put while mu_ is released.
  ProverSession* const first_session = slots_.session(0);
  mu_.Unlock();
  const absl::Duration start_limit = std::min(config_.start_timeout, config_.wall_time);
  absl::StatusOr<ProofState> initial = first_session->Start(theorem_, start_limit);
  mu_.Lock();
  if (!initial.ok()) {
    // Loading that ran out of time (the prover may report it as a death: the
    // session killed it at the limit) is a spent budget, not a broken theorem.
    const bool out_of_time =
        absl::IsDeadlineExceeded(initial.status()) ||
        env_->Now() - watchdog_.start() >= start_limit - absl::Milliseconds(100);
    if (out_of_time && start_limit == config_.wall_time) {
      core_.Finish(SearchStatus::kTimeBudget,
                   absl::StrCat("wall-time budget of ",
                                absl::FormatDuration(config_.wall_time), " used up while ",
                                backend_.Name(), " loaded the theorem: ",
                                initial.status().ToString()));
    } else {
      // A theorem the prover refuses to open is a bad request, not a search
      // that failed: kept as a status for the transport to return.
      if (!out_of_time && absl::IsInvalidArgument(initial.status())) {
        rejected_ = initial.status();
      }
      core_.Finish(SearchStatus::kError,
                   absl::StrCat(backend_.Name(), " could not load the theorem",
                                out_of_time ? " within its start timeout" : "", ": ",
                                initial.status().ToString()));
    }
    return false;
  }
  BeginAt(*std::move(initial));
  return true;
}

void Executor::BeginAt(ProofState root) {
  slots_.Started(0);
  if (config_.root_wall_time < absl::InfiniteDuration()) {
    watchdog_.Shorten(env_->Now() + config_.root_wall_time);
  }
  loaded_.root = std::move(root);  // A copy first, should it be loaded_.root.
  core_.Start(loaded_.root);
}

bool Executor::StartSlot(int slot) {
  absl::StatusOr<std::unique_ptr<ProverSession>> s = backend_.NewSession();
  SearchLock lock(&mu_);
  if (!s.ok() || core_.done()) {
    slots_.StartFailed(slot);
    if (!s.ok()) slots_.set_last_error(std::string(s.status().message()));
    return false;
  }
  (*s)->SetProgressCallback(ProgressCallback());
  // Busy while it starts, so the watchdog can interrupt a slow Start.
  ProverSession* session = slots_.BeginStart(slot, std::move(*s));
  const absl::Duration timeout =
      std::min(config_.start_timeout, watchdog_.Remaining(env_->Now()));
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

ProverProgressCallback Executor::ProgressCallback() {
  // Sessions report during their calls, which run with mu_ released.
  return [this](const ProverProgress& progress) {
    SearchLock lock(&mu_);
    core_.Preparing(progress);
  };
}

void Executor::NoteCallEnd(CallKind kind, absl::Time end, absl::Duration elapsed) {
  last_call_end_ = end;
  double& avg = call_us_avg_[kind];
  avg += (absl::ToDoubleMicroseconds(elapsed) - avg) / 8;
}

void Executor::Notify(Wake wake) {
  if (wake == Wake::kOne) work_cv_.notify_one();
  if (wake == Wake::kAll) work_cv_.notify_all();
}

Executor::PendingQuery Executor::PrepareQuery(int node, QueryDone* d) {
  PendingQuery p;
  p.query = core_.QueryFor(node);
  d->node = node;
  p.t0 = env_->Now();
  d->t = p.t0 - watchdog_.start();
  p.limit = std::min(config_.query_timeout, watchdog_.Remaining(p.t0));
  return p;
}

void Executor::MakeQuery(const PendingQuery& p, Wake wake, QueryDone* d) {
  mu_.Unlock();
  Notify(wake);
  d->result = policy_.Propose(p.query, p.limit);
  const absl::Time t1 = env_->Now();
  d->elapsed = t1 - p.t0;
  mu_.Lock();
  NoteCallEnd(kQueryCall, t1, d->elapsed);
}

Executor::PendingStep Executor::PrepareStep(int slot, const StepJob& job, StepDone* d) {
  d->slot = slot;
  d->job = job;
  PendingStep p;
  p.from = core_.StateFor(job);
  p.step = &core_.StepText(job);
  p.t0 = env_->Now();
  p.limit = std::min(job.hammer ? config_.hammer_timeout : config_.step_timeout * job.time_units,
                     watchdog_.Remaining(p.t0));
  p.session = slots_.Acquire(slot, p.t0 + p.limit);
  return p;
}

void Executor::MakeStep(const PendingStep& p, Wake wake, StepDone* d) {
  const bool hammer = d->job.hammer;
  mu_.Unlock();
  Notify(wake);
  if (hammer) {
    d->r = p.session->Hammer(*p.from, p.limit);
  } else {
    d->r.step = p.session->Apply(*p.from, *p.step, p.limit);
  }
  const absl::Time t1 = env_->Now();
  mu_.Lock();
  d->t = t1 - watchdog_.start();
  NoteCallEnd(hammer ? kHammerCall : kStepCall, t1, t1 - p.t0);
  slots_.Release(d->slot);
}

void Executor::MaybeFinishIdle() {
  if (core_.done()) return;
  if (slots_.live() == 0 && slots_.starting() == 0) {
    core_.Finish(SearchStatus::kError,
                 absl::StrCat("every prover session was lost: ", slots_.last_error()));
    return;
  }
  core_.MaybeFinishIdle();
}

void Executor::Watch() {
  // Waits on calls_done_, not on mu_, so a worker's unlock stays on the
  // fast path.
  Watchdog::Loop(calls_done_, [this] {
    SearchLock lock(&mu_);
    const absl::Time now = env_->Now();
    MaybeFinishIdle();  // E.g. a zero query budget: no worker ever wakes.
    std::vector<ProverSession*> to_interrupt = watchdog_.Poll(now, core_, slots_);
    OnPoll(now);
    return to_interrupt;
  });
}

SearchResult Executor::MakeResult() {
  std::vector<std::string> steps;
  SearchResult result = core_.BuildResult(&steps);
  if (core_.has_proof() && !config_.skip_recheck) {
    mu_.Unlock();
    RecheckFoundProof(env_, backend_, theorem_, steps, config_.recheck_timeout, &result);
    if (result.status == SearchStatus::kProved && policy_.LearnsFromProofs()) {
      policy_.LearnFromProof(theorem_, result.proof);
    }
    mu_.Lock();
  }
  core_.FinishResult(&result);
  result.rejected = rejected_;
  return result;
}

}  // namespace thor
