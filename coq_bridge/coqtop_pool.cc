#include "coq_bridge/coqtop_pool.h"

#include <algorithm>
#include <cstdint>

#include "absl/time/clock.h"
#include "coq_bridge/coq_text.h"

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

ContextFit FitOf(const Coqtop& coq, absl::string_view head, absl::string_view whole) {
  if (!whole.empty() && coq.whole_state() != 0 && coq.whole_text() == whole) {
    return ContextFit::kWhole;
  }
  if (!head.empty() && coq.parked_state() != 0 && ExtendsAtSentenceEnd(head, coq.parked_text())) {
    return ContextFit::kHead;
  }
  return ContextFit::kNone;
}

std::unique_ptr<Coqtop> CoqtopPool::TakeIdle(absl::string_view head, absl::string_view whole,
                                             ContextFit* fit) {
  // Having loaded `whole` last; then parked at a text `head` extends, the
  // longest; then one at its base state; one kept state that fits in no way
  // last (it must be backed). The newest of equals, as before parking.
  int best = -1;
  int64_t best_score = -2;
  for (size_t i = 0; i < idle_.size(); ++i) {
    const Coqtop& c = *idle_[i];
    const ContextFit f = FitOf(c, head, whole);
    int64_t score = c.parked_state() == 0 && c.whole_state() == 0 ? 0 : -1;
    if (f == ContextFit::kWhole) score = int64_t{1} << 40;
    if (f == ContextFit::kHead) score = static_cast<int64_t>(c.parked_text().size()) + 1;
    if (score >= best_score) {
      best_score = score;
      best = static_cast<int>(i);
      *fit = f;
    }
  }
  if (best < 0) return nullptr;
  std::unique_ptr<Coqtop> coq = std::move(idle_[best]);
  idle_.erase(idle_.begin() + best);
  return coq;
}

std::unique_ptr<Coqtop> CoqtopPool::Ready(std::unique_ptr<Coqtop> coq, ContextFit fit) {
  if (!coq->Alive()) return nullptr;  // A dead one is dropped here.
  if (fit != ContextFit::kNone) {
    absl::MutexLock lock(&mu_);
    ++parked_reuses_;
    if (fit == ContextFit::kWhole) ++whole_reuses_;
    return coq;
  }
  if (coq->parked_state() != 0 || coq->whole_state() != 0) {
    coq->Park("", 0);
    if (!coq->BackTo(coq->base_state(), absl::Now() + absl::Seconds(10)).ok()) {
      return nullptr;  // Dropped (killed).
    }
  }
  return coq;
}

absl::StatusOr<std::unique_ptr<Coqtop>> CoqtopPool::Acquire(absl::Time deadline,
                                                            const std::atomic<bool>* cancel,
                                                            absl::string_view head,
                                                            absl::string_view whole) {
  auto cancelled = [cancel]() { return cancel != nullptr && cancel->load(); };
  while (true) {
    std::unique_ptr<Coqtop> coq;
    ContextFit fit = ContextFit::kNone;
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
      coq = TakeIdle(head, whole, &fit);
    }
    coq = Ready(std::move(coq), fit);
    if (coq != nullptr) return coq;
  }
  {
    absl::MutexLock lock(&mu_);
    ++started_;
  }
  return Coqtop::Start(options_, deadline, cancel);
}

std::unique_ptr<Coqtop> CoqtopPool::TryAcquire(absl::string_view head,
                                               absl::string_view whole) {
  while (true) {
    std::unique_ptr<Coqtop> coq;
    ContextFit fit = ContextFit::kNone;
    {
      absl::MutexLock lock(&mu_);
      used_ = true;
      if (idle_.empty()) return nullptr;
      coq = TakeIdle(head, whole, &fit);
    }
    coq = Ready(std::move(coq), fit);
    if (coq != nullptr) return coq;
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
  // The whole preamble's state, else the parked one, if at or below the
  // current state; anything else is undone to the base state.
  if (coq->whole_state() != 0 && coq->state() < coq->whole_state()) coq->ParkWhole("", 0);
  if (coq->parked_state() != 0 && coq->state() < coq->parked_state()) coq->Park("", 0);
  const int keep = coq->whole_state() != 0    ? coq->whole_state()
                   : coq->parked_state() != 0 ? coq->parked_state()
                                              : coq->base_state();
  if (!coq->BackTo(keep, absl::Now() + absl::Seconds(10)).ok()) return;  // Dropped (killed).
  std::unique_ptr<Coqtop> evicted;  // Killed outside the lock.
  absl::MutexLock lock(&mu_);
  const int room = std::max(max_idle_, warm_);
  if (room <= 0) return;
  if (static_cast<int>(idle_.size()) >= room) {
    // The process coming back is kept: its parked context is the newest.
    evicted = std::move(idle_.front());
    idle_.erase(idle_.begin());
  }
  idle_.push_back(std::move(coq));
}

int CoqtopPool::idle() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(idle_.size());
}

int CoqtopPool::parked_reuses() const {
  absl::MutexLock lock(&mu_);
  return parked_reuses_;
}

int CoqtopPool::whole_reuses() const {
  absl::MutexLock lock(&mu_);
  return whole_reuses_;
}

int CoqtopPool::started() const {
  absl::MutexLock lock(&mu_);
  return started_;
}

}  // namespace thor::coq
