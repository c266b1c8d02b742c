// `thor eval report` on fixture result files: tables with Wilson intervals,
// paper figures, time distribution, run records, shards, partial runs,
// comparison with McNemar, CSV and LaTeX, cactus plots (SVG, PNG); and the
// progress line.
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

TEST(ReportTest, TablePerSuiteWithPaperFiguresAndWilsonIntervals) {
  RunData a = Load("run_a.jsonl");
  EXPECT_EQ(a.name, "run_a");
  EXPECT_EQ(a.records.size(), 6u);  // The torn last line is ignored...
  EXPECT_GT(a.torn_tail_bytes, 0u);
  std::string md = RenderReport({a, Load("run_b.jsonl")});
  ExpectHas(md, "(ignored: 0 bad lines, ");  // ...and the report says so.
  ExpectHas(md, "## minif2f-valid");
  // mathd_algebra_13 is PROVED_UNCHECKED with "solved": true in the file: not
  // solved (only PROVED counts, whatever a record claims). 2 of 5: Wilson
  // 11.8-76.9% (stats_test has the arithmetic).
  ExpectHas(md, "| run_a | 2 / 5 | 40.0% | 11.8–76.9% | 2 | 1 (50.0%) | 28.3% | 9.9% |");
  ExpectHas(md, "| run_b | 2 / 4 | 50.0% | 15.0–85.0% | 2 | 0 (0.0%) | 28.3% | 9.9% |");
  ExpectHas(md, "## my_suite");
  ExpectHas(md, "| run_a | 1 / 1 | 100.0% | 20.7–100.0% | 1 | 1 (100.0%) | – | – |");
  // Solve times 4 and 40 s; lemma_x's 2 s is the client's (server wall_s 0).
  ExpectHas(md, "| run_a | 4.0 s | 40.0 s | 40.0 s | 1 | 1 | 0 | 0 |");
  ExpectHas(md, "| run_a | 2.0 s | 2.0 s | 2.0 s | 1 | 0 | 0 | 0 |");
  ExpectHas(md, "Solved = PROVED (re-checked by the kernel");
  ExpectHas(md, "- run_a: EXHAUSTED 1, PROVED 2, PROVED_UNCHECKED 1, TIME_BUDGET 1");
  // Files from before run records: said so, with their configuration hash.
  ExpectHas(md, "### run_a\n\n- no run record");
  ExpectHas(md, "configuration hash c0ffee\n");
  EXPECT_EQ(md.find("PARTIAL"), std::string::npos) << "no run record: size unknown";
}

TEST(ReportTest, PaperFigures) {
  EXPECT_DOUBLE_EQ(*PaperFiguresFor("minif2f-test").thor, 29.9);
  EXPECT_DOUBLE_EQ(*PaperFiguresFor("minif2f-test").sledgehammer, 10.4);
  EXPECT_DOUBLE_EQ(*PaperFiguresFor("pisa-quick").thor, 57.0);
  EXPECT_FALSE(PaperFiguresFor("coq-stdlib").thor.has_value());
}

TEST(ReportTest, CompareTwoRunsWithMcNemar) {
  std::string md = RenderComparison(Load("run_a.jsonl"), Load("run_b.jsonl"));
  // 4 common theorems, 2 solved by each, one discordant pair each way: p = 1.
  ExpectHas(md, "| minif2f-valid | 4 | 1 | 1 | 1 | 1 | 50.0% (15.0–85.0%) | "
                "50.0% (15.0–85.0%) | 1 |");
  ExpectHas(md, "only A: mathd_algebra_10");
  ExpectHas(md, "only B: mathd_algebra_12");
  ExpectHas(md, "| my_suite | 0 | 0 | 0 | 0 | 0 | – | – | 1 |");
}

