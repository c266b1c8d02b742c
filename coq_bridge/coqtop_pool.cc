#include "coq_bridge/coqtop_pool.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace thor::coq {
namespace {

// A background start may take CoqHammer's whole warm-up on a loaded machine.
constexpr absl::Duration kBackgroundStart = absl::Seconds(600);

}  // namespace

CoqtopPool::CoqtopPool(CoqtopOptions options, int max_idle, int spares)
    : options_(std::move(options)),
      max_idle_(std::max(max_idle, spares)),
      spares_(std::max(0, spares)) {
  // Also without spares: KeepWarm and StartInBackground may ask for starts.
  refill_ = std::thread([this] { RefillLoop(); });
}

CoqtopPool::~CoqtopPool() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (refill_.joinable()) refill_.join();
}

int CoqtopPool::Target() const {
  return std::max({warm_, used_ ? spares_ : 0, requested_ ? 1 : 0});
}

bool CoqtopPool::BackgroundStartComing() const {
  // A requested start is about to begin, unless the loop backs off after
  // failures. (Spares missing do not count: a session starts its own then,
  // in parallel with the spare's.)
  return refilling_ || (requested_ && refill_failures_ == 0);
}

void CoqtopPool::RefillLoop() {
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      auto needed = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stop_.load() || static_cast<int>(idle_.size()) < Target();
      };
      // Re-checked every second (stop_ is also set without a signal); after
      // failures, wait longer before trying again.
      const absl::Duration pause = absl::Seconds(std::min(60, 1 << std::min(refill_failures_, 6)));
      const absl::Time resume = absl::Now() + (refill_failures_ > 0 ? pause : absl::ZeroDuration());
      auto stopping = [this]() { return stop_.load(); };
      mu_.AwaitWithDeadline(absl::Condition(&stopping), resume);
      while (!needed()) mu_.AwaitWithTimeout(absl::Condition(&needed), absl::Seconds(1));
      if (stop_) return;
      refilling_ = true;
      requested_ = false;
      ++started_;
    }
    absl::StatusOr<std::unique_ptr<Coqtop>> coq =
        Coqtop::Start(options_, absl::Now() + kBackgroundStart, &stop_);
    absl::MutexLock lock(&mu_);
    refilling_ = false;
    if (coq.ok() && !stop_) {
      idle_.push_back(std::move(*coq));
      refill_failures_ = 0;
    } else {
      ++refill_failures_;
    }
  }
}

absl::StatusOr<std::unique_ptr<Coqtop>> CoqtopPool::Acquire(absl::Time deadline,
                                                            const std::atomic<bool>* cancel) {
  auto cancelled = [cancel]() { return cancel != nullptr && cancel->load(); };
  while (true) {
    std::unique_ptr<Coqtop> coq;
    {
      absl::MutexLock lock(&mu_);
      used_ = true;
      // A start in progress is faster to wait for than a new one (and does
      // not compete with it for the cores).
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return !idle_.empty() || !BackgroundStartComing();
      };
      // In slices, so that `cancel` is seen.
      while (!ready() && !cancelled() && absl::Now() < deadline) {
        mu_.AwaitWithDeadline(absl::Condition(&ready),
                              std::min(deadline, absl::Now() + absl::Milliseconds(100)));
      }
      if (cancelled()) return absl::CancelledError("cancelled while waiting for a coqtop");
      if (idle_.empty()) {
        // Never a second warm-up next to the one in progress.
        if (BackgroundStartComing()) {
          return absl::DeadlineExceededError("no coqtop ready yet (one is starting)");
        }
        break;
      }
      coq = std::move(idle_.back());
      idle_.pop_back();
    }
    if (coq->Alive()) return coq;  // A dead one is dropped here.
  }
  {
    absl::MutexLock lock(&mu_);
    ++started_;
  }
  return Coqtop::Start(options_, deadline, cancel);
}

std::unique_ptr<Coqtop> CoqtopPool::TryAcquire() {
  while (true) {
    std::unique_ptr<Coqtop> coq;
    {
      absl::MutexLock lock(&mu_);
      used_ = true;
      if (idle_.empty()) return nullptr;
      coq = std::move(idle_.back());
      idle_.pop_back();
    }
    if (coq->Alive()) return coq;  // A dead one is dropped here.
  }
}

void CoqtopPool::StartInBackground() {
  absl::MutexLock lock(&mu_);
  if (idle_.empty() && !refilling_) requested_ = true;
}

void CoqtopPool::KeepWarm(int processes) {
  absl::MutexLock lock(&mu_);
  warm_ = std::max(0, processes);
}

void CoqtopPool::Release(std::unique_ptr<Coqtop> coq) {
  if (coq == nullptr || !coq->Alive()) return;
  coq->KillStrayChildren();
  if (coq->state() != coq->base_state()) {
    absl::StatusOr<CoqReply> r =
        coq->RunUninterruptible(absl::StrCat("BackTo ", coq->base_state(), "."), absl::Now() + absl::Seconds(10));
    if (!r.ok() || coq->state() != coq->base_state()) return;  // Dropped (killed).
  }
  absl::MutexLock lock(&mu_);
  if (static_cast<int>(idle_.size()) < std::max(max_idle_, warm_)) idle_.push_back(std::move(coq));
}

int CoqtopPool::idle() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(idle_.size());
}

int CoqtopPool::started() const {
  absl::MutexLock lock(&mu_);
  return started_;
}

}  // namespace thor::coq
