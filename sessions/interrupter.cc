#include "sessions/interrupter.h"

namespace thor {

Interrupter::Interrupter(absl::Duration poll) : poll_(poll) {
  thread_ = std::thread([this] { Loop(); });
}

Interrupter::~Interrupter() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  thread_.join();
}

Interrupter::Watch::Watch(Interrupter* owner, const std::atomic<bool>* cancel,
                          ProverSession* prover)
    : owner_(owner) {
  if (cancel == nullptr) return;
  absl::MutexLock lock(&owner_->mu_);
  id_ = owner_->next_id_++;
  owner_->entries_.emplace(id_, Entry{cancel, prover});
}

Interrupter::Watch::~Watch() {
  if (id_ == 0) return;
  // Interrupt() runs under the same lock: after this, it runs no more.
  absl::MutexLock lock(&owner_->mu_);
  owner_->entries_.erase(id_);
}

void Interrupter::Loop() {
  absl::MutexLock lock(&mu_);
  while (!stop_) {
    if (entries_.empty()) {
      auto wake = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stop_ || !entries_.empty();
      };
      mu_.Await(absl::Condition(&wake));
      continue;
    }
    for (auto& [id, e] : entries_) {
      if (!e.fired && e.cancel->load()) {
        e.fired = true;
        e.prover->Interrupt();
      }
    }
    mu_.AwaitWithTimeout(absl::Condition(&stop_), poll_);
  }
}

}  // namespace thor