TEST(ReportTest, ShardsAreMergedAndAnUnfinishedRunIsPartial) {
  auto runs = LoadRuns({Fixture("stdlib-shard-0.jsonl"), Fixture("run_a.jsonl"),
                        Fixture("stdlib-shard-1.jsonl")});
  ASSERT_TRUE(runs.ok()) << runs.status();
  ASSERT_EQ(runs->size(), 2u);
  const RunData& merged = (*runs)[0];
  EXPECT_EQ(merged.name, "stdlib");
  EXPECT_EQ(merged.records.size(), 4u);
  EXPECT_EQ(merged.runs.size(), 2u);
  EXPECT_EQ(merged.expected.at("coq-stdlib"), 5);  // 3 + 2 selected by the shards.
  EXPECT_TRUE(IsPartial(merged, "coq-stdlib"));    // 4 results of 5.
  EXPECT_EQ((*runs)[1].name, "run_a");
  std::string md = RenderReport(*runs);
  ExpectHas(md, "PARTIAL: 4 of 5 coq-stdlib theorems done");
  ExpectHas(md, "| stdlib (partial: 4 of 5 done) | 3 / 4 | 75.0% | 30.1–95.4% | 3 | 1 (33.3%) |"
                " – | – |");
  // The configuration, once.
  ExpectHas(md, "### stdlib\n\n- 2 shards merged (");
  ExpectHas(md, "- started 2026-12-03T20:00:00Z by thor 3f3be09 (commit 3f3be09aaaa) on 2 "
                "cores (Test CPU)\n");
  ExpectHas(md, "- suite coq-stdlib, shard 0/2, limit 0: 3 theorems\n");
  ExpectHas(md, "- policy heuristic; model: kind heuristic\n");
  ExpectHas(md, "- budget `ci,wall_time_s=10`: queue_size=32, seed=1, wall_time_s=10 "
                "(unset fields: the in-process server's defaults)\n");
  ExpectHas(md, "- tools on this machine (the in-process server's): coqtop: The Coq Proof "
                "Assistant, version 8.16.1\n");
  ExpectHas(md, "- configuration hash feed\n");

  // One shard alone is a run of its own: 1 result of its 2 theorems.
  auto one = LoadRuns({Fixture("stdlib-shard-1.jsonl")});
  ASSERT_TRUE(one.ok());
  EXPECT_EQ((*one)[0].name, "stdlib-shard-1");
  EXPECT_TRUE(IsPartial((*one)[0], "coq-stdlib"));
  auto zero = LoadRuns({Fixture("stdlib-shard-0.jsonl")});  // 3 of 3: complete.
  ASSERT_TRUE(zero.ok());
  EXPECT_FALSE(IsPartial((*zero)[0], "coq-stdlib"));
  // The same shard twice is not a run: both stay.
  auto twice = LoadRuns({Fixture("stdlib-shard-1.jsonl"), Fixture("stdlib-shard-1.jsonl")});
  ASSERT_TRUE(twice.ok());
  EXPECT_EQ(twice->size(), 2u);
  EXPECT_TRUE(absl::IsNotFound(LoadRuns({Fixture("no-such.jsonl")}).status()));
}

TEST(ReportTest, CsvAndLatexTables) {
  std::vector<SuiteRow> rows = SuiteRows({Load("run_a.jsonl"), Load("stdlib-shard-0.jsonl")});
  std::string csv = RenderCsv(rows);
  ExpectHas(csv, "suite,run,solved,total,expected,rate_pct,ci95_low_pct,ci95_high_pct,"
                 "rechecked,used_hammer,paper_thor_pct,paper_sledgehammer_pct,partial\n");
  ExpectHas(csv, "\nminif2f-valid,run_a,2,5,,40.00,11.76,76.93,2,1,28.30,9.90,false\n");
  ExpectHas(csv, "\ncoq-stdlib,stdlib-shard-0,2,3,3,66.67,20.77,93.85,2,1,,,false\n");
  std::string tex = RenderLatex(rows);
  ExpectHas(tex, "\\usepackage{booktabs}");
  ExpectHas(tex, "\\toprule\n");
  ExpectHas(tex, "\\midrule\n");
  ExpectHas(tex, "\\bottomrule\n\\end{tabular}\n\\end{table}\n");
  ExpectHas(tex, "run\\_a & 2/5 & 40.0 & 11.8--76.9 & 28.3 & 9.9 \\\\\n");
  ExpectHas(tex, "\\caption{my\\_suite: ");  // Underscores escaped.
  EXPECT_TRUE(ParseReportFormat("latex").ok());
  EXPECT_TRUE(absl::IsInvalidArgument(ParseReportFormat("html").status()));
}

TEST(ReportTest, CactusDataHasOneLinePerRunAndPaperLines) {
  std::vector<CactusSeries> series = CactusData({Load("run_a.jsonl"), Load("run_b.jsonl")});
  ASSERT_EQ(series.size(), 2u);
  const CactusSeries& m = series[0];
  EXPECT_EQ(m.suite, "minif2f-valid");
  ASSERT_EQ(m.lines.size(), 2u);
  EXPECT_EQ(m.lines[0].run, "run_a");
  EXPECT_EQ(m.lines[0].times, (std::vector<double>{4, 40}));  // Not the PROVED_UNCHECKED one.
  EXPECT_EQ(m.lines[1].times, (std::vector<double>{8, 90}));
  EXPECT_EQ(m.total, 5);
  std::string script = CactusPlotScript(m, "/x.png", {});
  ExpectHas(script, "0.000 0\n4.000 1\n40.000 2\ne\n");
  ExpectHas(script, "title \"run_b\"");
  ExpectHas(script, "1.415 with lines dashtype 2");  // 28.3% of 5.
  EXPECT_EQ(script.find("logscale"), std::string::npos);
  CactusOptions log;
  log.log_time = true;
  script = CactusPlotScript(m, "/x.png", log);
  ExpectHas(script, "set logscale x 10\n");
  ExpectHas(script, "1.000 0\n4.000 1\n40.000 2\ne\n");  // Starts at the decade below 4 s.
}

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

