#include "search/worker_pool.h"

#include <thread>
#include <utility>
#include <vector>

namespace thor {
namespace {

// A kind of call that has lately taken less than this on average (about what
// handing work to another thread costs) is quick: one worker at a time runs
// quick calls, and it wakes no other for them.
constexpr double kQuickCallUs = 50;
// How long work may wait, with no call returning, before the watchdog wakes
// a sleeping worker for it (a call expected to be quick was not).
constexpr absl::Duration kStallWake = absl::Milliseconds(2);

}  // namespace

void WorkerPool::RunCalls() {
  std::vector<std::thread> threads;
  {
    SearchLock lock(&mu_);
    if (config_.reproducible) ordered_.Dispatch(core_, config_.max_inflight_steps);
    // Worker i < max_inflight_steps starts session i first.
    running_workers_ = config_.sequential
                           ? 1
                           : config_.max_inflight_queries + config_.max_inflight_steps;
    for (int i = 0; i < running_workers_; ++i) {
      threads.emplace_back(
          [this, i] { Worker(i, i < config_.max_inflight_steps ? i : 0); });
    }
  }
  Watch();
  for (std::thread& t : threads) t.join();
}

void WorkerPool::Worker(int worker, int start_slot) {
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
        RunQuery(worker, ticket.node, &c.q);
      } else {
        RunStep(worker, slot, ticket.job, &c.s);
      }
      CompleteInOrder(ticket.seq, std::move(c));
    } else if (query) {
      QueryDone d;
      RunQuery(worker, core_.NextQuery(), &d);
      core_.Complete(d);
    } else {
      StepDone d;
      RunStep(worker, slot, core_.NextStep(), &d);
      CompleteStep(d);
    }
    MaybeFinishIdle();
  }
  if (--running_workers_ == 0) calls_done_.Notify();
  MaybeFinishIdle();
  Notify(ToWake());
}

bool WorkerPool::Quick(CallKind kind) const {
  return call_us_avg_[kind] < kQuickCallUs;
}

bool WorkerPool::Surplus(int worker) const {
  if (runner_ < 0 || runner_ == worker) return false;
  return Quick(NextIsQuery() ? kQueryCall : kStepCall);
}

bool WorkerPool::NextIsQuery() const {
  // A query first when the step backlog runs low, else a step if a session
  // is idle, else a query.
  return !StepReady() || QueryReady(/*wake=*/true);
}

WorkerPool::Wake WorkerPool::BeforeCall(int worker, CallKind kind) {
  if (Quick(kind)) return Wake::kNone;  // The runner is back soon for the rest.
  if (runner_ == worker) runner_ = -1;  // Another worker takes quick calls.
  return ToWake();
}

WorkerPool::Wake WorkerPool::ToWake() {
  if (core_.done()) return sleeping_ > 0 ? Wake::kAll : Wake::kNone;
  // A sleeper already woken and on its way takes the work.
  if (sleeping_ <= waking_ || !HasWork(/*wake=*/true)) return Wake::kNone;
  ++waking_;
  return Wake::kOne;
}

bool WorkerPool::StepReady() const {
  if (config_.reproducible) return slots_.idle() > 0 && ordered_.HasStep();
  return core_.CanStartStep(slots_.idle() > 0);
}

bool WorkerPool::QueryReady(bool wake) const {
  if (config_.reproducible) return ordered_.HasQuery();
  return core_.CanStartQuery(wake);
}

bool WorkerPool::HasWork(bool wake) const {
  return StepReady() || QueryReady(wake);
}

void WorkerPool::CompleteInOrder(uint64_t seq, OrderedCalls::Completed done) {
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

void WorkerPool::OnPoll(absl::Time now) {
  Wake wake = Wake::kNone;
  if (core_.done()) {
    wake = ToWake();  // Every sleeper, to exit.
  } else if (now - last_call_end_ >= kStallWake) {
    runner_ = -1;  // Stuck in a call: another worker takes over.
    wake = ToWake();
  }
  Notify(wake);
}

}  // namespace thor
