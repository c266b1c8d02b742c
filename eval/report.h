// `thor eval report`: what people read after a run. Per suite: solved /
// total with a 95% Wilson interval, the Thor paper's figures beside them,
// the share of proofs that used the hammer, outcomes and the time
// distribution; each run's configuration (its run record, run_info.h); and a
// comparison of two runs with the exact McNemar test. Tables come as
// Markdown, CSV or LaTeX (booktabs).
#ifndef THOR_EVAL_REPORT_H_
#define THOR_EVAL_REPORT_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "eval/results.h"
#include "eval/stats.h"

namespace thor::eval {

// One run: a results file, or the shards of one run (`thor eval --shard
// i/n` writing one file each) merged.
struct RunData {
  std::string name;  // The file's name without directories and ".jsonl".
  std::string path;  // Its path; the shards' paths joined with ", ".
  std::vector<EvalRecord> records;  // One per id (the first wins).
  // The run records (run_info.h) of the file, or of each shard.
  std::vector<nlohmann::json> runs;
  size_t torn_tail_bytes = 0;
  int bad_lines = 0;
  // Theorems the run selected, by suite, from its run records (summed over
  // shards); a suite missing here has no run record to tell.
  std::map<std::string, int> expected;
};

// Reads a results file. NotFound if it cannot be read.
absl::StatusOr<RunData> LoadRun(const std::string& path);

// Reads results files and merges the shards of a run: files whose run
// records have the same suite and configuration hash and shards "i/n" of the
// same n > 1 with distinct i become one RunData, named after the first
// file's name without its shard suffix. Other files stay as they are, in
// the order given.
absl::StatusOr<std::vector<RunData>> LoadRuns(const std::vector<std::string>& paths);

// Whether `run` has fewer results for `suite` than its run records say it
// selected: the run is still being written, or was stopped before the end.
bool IsPartial(const RunData& run, const std::string& suite);

// The published figures for a suite, in percent.
struct PaperFigures {
  std::optional<double> thor;
  std::optional<double> sledgehammer;
};
// The figures the suite's prover module gives (ProverSuite::paper_thor and
// paper_hammer: Thor, Jiang et al. 2022, and the hammer alone). Empty for
// suites without published figures.
PaperFigures PaperFiguresFor(const std::string& suite);

// One row of a suite's table: one run's results on it.
struct SuiteRow {
  std::string suite;
  std::string run;
  int solved = 0;
  int total = 0;       // Results the run has for the suite.
  int expected = -1;   // Theorems the run selected (run record), -1 unknown.
  int rechecked = 0;   // Solved, with a fresh prover's RECHECK_PASSED.
  int used_hammer = 0; // Solved with a step from the hammer.
  Interval ci;         // 95% Wilson interval of solved / total.
  PaperFigures paper;
};

// The rows of every suite that appears in any run (sorted by suite), each
// with a row per run that has results for it (in the order of `runs`).
std::vector<SuiteRow> SuiteRows(const std::vector<RunData>& runs);

enum class ReportFormat { kMarkdown, kCsv, kLatex };
// "md", "csv" or "latex"; InvalidArgument otherwise.
absl::StatusOr<ReportFormat> ParseReportFormat(const std::string& text);

// The report for `runs` (any number): each run's configuration once, then
// one section per suite.
std::string RenderReport(const std::vector<RunData>& runs);

// The suite tables alone: CSV (a header line, then one line per row) or a
// LaTeX booktabs table per suite.
std::string RenderCsv(const std::vector<SuiteRow>& rows);
std::string RenderLatex(const std::vector<SuiteRow>& rows);

// Which theorems both runs solved, only `a`, only `b`, neither, per suite
// (among theorems both runs have results for), with the differing ids, each
// run's rate on those common theorems, and the exact McNemar p-value.
std::string RenderComparison(const RunData& a, const RunData& b);

// The time of a result for plots and distributions: the server's search wall
// time when present, else the client's.
double ResultSeconds(const EvalRecord& r);

}  // namespace thor::eval

#endif  // THOR_EVAL_REPORT_H_
