#include "common/process_table.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <functional>
#include <string>

#include <gtest/gtest.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/subprocess.h"

namespace thor {
namespace {

// Polls `done` every 20 ms until it holds or `timeout` passes.
bool Eventually(const std::function<bool()>& done, absl::Duration timeout = absl::Seconds(5)) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!done()) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return true;
}

bool GoneOrZombie(pid_t pid) {
  std::optional<ProcessEntry> e = ReadProcess(pid);
  return !e.has_value() || e->zombie();
}

std::vector<ProcessEntry> LiveMembersOf(pid_t pgid) {
  std::vector<ProcessEntry> out;
  for (const ProcessEntry& e : ReadProcessTable()) {
    if (e.pgid == pgid && !e.zombie()) out.push_back(e);
  }
  return out;
}

TEST(ProcessTableTest, ParsesCommandNamesWithSpacesAndParentheses) {
  std::optional<ProcessEntry> e =
      ParseProcStat(42, "42 (a (b) c) S 7 40 40 0 -1 4194560 100 0 0 0");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->pid, 42);
  EXPECT_EQ(e->comm, "a (b) c");
  EXPECT_EQ(e->state, 'S');
  EXPECT_EQ(e->ppid, 7);
  EXPECT_EQ(e->pgid, 40);
  EXPECT_FALSE(e->zombie());
  EXPECT_TRUE(ParseProcStat(42, "42 (x) Z 1 1")->zombie());
  EXPECT_FALSE(ParseProcStat(42, "").has_value());
  EXPECT_FALSE(ParseProcStat(42, "42 (unterminated S 1 1").has_value());
  EXPECT_FALSE(ParseProcStat(42, "42 (x) S one two").has_value());
}

TEST(ProcessTableTest, ReadsThisProcessAndFindsItInTheTable) {
  std::optional<ProcessEntry> self = ReadProcess(::getpid());
  ASSERT_TRUE(self.has_value());
  EXPECT_EQ(self->ppid, ::getppid());
  EXPECT_EQ(self->pgid, ::getpgrp());
  std::vector<ProcessEntry> table = ReadProcessTable();
  EXPECT_TRUE(std::any_of(table.begin(), table.end(),
                          [](const ProcessEntry& e) { return e.pid == ::getpid(); }));
  EXPECT_FALSE(ReadProcess(-5).has_value());
}

TEST(ProcessTableTest, DescendantsFollowEveryGeneration) {
  std::vector<ProcessEntry> table = {
      {10, 1, 10, 'S', "root"}, {11, 10, 10, 'S', "child"}, {12, 11, 12, 'S', "grandchild"},
      {13, 12, 13, 'Z', "zombie"}, {20, 1, 20, 'S', "other"}};
  std::vector<ProcessEntry> d = DescendantsOf(10, table);
  std::vector<pid_t> pids;
  for (const ProcessEntry& e : d) pids.push_back(e.pid);
  std::sort(pids.begin(), pids.end());
  EXPECT_EQ(pids, (std::vector<pid_t>{11, 12, 13}));
  EXPECT_TRUE(DescendantsOf(20, table).empty());
}

TEST(ProcessTableTest, KillProcessTreeReachesChildrenThatLeftTheGroup) {
  // The grandchild calls setsid(): a kill of the shell's group misses it.
  SubprocessOptions opts;
  opts.argv = {"sh", "-c", "setsid sleep 100 & echo $!; exec sleep 100"};
  auto proc = Subprocess::Start(opts);
  ASSERT_TRUE(proc.ok()) << proc.status();
  ASSERT_TRUE((*proc)->ReadUntil(
                  [](const std::string& out, const std::string&) {
                    return out.find('\n') != std::string::npos;
                  },
                  absl::Now() + absl::Seconds(5))
                  .ok());
  int escaped = 0;
  ASSERT_TRUE(absl::SimpleAtoi(absl::StripAsciiWhitespace((*proc)->out()), &escaped))
      << (*proc)->out();
  ASSERT_GT(escaped, 1);
  ASSERT_TRUE(Eventually([&] {
    std::optional<ProcessEntry> e = ReadProcess(escaped);
    return e.has_value() && e->pgid == escaped;  // setsid has run.
  }));
  KillProcessTree((*proc)->pid());
  EXPECT_TRUE(Eventually([&] { return GoneOrZombie(escaped); }))
      << "the child in its own session survived";
  EXPECT_TRUE((*proc)->Wait(absl::Now() + absl::Seconds(5)));
  EXPECT_EQ((*proc)->term_signal(), SIGKILL);
}

TEST(ProcessTableTest, SignalGroupExceptLeaderSparesTheLeader) {
  // The shell (the group's leader) waits on stdin; its two children sleep.
  SubprocessOptions opts;
  opts.argv = {"sh", "-c", "sleep 100 & sleep 100 & read line; echo leader-alive"};
  auto proc = Subprocess::Start(opts);
  ASSERT_TRUE(proc.ok()) << proc.status();
  const pid_t leader = (*proc)->pid();
  ASSERT_TRUE(Eventually([&] { return LiveMembersOf(leader).size() == 3; }));
  EXPECT_EQ(SignalGroupExceptLeader(leader, SIGKILL), 2);
  EXPECT_TRUE(Eventually([&] { return LiveMembersOf(leader).size() == 1; }));
  EXPECT_TRUE((*proc)->Running());
  ASSERT_TRUE((*proc)->Write("go\n").ok());
  EXPECT_TRUE((*proc)
                  ->ReadUntil(
                      [](const std::string& out, const std::string&) {
                        return out.find("leader-alive") != std::string::npos;
                      },
                      absl::Now() + absl::Seconds(5))
                  .ok());
  EXPECT_EQ(SignalGroupExceptLeader(0, SIGKILL), 0);  // Never kill(0, ...).
}

}  // namespace
}  // namespace thor
