// SessionSlots' bookkeeping: live, idle and starting sessions, retirement
// after repeated losses, and who gets interrupted.
#include "search/session_slots.h"

#include <memory>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "tests/search/core_fakes.h"

namespace thor {
namespace {

// A session that does nothing (it counts interrupts, which these tests
// do not need).
using NullSession = testing::CountingSession;

TEST(SessionSlotsTest, StartingLiveAndIdleCounts) {
  SessionSlots slots;
  slots.Resize(3);
  EXPECT_EQ(slots.starting(), 2);  // Slot 0 is started by the search itself.
  slots.InstallFirst(std::make_unique<NullSession>());
  slots.Started(0);
  EXPECT_EQ(slots.live(), 1);
  EXPECT_EQ(slots.idle(), 1);
  ASSERT_NE(slots.BeginStart(1, std::make_unique<NullSession>()), nullptr);
  slots.Started(1);
  slots.StartFailed(2);
  EXPECT_EQ(slots.starting(), 0);
  EXPECT_EQ(slots.live(), 2);
  EXPECT_EQ(slots.IdleSlot(2), 0);  // Not live: another one.
  slots.Acquire(0);
  EXPECT_EQ(slots.idle(), 1);
  EXPECT_EQ(slots.IdleSlot(0), 1);
  slots.Release(0);
  EXPECT_EQ(slots.idle(), 2);
}

// What the probe phase hands to the search proper: slot 0's session, only
// while it is live and idle.
TEST(SessionSlotsTest, TakesTheFirstSessionOnlyWhenLiveAndIdle) {
  SessionSlots empty;
  EXPECT_EQ(empty.TakeFirst(), nullptr);
  SessionSlots slots;
  slots.Resize(2);
  slots.InstallFirst(std::make_unique<NullSession>());
  EXPECT_EQ(slots.TakeFirst(), nullptr);  // Not started.
  slots.Started(0);
  ProverSession* const first = slots.session(0);
  slots.Acquire(0);
  EXPECT_EQ(slots.TakeFirst(), nullptr);  // In use.
  slots.Release(0);
  std::unique_ptr<ProverSession> taken = slots.TakeFirst();
  EXPECT_EQ(taken.get(), first);
  EXPECT_EQ(slots.live(), 0);
  EXPECT_EQ(slots.idle(), 0);
  EXPECT_EQ(slots.TakeFirst(), nullptr);  // Taken already.
  SessionSlots retired;
  retired.Resize(1);
  retired.InstallFirst(std::make_unique<NullSession>());
  retired.Started(0);
  for (int i = 0; i < SessionSlots::kMaxConsecutiveLost; ++i) {
    retired.NoteOutcome(0, StepKind::kProverLost);
  }
  EXPECT_EQ(retired.TakeFirst(), nullptr);
}

TEST(SessionSlotsTest, RetiresASessionLostThreeTimesInARow) {
  SessionSlots slots;
  slots.Resize(1);
  slots.InstallFirst(std::make_unique<NullSession>());
  slots.Started(0);
  EXPECT_TRUE(slots.NoteOutcome(0, StepKind::kProverLost));
  EXPECT_TRUE(slots.NoteOutcome(0, StepKind::kProverLost));
  EXPECT_FALSE(slots.NoteOutcome(0, StepKind::kStepError));  // Resets the run.
  EXPECT_TRUE(slots.NoteOutcome(0, StepKind::kProverLost));
  EXPECT_TRUE(slots.NoteOutcome(0, StepKind::kProverLost));
  EXPECT_EQ(slots.live(), 1);
  EXPECT_TRUE(slots.NoteOutcome(0, StepKind::kProverLost));
  EXPECT_EQ(slots.live(), 0);
  EXPECT_EQ(slots.idle(), 0);
  EXPECT_TRUE(absl::StrContains(slots.last_error(), "lost 3 times")) << slots.last_error();
}

// Slots 0 and 1 started and idle.
void TwoLiveSessions(SessionSlots& slots) {
  slots.Resize(2);
  slots.InstallFirst(std::make_unique<NullSession>());
  slots.Started(0);
  slots.BeginStart(1, std::make_unique<NullSession>());
  slots.Started(1);
}

TEST(SessionSlotsTest, InterruptsBusySessionsAtMostOncePerPeriod) {
  SessionSlots slots;
  TwoLiveSessions(slots);
  ProverSession* busy = slots.Acquire(1);
  const absl::Time t = absl::FromUnixSeconds(1000);
  const absl::Duration every = absl::Milliseconds(500);
  EXPECT_EQ(slots.ToInterrupt(t, every), std::vector<ProverSession*>{busy});
  EXPECT_TRUE(slots.ToInterrupt(t + absl::Milliseconds(100), every).empty());
  EXPECT_EQ(slots.ToInterrupt(t + every, every).size(), 1u);
}

TEST(SessionSlotsTest, LeavesACallWithinLetFinishOfItsOwnLimitToEndByItself) {
  SessionSlots slots;
  TwoLiveSessions(slots);
  const absl::Time t = absl::FromUnixSeconds(1000);
  const absl::Duration every = absl::Milliseconds(500);
  const absl::Duration near = SessionSlots::kLetFinish - absl::Milliseconds(10);
  ProverSession* s0 = slots.Acquire(0, t + near);                   // Ends by itself soon.
  ProverSession* s1 = slots.Acquire(1, t + SessionSlots::kLetFinish * 2);  // Not soon.
  EXPECT_EQ(slots.ToInterrupt(t, every), std::vector<ProverSession*>{s1});
  // Past its limit, but not by kLetFinish yet: still left alone.
  EXPECT_TRUE(slots.ToInterrupt(t + near * 2, every).empty());
  // Overrunning its limit by more: interrupted after all (s1 is not due again).
  EXPECT_EQ(slots.ToInterrupt(t + near + SessionSlots::kLetFinish, every),
            std::vector<ProverSession*>{s0});
  // A released slot's next call without a limit is interrupted at once.
  slots.Release(0);
  slots.Acquire(0);
  EXPECT_EQ(slots.ToInterrupt(t + every * 3, every).size(), 2u);
}

}  // namespace
}  // namespace thor
