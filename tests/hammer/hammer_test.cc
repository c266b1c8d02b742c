// The Hammer API end to end on real provers: portfolio, minimisation, cache,
// cancellation, bad input, and no process left behind after many timeouts.
#include "hammer/hammer.h"

#include <atomic>
#include <fstream>
#include <thread>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hammer/atp.h"
#include "hammer/schedule.h"
#include "tests/testing/paths.h"
#include "tests/testing/processes.h"

namespace thor::hammer {
namespace {

using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

const std::vector<std::string> kAtpNames = {"eprover", "cvc5", "cvc4", "SPASS", "z3", "vampire"};

std::string Data(const std::string& name) {
  return thor::testing::SourceDir() + "/tests/hammer/data/" + name;
}

HammerOptions Quick(double seconds) {
  HammerOptions o;
  o.timeout = absl::Seconds(seconds);
  return o;
}

// ATP processes descended from this test process.
std::string LeftoverAtps() {
  std::string out = thor::testing::LeftoverChildren(3000);
  return out;
}

long RssKb() {
  std::ifstream in("/proc/self/statm");
  long pages = 0, rss = 0;
  in >> pages >> rss;
  return rss * 4;
}

TEST(HammerTest, ProvesAndMinimisesToTheNeededPremises) {
  Hammer hammer(Quick(20));
  auto r = hammer.SolveFile(Data("p1_prov.p"));
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->status, AtpStatus::kProved) << r->message;
  EXPECT_EQ(r->szs_status, "Theorem");
  EXPECT_FALSE(r->slice.empty());
  EXPECT_THAT(r->used_premises, UnorderedElementsAre("a02_human_mortal", "a07_socrates_human"));
  EXPECT_LT(r->elapsed, absl::Seconds(10));
  EXPECT_EQ(LeftoverAtps(), "");
}

TEST(HammerTest, SecondCallIsServedFromTheCache) {
  Hammer hammer(Quick(20));
  auto first = hammer.SolveFile(Data("p2_eq.p"));
  ASSERT_TRUE(first.ok() && first->status == AtpStatus::kProved) << first.status();
  EXPECT_FALSE(first->from_cache);
  auto second = hammer.SolveFile(Data("p2_eq.p"));
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->from_cache);
  EXPECT_EQ(second->used_premises, first->used_premises);
}

TEST(HammerTest, IncludesQuotedNamesTypesAndCnf) {
  Hammer hammer(Quick(20));
  for (const char* file : {"p5_quoted.p", "p6_tff.p", "p7_cnf.p", "p8_include.p", "p9_numerals.p"}) {
    auto r = hammer.SolveFile(Data(file));
    ASSERT_TRUE(r.ok()) << file << ": " << r.status();
    EXPECT_EQ(r->status, AtpStatus::kProved) << file << ": " << r->message;
  }
  std::ifstream in(Data("p8_include.p"));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto r = hammer.SolveText(text, Data(""));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(r->used_premises, UnorderedElementsAre("a02_human_mortal", "a07_socrates_human"));
}

TEST(HammerTest, CounterSatisfiableWithAllPremisesIsDisprovedNeverProved) {
  Hammer hammer(Quick(5));
  auto r = hammer.SolveFile(Data("p3_csat.p"));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, AtpStatus::kDisproved) << r->message;
  EXPECT_EQ(r->szs_status, "CounterSatisfiable");
}

TEST(HammerTest, TimeoutIsUnknownWithinTheBudget) {
  Hammer hammer(Quick(1.5));
  absl::Time start = absl::Now();
  auto r = hammer.SolveFile(Data("p4_hard.p"));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, AtpStatus::kUnknown);
  EXPECT_LT(absl::Now() - start, absl::Seconds(2.5));
  EXPECT_EQ(LeftoverAtps(), "");
}