TEST(ReportTest, CactusSvg) {
  RunData b = Load("run_b.jsonl");
  b.name = "b & <c>";  // Escaped in the document.
  std::vector<CactusSeries> series = CactusData({Load("run_a.jsonl"), b});
  std::string svg = CactusSvg(series[0], {});
  EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
  ExpectHas(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"");
  EXPECT_EQ(svg.substr(svg.size() - 7), "</svg>\n");
  EXPECT_EQ(Count(svg, "<path "), 2u);                // A step line per run.
  EXPECT_EQ(Count(svg, "stroke-dasharray"), 4u);      // 2 paper lines + their legend keys.
  ExpectHas(svg, "Thor (paper) 28.3% of 5");
  ExpectHas(svg, "Sledgehammer (paper) 9.9% of 5");
  ExpectHas(svg, "b &amp; &lt;c&gt; (2)");
  EXPECT_EQ(svg.find("b & <c>"), std::string::npos);
  ExpectHas(svg, ">time per theorem (s)<");
  CactusOptions log;
  log.log_time = true;
  svg = CactusSvg(series[0], log);
  ExpectHas(svg, "(s, log scale)");
  for (const char* tick : {">1<", ">10<", ">100<"}) ExpectHas(svg, tick);  // Decades 1-100 s.
  // No paper figures for my_suite: no reference line.
  EXPECT_EQ(CactusSvg(series[1], {}).find("stroke-dasharray"), std::string::npos);
}

TEST(ReportTest, CactusPlotsAreWrittenAsSvgAndPng) {
  const std::string dir = thor::testing::MakeTempDir();
  std::vector<std::string> written;
  absl::Status s = WriteCactusPlots({Load("run_a.jsonl"), Load("run_b.jsonl")}, dir, {}, true,
                                    &written);
  ASSERT_TRUE(s.ok()) << s << " (gnuplot comes from: apt-get install gnuplot-nox)";
  EXPECT_EQ(written, (std::vector<std::string>{
                         dir + "/cactus-minif2f-valid.svg", dir + "/cactus-minif2f-valid.png",
                         dir + "/cactus-my_suite.svg", dir + "/cactus-my_suite.png"}));
  std::ifstream in(dir + "/cactus-minif2f-valid.png", std::ios::binary);
  char magic[8] = {0};
  in.read(magic, 8);
  EXPECT_EQ(std::string(magic + 1, 3), "PNG");
  std::ifstream svg(dir + "/cactus-my_suite.svg");
  std::string first;
  std::getline(svg, first);
  EXPECT_EQ(first.rfind("<?xml", 0), 0u) << first;
  EXPECT_EQ(CactusFileStem("a/b c"), "cactus-a_b_c");
}

TEST(ReportTest, CactusPlotOfARunThatSolvedNothing) {
  RunData run = Load("run_b.jsonl");
  for (EvalRecord& r : run.records) r.solved = false;
  const std::string dir = thor::testing::MakeTempDir();
  std::vector<std::string> written;
  for (bool log : {false, true}) {
    CactusOptions options;
    options.log_time = log;
    absl::Status s = WriteCactusPlots({run}, dir, options, true, &written);
    ASSERT_TRUE(s.ok()) << s;
    EXPECT_TRUE(std::ifstream(dir + "/cactus-minif2f-valid.png").good());
  }
  ExpectHas(CactusSvg(CactusData({run})[0], {}), "no theorem solved");
}

TEST(ReportTest, CactusPlotRunsGnuplotThroughTheEnv) {
  thor::testing::FakeEnv env;
  RunResult drawn;
  drawn.exit_code = 0;
  env.Script({"gnuplot", absl::Seconds(1), drawn});
  EXPECT_TRUE(WriteCactusPng(CactusData({Load("run_a.jsonl")})[0], "/x.png", {}, &env).ok());
  ASSERT_EQ(env.runs().size(), 1u);
  EXPECT_EQ(env.runs()[0], std::vector<std::string>{"gnuplot"});
}

TEST(ReportTest, GnuplotFailureIsInternalWithItsStderr) {
  thor::testing::FakeEnv env;
  RunResult failed;
  failed.exit_code = 1;
  failed.err = "cannot open /x.png";
  env.Script({"gnuplot", absl::Seconds(1), failed});
  absl::Status s = WriteCactusPng(CactusData({Load("run_a.jsonl")})[0], "/x.png", {}, &env);
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
