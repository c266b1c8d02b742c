// Admission control: at most `max_concurrent` requests run at once and at
// most `max_queued` wait for a slot; beyond that requests are refused with
// ResourceExhausted and a retry hint. On shutdown, admission stops and
// running requests are asked to cancel. Thread-safe.
#ifndef THOR_SERVER_ADMISSION_H_
#define THOR_SERVER_ADMISSION_H_

#include <atomic>
#include <functional>
#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/config.h"

namespace thor {

class Admission {
 public:
  explicit Admission(AdmissionLimits limits) : limits_(limits) {}

  // Holds one running slot; releases it when destroyed.
  class Ticket {
   public:
    explicit Ticket(Admission* owner) : owner_(owner) {}
    ~Ticket() { if (owner_ != nullptr) owner_->Release(); }
    Ticket(Ticket&& other) noexcept : owner_(std::exchange(other.owner_, nullptr)) {}
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    Ticket& operator=(Ticket&&) = delete;

   private:
    Admission* owner_;
  };

  // Waits for a running slot. ResourceExhausted (message says when to retry)
  // if the wait queue is full; Unavailable once StopAdmitting() was called;
  // Cancelled if `cancelled()` (polled while waiting) becomes true.
  absl::StatusOr<std::unique_ptr<Ticket>> Admit(const std::function<bool()>& cancelled);

  // Refuses every new and queued request from now on (Unavailable).
  void StopAdmitting();
  // Asks running requests to stop: ShouldCancel() turns true.
  void CancelAll() { cancel_all_.store(true); }
  bool ShouldCancel() const { return cancel_all_.load(); }
  // Waits until no request runs or `deadline` passes; true if none runs.
  bool WaitIdle(absl::Time deadline);

  int running() const;
  int queued() const;
  const AdmissionLimits& limits() const { return limits_; }

 private:
  void Release();

  const AdmissionLimits limits_;
  std::atomic<bool> cancel_all_{false};
  mutable absl::Mutex mu_;
  int running_ ABSL_GUARDED_BY(mu_) = 0;
  int queued_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace thor

#endif  // THOR_SERVER_ADMISSION_H_
