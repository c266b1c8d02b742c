#include "server/admission.h"

#include "absl/strings/str_cat.h"

namespace thor {

absl::StatusOr<std::unique_ptr<Admission::Ticket>> Admission::Admit(
    const std::function<bool()>& cancelled) {
  absl::MutexLock lock(&mu_);
  auto unavailable = [] {
    return absl::UnavailableError("server is shutting down and admits no new requests");
  };
  if (stopped_) return unavailable();
  if (running_ < limits_.max_concurrent) {
    ++running_;
    return std::make_unique<Ticket>(this);
  }
  if (queued_ >= limits_.max_queued) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "server busy: ", running_, " requests running and ", queued_,
        " queued (limits ", limits_.max_concurrent, " and ", limits_.max_queued,
        "); retry after ", absl::FormatDuration(limits_.retry_after)));
  }
  ++queued_;
  auto slot_free = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return stopped_ || running_ < limits_.max_concurrent;
  };
  while (!mu_.AwaitWithTimeout(absl::Condition(&slot_free), absl::Milliseconds(50))) {
    if (cancelled()) {
      --queued_;
      return absl::CancelledError("cancelled while queued for a slot");
    }
  }
  --queued_;
  if (stopped_) return unavailable();
  ++running_;
  return std::make_unique<Ticket>(this);
}

void Admission::Release() {
  absl::MutexLock lock(&mu_);
  --running_;
}

void Admission::StopAdmitting() {
  absl::MutexLock lock(&mu_);
  stopped_ = true;
}

bool Admission::WaitIdle(absl::Time deadline) {
  absl::MutexLock lock(&mu_);
  auto idle = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) { return running_ == 0; };
  return mu_.AwaitWithDeadline(absl::Condition(&idle), deadline);
}

int Admission::running() const {
  absl::MutexLock lock(&mu_);
  return running_;
}

int Admission::queued() const {
  absl::MutexLock lock(&mu_);
  return queued_;
}

}  // namespace thor
