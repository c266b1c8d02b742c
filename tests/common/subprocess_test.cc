#include "common/subprocess.h"

#include <signal.h>

#include <gtest/gtest.h>

#include "absl/time/clock.h"
#include "tests/testing/processes.h"

namespace thor {
namespace {

TEST(RunSubprocessTest, CollectsOutputAndExitCode) {
  SubprocessOptions opts;
  opts.argv = {"sh", "-c", "cat; echo err >&2; exit 3"};
  auto r = RunSubprocess(opts, "hello\n", absl::Seconds(10));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_EQ(r->out, "hello\n");
  EXPECT_EQ(r->err, "err\n");
  EXPECT_FALSE(r->timed_out);
}

TEST(RunSubprocessTest, WatchdogKillsTheWholeGroup) {
  // The shell forks a grandchild that ignores the parent's death; the
  // watchdog must kill both.
  SubprocessOptions opts;
  opts.argv = {"sh", "-c", "sleep 60 & sleep 60; wait"};
  absl::Time start = absl::Now();
  auto r = RunSubprocess(opts, "", absl::Milliseconds(300));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->timed_out);
  EXPECT_EQ(r->term_signal, SIGKILL);
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  EXPECT_EQ(testing::LeftoverChildren(), "");
  EXPECT_EQ(LiveChildren(), 0);
}

TEST(RunSubprocessTest, KillsForkedChildrenAfterNormalExit) {
  // Like E's --auto-schedule: the main process exits, a forked child stays.
  SubprocessOptions opts;
  opts.argv = {"sh", "-c", "(sleep 60 >/dev/null 2>&1 &) ; echo done"};
  auto r = RunSubprocess(opts, "", absl::Seconds(10));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->out, "done\n");
  EXPECT_EQ(testing::LeftoverChildren(), "");
}

TEST(RunSubprocessTest, CancelStopsPromptly) {
  std::atomic<bool> cancel{true};
  SubprocessOptions opts;
  opts.argv = {"sleep", "60"};
  absl::Time start = absl::Now();
  auto r = RunSubprocess(opts, "", absl::Seconds(30), &cancel);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->cancelled);
  EXPECT_LT(absl::Now() - start, absl::Seconds(3));
}

TEST(RunSubprocessTest, MissingProgramIsNotFound) {
  SubprocessOptions opts;
  opts.argv = {"thor-no-such-program"};
  auto r = RunSubprocess(opts, "", absl::Seconds(1));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("thor-no-such-program"), std::string::npos);
}

TEST(RunSubprocessTest, MemoryLimitApplies) {
  SubprocessOptions opts;
  // python3 allocating 512 MiB under a 256 MiB address-space limit fails.
  opts.argv = {"python3", "-c", "x = bytearray(512 * 1024 * 1024)"};
  opts.memory_limit_bytes = 256ull << 20;
  auto r = RunSubprocess(opts, "", absl::Seconds(20));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_NE(r->exit_code, 0);
}

TEST(SubprocessTest, InteractiveReadUntil) {
  SubprocessOptions opts;
  opts.argv = {"cat"};
  auto p = Subprocess::Start(opts);
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_TRUE((*p)->Write("ping\n").ok());
  absl::Status s = (*p)->ReadUntil(
      [](const std::string& out, const std::string&) { return out.find('\n') != std::string::npos; },
      absl::Now() + absl::Seconds(5));
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ((*p)->ConsumeOut(), "ping\n");
  // Nothing more arrives: the read times out.
  s = (*p)->ReadUntil([](const std::string& out, const std::string&) { return !out.empty(); },
                      absl::Now() + absl::Milliseconds(100));
  EXPECT_TRUE(absl::IsDeadlineExceeded(s)) << s;
  (*p)->CloseStdin();
  EXPECT_TRUE((*p)->Wait(absl::Now() + absl::Seconds(5)));
  EXPECT_EQ((*p)->exit_code(), 0);
}

TEST(SubprocessTest, DestructorKillsGroup) {
  {
    SubprocessOptions opts;
    opts.argv = {"sh", "-c", "sleep 60 & sleep 60"};
    auto p = Subprocess::Start(opts);
    ASSERT_TRUE(p.ok());
    EXPECT_TRUE((*p)->Running());
  }
  EXPECT_EQ(testing::LeftoverChildren(), "");
}

}  // namespace
}  // namespace thor
