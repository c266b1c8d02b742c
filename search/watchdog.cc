#include "search/watchdog.h"

#include "absl/strings/str_cat.h"

namespace thor {

Watchdog::Watchdog(Env* env, const std::atomic<bool>* cancel,
                   absl::Duration wall_time, absl::Duration progress_interval)
    : env_(env),
      cancel_(cancel),
      wall_time_(wall_time),
      progress_interval_(progress_interval) {}

void Watchdog::Start(absl::Time start) {
  start_ = start;
  deadline_ = start + wall_time_;
  next_progress_ = start + progress_interval_;
}

std::vector<ProverSession*> Watchdog::Poll(absl::Time now, SearchCore& core,
                                           SessionSlots& slots) {
  if (!core.done() && cancel_ != nullptr && cancel_->load()) {
    core.Finish(SearchStatus::kCancelled, "the search was cancelled");
  }
  if (!core.done() && now >= deadline_) {
    core.Finish(SearchStatus::kTimeBudget,
                absl::StrCat("wall-time budget of ", absl::FormatDuration(wall_time_),
                             " used up without a proof"));
  }
  if (!core.done()) {
    if (now >= next_progress_) {
      core.EmitProgress();
      next_progress_ = now + progress_interval_;
    }
    return {};
  }
  return slots.ToInterrupt(now, kReinterrupt);
}

void Watchdog::Loop(const absl::Notification& stop,
                    absl::FunctionRef<std::vector<ProverSession*>()> poll) {
  while (!stop.WaitForNotificationWithTimeout(kPoll)) {
    for (ProverSession* session : poll()) session->Interrupt();
  }
}

}  // namespace thor
