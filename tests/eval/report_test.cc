// `thor eval report` on fixture result files: tables, paper figures, time
// distribution, comparison, cactus plot; and the progress line.
#include <gtest/gtest.h>

#include <fstream>

#include "eval/cactus_plot.h"
#include "eval/progress.h"
#include "eval/report.h"
#include "tests/testing/fake_env.h"
#include "tests/testing/paths.h"

namespace thor::eval {
namespace {

std::string Fixture(const std::string& name) {
  return thor::testing::SourceDir() + "/tests/eval/testdata/" + name;
}

RunData Load(const std::string& name) {
  auto run = LoadRun(Fixture(name));
  EXPECT_TRUE(run.ok()) << run.status();
  return run.ok() ? *run : RunData{};
}

void ExpectHas(const std::string& text, const std::string& needle) {
  EXPECT_NE(text.find(needle), std::string::npos) << "missing: " << needle << "\nin:\n" << text;
}

TEST(ReportTest, TablePerSuiteWithPaperFigures) {
  RunData a = Load("run_a.jsonl");
  EXPECT_EQ(a.name, "run_a");
  EXPECT_EQ(a.records.size(), 6u);  // The torn last line is ignored...
  EXPECT_GT(a.torn_tail_bytes, 0u);
  std::string md = RenderReport({a, Load("run_b.jsonl")});
  ExpectHas(md, "(ignored: 0 bad lines, ");  // ...and the report says so.
  ExpectHas(md, "## minif2f-valid");
  // mathd_algebra_13 is PROVED_UNCHECKED with "solved": true in the file: not
  // solved (only PROVED counts, whatever a record claims).
  ExpectHas(md, "| run_a | 2 / 5 | 40.0% | 2 | 1 (50.0%) | 28.3% | 9.9% |");
  ExpectHas(md, "| run_b | 2 / 4 | 50.0% | 2 | 0 (0.0%) | 28.3% | 9.9% |");
  ExpectHas(md, "## my_suite");
  ExpectHas(md, "| run_a | 1 / 1 | 100.0% | 1 | 1 (100.0%) | – | – |");
  // Solve times 4 and 40 s; lemma_x's 2 s is the client's (server wall_s 0).
  ExpectHas(md, "| run_a | 4.0 s | 40.0 s | 40.0 s | 1 | 1 | 0 | 0 |");
  ExpectHas(md, "| run_a | 2.0 s | 2.0 s | 2.0 s | 1 | 0 | 0 | 0 |");
  ExpectHas(md, "Solved = PROVED (re-checked by the kernel");
  ExpectHas(md, "- run_a: EXHAUSTED 1, PROVED 2, PROVED_UNCHECKED 1, TIME_BUDGET 1");
}

TEST(ReportTest, PaperFigures) {
  EXPECT_DOUBLE_EQ(*PaperFiguresFor("minif2f-test").thor, 29.9);
  EXPECT_DOUBLE_EQ(*PaperFiguresFor("minif2f-test").sledgehammer, 10.4);
  EXPECT_DOUBLE_EQ(*PaperFiguresFor("pisa-quick").thor, 57.0);
  EXPECT_FALSE(PaperFiguresFor("coq-stdlib").thor.has_value());
}

TEST(ReportTest, CompareTwoRuns) {
  std::string md = RenderComparison(Load("run_a.jsonl"), Load("run_b.jsonl"));
  ExpectHas(md, "| minif2f-valid | 4 | 1 | 1 | 1 | 1 |");
  ExpectHas(md, "only A: mathd_algebra_10");
  ExpectHas(md, "only B: mathd_algebra_12");
  ExpectHas(md, "| my_suite | 0 | 0 | 0 | 0 | 0 |");
}

TEST(ReportTest, CactusPlotIsAPng) {
  RunData a = Load("run_a.jsonl");
  std::string script = CactusPlotScript(a, "/x.png");
  ExpectHas(script, "4.000 1\n40.000 2\ne\n");  // The PROVED_UNCHECKED one is not there.
  const std::string png = thor::testing::MakeTempDir() + "/a.png";
  absl::Status s = WriteCactusPlot(a, png);
  ASSERT_TRUE(s.ok()) << s << " (gnuplot comes from: apt-get install gnuplot-nox)";
  std::ifstream in(png, std::ios::binary);
  char magic[8] = {0};
  in.read(magic, 8);
  EXPECT_EQ(std::string(magic + 1, 3), "PNG");
}

TEST(ReportTest, CactusPlotOfARunThatSolvedNothing) {
  RunData run = Load("run_b.jsonl");
  for (EvalRecord& r : run.records) r.solved = false;
  const std::string png = thor::testing::MakeTempDir() + "/none.png";
  absl::Status s = WriteCactusPlot(run, png);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_TRUE(std::ifstream(png).good());
}

TEST(ReportTest, CactusPlotRunsGnuplotThroughTheEnv) {
  thor::testing::FakeEnv env;
  RunResult drawn;
  drawn.exit_code = 0;
  env.Script({"gnuplot", absl::Seconds(1), drawn});
  EXPECT_TRUE(WriteCactusPlot(Load("run_a.jsonl"), "/x.png", &env).ok());
  ASSERT_EQ(env.runs().size(), 1u);
  EXPECT_EQ(env.runs()[0], std::vector<std::string>{"gnuplot"});
}

TEST(ReportTest, GnuplotFailureIsInternalWithItsStderr) {
  thor::testing::FakeEnv env;
  RunResult failed;
  failed.exit_code = 1;
  failed.err = "cannot open /x.png";
  env.Script({"gnuplot", absl::Seconds(1), failed});
  absl::Status s = WriteCactusPlot(Load("run_a.jsonl"), "/x.png", &env);
  EXPECT_TRUE(absl::IsInternal(s)) << s;
  ExpectHas(std::string(s.message()), "gnuplot failed (exit 1) drawing /x.png: cannot open /x.png");
}

TEST(ProgressTest, Line) {
  ProgressSnapshot s;
  s.total = 244;
  s.done = 20;
  s.solved = 5;
  s.done_this_run = 10;
  s.in_flight = 4;
  s.elapsed = absl::Minutes(2);
  EXPECT_EQ(FormatProgress(s),
            "20/244 done | 5 solved (25.0%) | 5.0/min | ETA 44m48s | 4 in flight");
  s.done_this_run = 0;
  EXPECT_EQ(FormatProgress(s), "20/244 done | 5 solved (25.0%) | --/min | ETA -- | 4 in flight");
  EXPECT_EQ(HumanDuration(absl::Seconds(3725)), "1h02m");
}

}  // namespace
}  // namespace thor::eval
