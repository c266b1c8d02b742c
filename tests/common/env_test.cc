// Env: the POSIX default (temp dirs honour $TMPDIR, files, processes) and
// the fake's simulated clock and scripted processes.
#include "common/env.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "tests/testing/fake_env.h"
#include "tests/testing/paths.h"

namespace thor {
namespace {

bool IsDir(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// Restores $TMPDIR when a test that changed it ends.
class ScopedTmpdir {
 public:
  explicit ScopedTmpdir(const char* value) {
    if (const char* old = std::getenv("TMPDIR")) old_ = old, had_ = true;
    if (value != nullptr) ::setenv("TMPDIR", value, 1); else ::unsetenv("TMPDIR");
  }
  ~ScopedTmpdir() {
    if (had_) ::setenv("TMPDIR", old_.c_str(), 1); else ::unsetenv("TMPDIR");
  }

 private:
  std::string old_;
  bool had_ = false;
};

TEST(PosixEnv, TempDirsGoUnderTmpdir) {
  const std::string root = testing::MakeTempDir();
  ASSERT_FALSE(root.empty());
  ScopedTmpdir tmpdir(root.c_str());
  EXPECT_EQ(TempDirRoot(), root);
  absl::StatusOr<std::string> dir = Env::Default()->MakeTempDir("thor-env-test");
  ASSERT_TRUE(dir.ok()) << dir.status();
  EXPECT_TRUE(absl::StartsWith(*dir, root + "/thor-env-test-")) << *dir;
  EXPECT_TRUE(IsDir(*dir));
  std::filesystem::remove_all(root);
}

TEST(PosixEnv, TempDirRootFallsBackToSlashTmp) {
  {
    ScopedTmpdir unset(nullptr);
    EXPECT_EQ(TempDirRoot(), "/tmp");
  }
  ScopedTmpdir relative("relative/dir");  // Not absolute: ignored.
  EXPECT_EQ(TempDirRoot(), "/tmp");
}

TEST(PosixEnv, FilesRoundTripAndMissingIsNotFound) {
  const std::string dir = testing::MakeTempDir();
  ASSERT_FALSE(dir.empty());
  Env* env = Env::Default();
  ASSERT_TRUE(env->WriteFile(dir + "/a.txt", "one\ntwo\n").ok());
  absl::StatusOr<std::string> text = env->ReadFile(dir + "/a.txt");
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(*text, "one\ntwo\n");
  EXPECT_EQ(env->ReadFile(dir + "/missing").status().code(), absl::StatusCode::kNotFound);
  std::filesystem::remove_all(dir);
}

TEST(PosixEnv, RunsARealChild) {
  SubprocessOptions options;
  options.argv = {"/bin/sh", "-c", "cat; echo done"};
  absl::StatusOr<RunResult> r = Env::Default()->Run(options, "in\n", absl::Seconds(10), nullptr);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->exit_code, 0);
  EXPECT_EQ(r->out, "in\ndone\n");
}

TEST(FakeEnv, ClockMovesOnlyWhenTold) {
  testing::FakeEnv env;
  const absl::Time t0 = env.Now();
  EXPECT_EQ(env.Now(), t0);
  env.SleepFor(absl::Hours(3));  // Returns at once.
  EXPECT_EQ(env.Now() - t0, absl::Hours(3));
  env.Advance(absl::Seconds(5));
  EXPECT_EQ(env.Now() - t0, absl::Hours(3) + absl::Seconds(5));
}

TEST(FakeEnv, ScriptedProcessesFinishOrTimeOutInSimulatedTime) {
  testing::FakeEnv env;
  const absl::Time t0 = env.Now();
  RunResult proof;
  proof.exit_code = 0;
  proof.out = "% SZS status Theorem\n";
  env.Script({"eprover", absl::Seconds(2), proof});
  env.Script({"eprover", absl::Minutes(10), proof});
  SubprocessOptions options;
  options.argv = {"eprover", "--auto"};

  absl::StatusOr<RunResult> fast = env.Run(options, "", absl::Seconds(30), nullptr);
  ASSERT_TRUE(fast.ok()) << fast.status();
  EXPECT_FALSE(fast->timed_out);
  EXPECT_EQ(fast->out, proof.out);
  EXPECT_EQ(env.Now() - t0, absl::Seconds(2));

  absl::StatusOr<RunResult> slow = env.Run(options, "", absl::Seconds(30), nullptr);
  ASSERT_TRUE(slow.ok()) << slow.status();
  EXPECT_TRUE(slow->timed_out);
  EXPECT_TRUE(slow->out.empty());
  EXPECT_EQ(env.Now() - t0, absl::Seconds(32));  // Half an hour saved.

  // No script left: an unexpected call fails instead of running anything.
  EXPECT_EQ(env.Run(options, "", absl::Seconds(1), nullptr).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(env.runs().size(), 3u);
}

TEST(FakeEnv, CancelledRunReportsCancelled) {
  testing::FakeEnv env;
  env.Script({"cvc5", absl::Seconds(1), RunResult()});
  std::atomic<bool> cancel{true};
  SubprocessOptions options;
  options.argv = {"cvc5"};
  absl::StatusOr<RunResult> r = env.Run(options, "", absl::Seconds(5), &cancel);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->cancelled);
}

TEST(FakeEnv, FilesAndTempDirsStayInMemory) {
  testing::FakeEnv env;
  absl::StatusOr<std::string> a = env.MakeTempDir("x");
  absl::StatusOr<std::string> b = env.MakeTempDir("x");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_FALSE(IsDir(*a));
  ASSERT_TRUE(env.WriteFile(*a + "/f", "text").ok());
  EXPECT_EQ(*env.ReadFile(*a + "/f"), "text");
  EXPECT_EQ(env.ReadFile(*b + "/f").status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace thor