TEST(HammerTest, ManyTimedOutCallsLeaveNoProcessAndFlatMemory) {
  Hammer hammer(Quick(0.25));
  auto problem = ReadProblemFile(Data("p4_hard.p"));
  ASSERT_TRUE(problem.ok());
  long rss_after_warmup = 0;
  constexpr int kCalls = 50;
  for (int i = 0; i < kCalls; ++i) {
    auto r = hammer.Solve(*problem);
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_NE(r->status, AtpStatus::kProved);
    if (i == 9) rss_after_warmup = RssKb();
  }
  EXPECT_EQ(LeftoverAtps(), "");
  EXPECT_TRUE(thor::testing::ProcessesNamed(kAtpNames).empty() ||
              thor::testing::Descendants(getpid()).empty());
  EXPECT_LT(RssKb() - rss_after_warmup, 8 * 1024) << "memory grew over " << kCalls << " calls";
}

TEST(HammerTest, CancelFromAnotherThreadStopsTheCall) {
  Hammer hammer(Quick(30));
  auto problem = ReadProblemFile(Data("p4_hard.p"));
  ASSERT_TRUE(problem.ok());
  std::thread canceller([&] {
    absl::SleepFor(absl::Milliseconds(400));
    hammer.Cancel();
  });
  absl::Time start = absl::Now();
  auto r = hammer.Solve(*problem);
  canceller.join();
  EXPECT_LT(absl::Now() - start, absl::Seconds(3));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(LeftoverAtps(), "");
  // Later calls run normally.
  auto again = hammer.SolveFile(Data("p1_prov.p"));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->status, AtpStatus::kProved);
}

TEST(HammerTest, ACallsOwnCancelFlagStopsThatCallAloneOnASharedHammer) {
  Hammer hammer;  // One per server: each caller passes its own options.
  auto hard = ReadProblemFile(Data("p4_hard.p"));
  ASSERT_TRUE(hard.ok());
  std::atomic<bool> cancel_hard{false};
  HammerOptions cancelled = Quick(30);
  cancelled.cancel = &cancel_hard;
  absl::StatusOr<HammerResult> stopped;
  const absl::Time start = absl::Now();
  std::thread hard_call([&] { stopped = hammer.Solve(*hard, cancelled); });
  // Another call on the same object, with a flag nobody sets, meanwhile.
  std::atomic<bool> never{false};
  HammerOptions other = Quick(20);
  other.cancel = &never;
  auto easy = ReadProblemFile(Data("p1_prov.p"));
  ASSERT_TRUE(easy.ok());
  absl::SleepFor(absl::Milliseconds(400));
  cancel_hard = true;
  absl::StatusOr<HammerResult> proved = hammer.Solve(*easy, other);
  hard_call.join();
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));
  EXPECT_EQ(stopped.status().code(), absl::StatusCode::kCancelled) << stopped.status();
  ASSERT_TRUE(proved.ok()) << proved.status();
  EXPECT_EQ(proved->status, AtpStatus::kProved);
  EXPECT_EQ(LeftoverAtps(), "");
}

