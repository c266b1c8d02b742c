#include "search/inline_executor.h"

#include <thread>

namespace thor {

void InlineExecutor::RunCalls() {
  std::thread watchdog([this] { WatchdogThread(); });
  {
    SearchLock lock(&mu_);
    int slot = 0;  // Sequential: the one session, while it lives.
    while (true) {
      MaybeFinishIdle();
      if (core_.done()) break;
      const bool session_free = slots_.idle() > 0;
      if (!core_.CanStartStep(session_free) && !core_.CanStartQuery()) {
        // Nothing to make and not idle cannot happen with one call at a
        // time; should it, the watchdog still ends the search.
        mu_.Wait(work_cv_);
        continue;
      }
      const SearchCall call = core_.Next(session_free);
      if (call.kind == kQueryCall) {
        QueryDone d;
        const PendingQuery p = PrepareQuery(call.node, &d);
        MakeQuery(p, Wake::kNone, &d);
        core_.Complete(d);
      } else {
        slot = slots_.IdleSlot(slot);
        StepDone d;
        const PendingStep p = PrepareStep(slot, call.job, &d);
        MakeStep(p, Wake::kNone, &d);
        CompleteStep(d);
      }
    }
  }
  calls_done_.Notify();
  watchdog.join();
}

void InlineExecutor::OnPoll(absl::Time /*now*/) {
  if (core_.done()) Notify(Wake::kAll);
}

void InlineExecutor::WatchdogThread() { Watch(); }

}  // namespace thor
