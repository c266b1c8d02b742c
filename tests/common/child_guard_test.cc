// Children die with a parent killed by -9: the child itself (PDEATHSIG, set
// from the long-lived spawner thread) and what it forked (the child guard
// kills its process group). The control run without the guard shows the
// grandchildren it saves.
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <string>

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "common/subprocess.h"
#include "tests/testing/paths.h"
#include "tests/testing/processes.h"

#ifndef GUARDED_CHILD_DEFAULT
#define GUARDED_CHILD_DEFAULT ""
#endif

namespace thor::testing {
namespace {

int CountNamed(pid_t root, const std::string& comm) {
  int n = 0;
  for (const ProcessInfo& p : Descendants(root)) n += p.comm == comm;
  return n;
}

// Reaps the orphans this subreaper adopted (zombies otherwise).
void ReapAdopted() {
  while (::waitpid(-1, nullptr, WNOHANG) > 0) {
  }
}

class ChildGuardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Orphans are adopted by this process, so they are counted among its
    // descendants and nothing else on the machine is looked at.
    ASSERT_EQ(::prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    helper_ = TestBinary("GUARDED_CHILD", "tests/common/guarded_child", GUARDED_CHILD_DEFAULT);
    ASSERT_FALSE(helper_.empty()) << "set GUARDED_CHILD to the guarded_child binary";
  }

  // Starts the helper running `sh` with two grandchildren (sleeps), checks
  // that the sh outlived the thread that started it, then kills the helper
  // with -9. Returns the sh's pid.
  pid_t StartThenKillNine(bool guard) {
    SubprocessOptions o;
    o.argv = {helper_};
    if (!guard) o.argv.push_back("--no_guard");
    for (const char* a : {"/bin/sh", "-c", "sleep 300 & sleep 300 & wait"}) o.argv.push_back(a);
    auto helper = Subprocess::Start(o);
    EXPECT_TRUE(helper.ok()) << helper.status();
    if (!helper.ok()) return -1;
    EXPECT_TRUE((*helper)
                    ->ReadUntil([](const std::string& out,
                                   const std::string&) { return absl::StrContains(out, "\n"); },
                                absl::Now() + absl::Seconds(10))
                    .ok())
        << (*helper)->err();
    int sh = 0;
    std::string line = (*helper)->out();
    EXPECT_TRUE(absl::StartsWith(line, "ready ") &&
                absl::SimpleAtoi(line.substr(6, line.find('\n') - 6), &sh))
        << line;
    absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (CountNamed((*helper)->pid(), "sleep") < 2 && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(20));
    }
    EXPECT_EQ(CountNamed((*helper)->pid(), "sleep"), 2);
    EXPECT_EQ(::kill(sh, 0), 0) << "the child died with the thread that started it";
    ::kill((*helper)->pid(), SIGKILL);
    (*helper)->Wait(absl::Now() + absl::Seconds(5));
    EXPECT_EQ((*helper)->term_signal(), SIGKILL);
    return sh;
  }

  std::string helper_;
};

TEST_F(ChildGuardTest, ChildAndGrandchildrenDieWithAParentKilledByNine) {
  StartThenKillNine(/*guard=*/true);
  EXPECT_EQ(LeftoverChildren(5000), "") << "processes outlived their parent";
  ReapAdopted();
}

TEST_F(ChildGuardTest, WithoutTheGuardOnlyTheChildDies) {
  pid_t sh = StartThenKillNine(/*guard=*/false);
  // PDEATHSIG ended the sh; its sleeps were orphaned (adopted here).
  absl::Time deadline = absl::Now() + absl::Seconds(5);
  while (::kill(sh, 0) == 0 && absl::Now() < deadline) {
    ReapAdopted();
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_NE(::kill(sh, 0), 0) << "PDEATHSIG did not end the child";
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(CountNamed(::getpid(), "sleep"), 2) << "the control run lost its orphans";
  for (const ProcessInfo& p : Descendants(::getpid())) ::kill(p.pid, SIGKILL);
  absl::SleepFor(absl::Milliseconds(100));
  ReapAdopted();
  EXPECT_EQ(LeftoverChildren(2000), "");
}

}  // namespace
}  // namespace thor::testing