TEST(HammerTest, BadInputGetsTypedErrors) {
  Hammer hammer(Quick(5));
  auto malformed = hammer.SolveFile(Data("bad_syntax.p"));
  EXPECT_EQ(malformed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(malformed.status().message(), HasSubstr("bad_syntax.p:2:25"));
  EXPECT_EQ(hammer.SolveFile(Data("bad_include.p")).status().code(), absl::StatusCode::kNotFound);
  auto empty = hammer.SolveFile(Data("empty.p"));
  EXPECT_EQ(empty.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(empty.status().message(), HasSubstr("empty"));
  auto goalless = hammer.SolveFile(Data("no_conjecture.p"));
  EXPECT_EQ(goalless.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(goalless.status().message(), HasSubstr("no conjecture"));
  EXPECT_EQ(hammer.SolveFile(Data("missing.p")).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(hammer.SolveText("", "").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(HammerTest, MissingOrUnknownProverListsWhatIsInstalled) {
  HammerOptions o = Quick(5);
  o.provers = {"vampire"};
  if (ProverInstalled(Prover::kVampire)) GTEST_SKIP() << "vampire is installed here";
  Hammer hammer(o);
  auto r = hammer.SolveFile(Data("p1_prov.p"));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(r.status().message(), HasSubstr("vampire is not installed"));
  EXPECT_THAT(r.status().message(), HasSubstr("installed: e, cvc5, cvc4, spass, z3"));
  EXPECT_THAT(r.status().message(), HasSubstr("github.com/vprover/vampire"));
  o.provers = {"otter"};
  Hammer unknown(o);
  auto u = unknown.SolveFile(Data("p1_prov.p"));
  EXPECT_EQ(u.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(u.status().message(), HasSubstr("unknown prover 'otter'"));
}

TEST(HammerTest, ProverChoiceAndScheduleFileAreHonoured) {
  std::string dir = thor::testing::MakeTempDir();
  std::string path = dir + "/schedule.json";
  std::ofstream(path) << R"({"slices": [{"prover": "spass", "selector": "mepo", "premises": 4}]})";
  HammerOptions o = Quick(10);
  o.schedule_path = path;
  o.minimize = false;
  Hammer hammer(o);
  auto r = hammer.SolveFile(Data("p1_prov.p"));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, AtpStatus::kProved) << r->message;
  EXPECT_EQ(r->slice, "spass/mepo4");

  HammerOptions only_z3 = Quick(10);
  only_z3.provers = {"z3"};
  auto z = Hammer(only_z3).SolveFile(Data("p1_prov.p"));
  ASSERT_TRUE(z.ok()) << z.status();
  EXPECT_EQ(z->slice.substr(0, 3), "z3/");

  std::ofstream(path) << R"({"slices": [{"prover": "e", "share": 7}]})";
  o.schedule_path = path;
  auto bad = Hammer(o).SolveFile(Data("p1_prov.p"));
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("share"));
}

// The schedule as a value: one long-lived Hammer serves callers with
// different schedules, read from no file, and the result cache tells them
// apart (the same problem under another schedule is solved again).
TEST(HammerTest, ScheduleAsAValuePerCall) {
  auto spass = ParseSchedule(R"({"slices": [{"prover": "spass", "selector": "mepo", "premises": 4}]})");
  auto e_all = ParseSchedule(R"({"slices": [{"prover": "e", "selector": "none", "premises": 0}]})");
  ASSERT_TRUE(spass.ok() && e_all.ok());
  Hammer hammer(Quick(10));
  HammerOptions o = Quick(10);
  o.minimize = false;
  o.schedule_path = "/nonexistent/schedule.json";  // Not read when a value is given.
  o.schedule = std::make_shared<const Schedule>(*spass);
  auto first = hammer.SolveFile(Data("p1_prov.p"));  // Constructor's options: the default.
  ASSERT_TRUE(first.ok()) << first.status();
  auto problem = ReadProblemFile(Data("p1_prov.p"));
  ASSERT_TRUE(problem.ok()) << problem.status();
  auto a = hammer.Solve(*problem, o);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->status, AtpStatus::kProved) << a->message;
  EXPECT_EQ(a->slice, "spass/mepo4");
  o.schedule = std::make_shared<const Schedule>(*e_all);
  auto b = hammer.Solve(*problem, o);
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_FALSE(b->from_cache);
  EXPECT_EQ(b->slice, "e/noneall");
  auto again = hammer.Solve(*problem, o);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->from_cache);
}

TEST(HammerTest, SelectPremisesRanksByName) {
  Hammer hammer;
  auto p = ReadProblemFile(Data("p1_prov.p"));
  ASSERT_TRUE(p.ok());
  auto r = hammer.SelectPremises(*p, "mepo", 2);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_THAT(std::vector<std::string>({(*r)[0].name, (*r)[1].name}),
              UnorderedElementsAre("a02_human_mortal", "a07_socrates_human"));
  EXPECT_EQ(hammer.SelectPremises(*p, "svm", 2).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(HammerTest, SolvesMptpProblemsBushyAndChainy) {
  std::string dir = thor::testing::BenchmarksDir();
  ASSERT_FALSE(dir.empty()) << "shared benchmarks missing";
  Hammer hammer(Quick(10));
  ASSERT_TRUE(hammer.LoadDependencies(dir + "/mptp2078/atpproved").ok());
  for (const char* version : {"bushy500", "chainy500"}) {
    auto r = hammer.SolveFile(dir + "/mptp2078/" + version + "/tex_2__t33_tex_2.p");
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->status, AtpStatus::kProved) << version << ": " << r->message;
    EXPECT_FALSE(r->used_premises.empty());
  }
  EXPECT_EQ(LeftoverAtps(), "");
}

}  // namespace
}  // namespace thor::hammer
