// CancelWatcher: calls its action once when the flag is set, never when it
// is not, and its destructor does not wait for a poll period.
#include "common/cancel_watcher.h"

#include <dirent.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

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

int ThreadsOfThisProcess() {
  int n = 0;
  DIR* dir = ::opendir("/proc/self/task");
  if (dir == nullptr) return -1;
  while (dirent* e = ::readdir(dir)) n += e->d_name[0] != '.';
  ::closedir(dir);
  return n;
}

// A watcher per RPC and per step: they must not cost a thread each.
TEST(CancelWatcher, WatchersShareOneThread) {
  { CancelWatcher first(static_cast<const std::atomic<bool>*>(nullptr), [] {}); }
  const int before = ThreadsOfThisProcess();
  std::vector<std::atomic<bool>> flags(200);
  std::atomic<int> calls{0};
  std::vector<std::unique_ptr<CancelWatcher>> watchers;
  for (auto& flag : flags) {
    watchers.push_back(std::make_unique<CancelWatcher>(&flag, [&] { ++calls; }));
  }
  EXPECT_EQ(ThreadsOfThisProcess(), before);
  flags[17] = true;
  flags[123] = true;
  const absl::Time until = absl::Now() + absl::Seconds(10);
  while (calls.load() < 2 && absl::Now() < until) absl::SleepFor(absl::Milliseconds(5));
  EXPECT_EQ(calls.load(), 2);
  watchers.clear();
  EXPECT_EQ(calls.load(), 2);
}

// The destructor waits for an action that is running: afterwards nothing
// the action touches may be used by it.
TEST(CancelWatcher, DestructorWaitsForARunningAction) {
  std::atomic<bool> cancel{true};
  absl::Notification started;
  std::atomic<bool> finished{false};
  {
    CancelWatcher watcher(&cancel, [&] {
      started.Notify();
      absl::SleepFor(absl::Milliseconds(200));
      finished = true;
    });
    ASSERT_TRUE(started.WaitForNotificationWithTimeout(absl::Seconds(10)));
  }
  EXPECT_TRUE(finished.load());
}

}  // namespace
}  // namespace thor
