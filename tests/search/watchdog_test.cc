// The Watchdog on a simulated clock (tests/testing/fake_env.h): deadlines,
// cancellation, progress events and interrupts of running calls, with no
// real waiting but the last test's few polls.
#include "search/watchdog.h"

#include <atomic>
#include <memory>
#include <vector>

#include "absl/strings/match.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "search/search_core.h"
#include "search/session_slots.h"
#include "tests/search/core_fakes.h"
#include "tests/search/search_test_util.h"
#include "tests/testing/fake_env.h"

namespace thor::testing {
namespace {

class WatchdogTest : public ::testing::Test {
 protected:
  WatchdogTest()
      : core_(backend_, policy_, theorem_, SearchConfig(), &observer_, /*seed=*/3, &env_),
        watchdog_(&env_, &cancel_, absl::Seconds(10), absl::Seconds(1)) {
    const absl::Time start = env_.Now();
    core_.SetStart(start);
    watchdog_.Start(start);
    ProofState root;
    root.text = "root";
    core_.Start(root);
    // Two live sessions, the first in a call.
    slots_.Resize(2);
    auto s0 = std::make_unique<CountingSession>();
    auto s1 = std::make_unique<CountingSession>();
    busy_ = s0.get();
    slots_.InstallFirst(std::move(s0));
    slots_.Started(0);
    slots_.BeginStart(1, std::move(s1));
    slots_.Started(1);
    slots_.Acquire(0);
  }

  std::vector<ProverSession*> Poll() { return watchdog_.Poll(env_.Now(), core_, slots_); }
  SearchResult Result() {
    std::vector<std::string> steps;
    return core_.BuildResult(&steps);
  }
  size_t ProgressEvents() {
    absl::MutexLock l(&observer_.mu_);
    return observer_.progress.size();
  }

  FakeEnv env_;
  FakeBackend backend_;
  FakePolicy policy_;
  Theorem theorem_;
  RecordingObserver observer_;
  std::atomic<bool> cancel_{false};
  SearchCore core_;
  SessionSlots slots_;
  Watchdog watchdog_;
  CountingSession* busy_ = nullptr;
};

TEST_F(WatchdogTest, EndsTheSearchAtTheWallDeadlineOfItsClock) {
  EXPECT_EQ(watchdog_.deadline(), env_.Now() + absl::Seconds(10));
  env_.Advance(absl::Seconds(10) - absl::Milliseconds(1));
  EXPECT_TRUE(Poll().empty());
  EXPECT_FALSE(core_.done());
  env_.Advance(absl::Milliseconds(1));
  Poll();
  ASSERT_TRUE(core_.done());
  SearchResult r = Result();
  EXPECT_EQ(r.status, SearchStatus::kTimeBudget);
  EXPECT_TRUE(absl::StrContains(r.message, "wall-time budget of 10s")) << r.message;
}

TEST_F(WatchdogTest, CancelEndsTheSearchAndWinsOverTheDeadline) {
  Poll();
  EXPECT_FALSE(core_.done());
  cancel_ = true;
  env_.Advance(absl::Seconds(11));
  Poll();
  ASSERT_TRUE(core_.done());
  EXPECT_EQ(Result().status, SearchStatus::kCancelled);
}

TEST_F(WatchdogTest, ASearchEndedElsewhereKeepsItsStatus) {
  core_.Finish(SearchStatus::kExhausted, "nothing left");
  cancel_ = true;
  env_.Advance(absl::Seconds(11));
  Poll();
  EXPECT_EQ(Result().status, SearchStatus::kExhausted);
}

TEST_F(WatchdogTest, EmitsProgressEveryIntervalWhileTheSearchRuns) {
  Poll();
  EXPECT_EQ(ProgressEvents(), 0u);
  env_.Advance(absl::Seconds(1));
  Poll();
  Poll();  // Not due again at the same time.
  EXPECT_EQ(ProgressEvents(), 1u);
  env_.Advance(absl::Milliseconds(999));
  Poll();
  EXPECT_EQ(ProgressEvents(), 1u);
  env_.Advance(absl::Milliseconds(1));
  Poll();
  EXPECT_EQ(ProgressEvents(), 2u);
  core_.Finish(SearchStatus::kExhausted, "");
  env_.Advance(absl::Seconds(5));
  Poll();
  EXPECT_EQ(ProgressEvents(), 2u);  // None once done.
}

TEST_F(WatchdogTest, InterruptsRunningCallsOnceDoneAndAgainEveryHalfSecond) {
  EXPECT_TRUE(Poll().empty());  // Running: calls go on.
  core_.Finish(SearchStatus::kProvedUnchecked, "");
  std::vector<ProverSession*> first = Poll();
  ASSERT_EQ(first.size(), 1u);  // Only the session in a call.
  EXPECT_EQ(first[0], busy_);
  EXPECT_TRUE(Poll().empty());
  env_.Advance(Watchdog::kReinterrupt - absl::Milliseconds(1));
  EXPECT_TRUE(Poll().empty());
  env_.Advance(absl::Milliseconds(1));
  EXPECT_EQ(Poll().size(), 1u);  // It missed the first one: again.
  slots_.Release(0);
  env_.Advance(Watchdog::kReinterrupt);
  EXPECT_TRUE(Poll().empty());
}

TEST_F(WatchdogTest, RemainingTimeIsACallLimitOfAtLeastOneMillisecond) {
  EXPECT_EQ(watchdog_.Remaining(env_.Now()), absl::Seconds(10));
  EXPECT_EQ(watchdog_.Remaining(env_.Now() + absl::Seconds(4)), absl::Seconds(6));
  EXPECT_EQ(watchdog_.Remaining(env_.Now() + absl::Seconds(30)), absl::Milliseconds(1));
}

TEST_F(WatchdogTest, CoreTimesComeFromTheEnvClock) {
  env_.Advance(absl::Seconds(3));
  EXPECT_EQ(core_.Elapsed(), absl::Seconds(3));
  core_.Finish(SearchStatus::kExhausted, "");
  env_.Advance(absl::Seconds(2));
  SearchResult r = Result();
  core_.FinishResult(&r);
  EXPECT_DOUBLE_EQ(r.stats.wall_s, 3.0);  // When it finished, not now.
}

TEST(WatchdogLoopTest, PollsUntilStoppedAndInterruptsWhatEachPollNames) {
  absl::Notification stop;
  CountingSession session;
  int polls = 0;
  Watchdog::Loop(stop, [&]() -> std::vector<ProverSession*> {
    if (++polls == 3) stop.Notify();
    return {&session};
  });
  EXPECT_EQ(polls, 3);
  EXPECT_EQ(session.interrupts, 3);
}

}  // namespace
}  // namespace thor::testing
