// CancelWatcher: calls its action once when the flag is set, never when it
// is not, and its destructor does not wait for a poll period.
#include "common/cancel_watcher.h"

#include <atomic>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace thor {
namespace {

TEST(CancelWatcher, CallsTheActionOnceSoonAfterTheFlagIsSet) {
  std::atomic<bool> cancel{false};
  std::atomic<int> calls{0};
  absl::Notification called;
  {
    CancelWatcher watcher(&cancel, [&] {
      ++calls;
      called.Notify();
    });
    cancel = true;
    EXPECT_TRUE(called.WaitForNotificationWithTimeout(absl::Seconds(10)));
  }
  EXPECT_EQ(calls.load(), 1);
}

TEST(CancelWatcher, NeverCallsTheActionWhenTheFlagStaysClear) {
  std::atomic<bool> cancel{false};
  std::atomic<int> calls{0};
  {
    CancelWatcher watcher(&cancel, [&] { ++calls; }, absl::Milliseconds(1));
    absl::SleepFor(absl::Milliseconds(30));  // Many polls.
  }
  cancel = true;  // After the watcher is gone: no effect.
  EXPECT_EQ(calls.load(), 0);
}

TEST(CancelWatcher, NullFlagNeverCancelsAndPredicateFormWorks) {
  std::atomic<int> calls{0};
  { CancelWatcher watcher(static_cast<const std::atomic<bool>*>(nullptr), [&] { ++calls; }); }
  EXPECT_EQ(calls.load(), 0);
  absl::Notification called;
  CancelWatcher watcher([] { return true; }, [&] { called.Notify(); });
  EXPECT_TRUE(called.WaitForNotificationWithTimeout(absl::Seconds(10)));
}

TEST(CancelWatcher, DestructorDoesNotWaitForThePollPeriod) {
  std::atomic<bool> cancel{false};
  const absl::Time start = absl::Now();
  { CancelWatcher watcher(&cancel, [] {}, absl::Hours(1)); }
  EXPECT_LT(absl::Now() - start, absl::Seconds(30));  // Not an hour.
}

}  // namespace
}  // namespace thor
