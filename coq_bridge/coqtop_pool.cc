#include "coq_bridge/coqtop_pool.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace thor::coq {

CoqtopPool::CoqtopPool(CoqtopOptions options, int max_idle)
    : options_(std::move(options)), max_idle_(max_idle) {}

CoqtopPool::~CoqtopPool() = default;

absl::StatusOr<std::unique_ptr<Coqtop>> CoqtopPool::Acquire(absl::Time deadline) {
  while (true) {
    std::unique_ptr<Coqtop> coq;
    {
      absl::MutexLock lock(&mu_);
      if (idle_.empty()) break;
      coq = std::move(idle_.back());
      idle_.pop_back();
    }
    if (coq->Alive()) return coq;  // A dead one is dropped here.
  }
  {
    absl::MutexLock lock(&mu_);
    ++started_;
  }
  return Coqtop::Start(options_, deadline);
}

void CoqtopPool::Release(std::unique_ptr<Coqtop> coq) {
  if (coq == nullptr || !coq->Alive()) return;
  coq->KillStrayChildren();
  if (coq->state() != coq->base_state()) {
    absl::StatusOr<CoqReply> r =
        coq->Run(absl::StrCat("BackTo ", coq->base_state(), "."), absl::Now() + absl::Seconds(10));
    if (!r.ok() || coq->state() != coq->base_state()) return;  // Dropped (killed).
  }
  absl::MutexLock lock(&mu_);
  if (static_cast<int>(idle_.size()) < max_idle_) idle_.push_back(std::move(coq));
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
