#include "common/cancel_watcher.h"

#include <utility>

namespace thor {

CancelWatcher::CancelWatcher(std::function<bool()> cancelled, std::function<void()> on_cancel,
                             absl::Duration poll)
    : thread_([this, cancelled = std::move(cancelled), on_cancel = std::move(on_cancel), poll] {
        absl::MutexLock lock(&mu_);
        while (!stop_) {
          if (cancelled()) {
            on_cancel();
            return;
          }
          mu_.AwaitWithTimeout(absl::Condition(&stop_), poll);
        }
      }) {}

CancelWatcher::CancelWatcher(const std::atomic<bool>* cancel, std::function<void()> on_cancel,
                             absl::Duration poll)
    : CancelWatcher([cancel] { return cancel != nullptr && cancel->load(); },
                    std::move(on_cancel), poll) {}

CancelWatcher::~CancelWatcher() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  thread_.join();
}

}  // namespace thor
