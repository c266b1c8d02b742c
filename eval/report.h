// `thor eval report`: what people read after a run. Markdown tables per suite
// (solved / total, success rate, the Thor paper's figures beside them, share
// of proofs that used the hammer, outcomes, time distribution) and a
// comparison of two runs.
#ifndef THOR_EVAL_REPORT_H_
#define THOR_EVAL_REPORT_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "eval/results.h"

namespace thor::eval {

// One results file.
struct RunData {
  std::string name;  // The file's name without directories and ".jsonl".
  std::string path;
  std::vector<EvalRecord> records;  // One per id (the first wins).
  size_t torn_tail_bytes = 0;
  int bad_lines = 0;
};

// Reads a results file. NotFound if it cannot be read.
absl::StatusOr<RunData> LoadRun(const std::string& path);

// The published figures for a suite, in percent.
struct PaperFigures {
  std::optional<double> thor;
  std::optional<double> sledgehammer;
};
// The figures the suite's prover module gives (ProverSuite::paper_thor and
// paper_hammer: Thor, Jiang et al. 2022, and the hammer alone). Empty for
// suites without published figures.
PaperFigures PaperFiguresFor(const std::string& suite);

// The report for `runs` (any number): one section per suite that appears in
// any run, with a row per run that has results for it.
std::string RenderReport(const std::vector<RunData>& runs);

// Which theorems both runs solved, only `a`, only `b`, neither, per suite
// (among theorems both runs have results for), with the differing ids.
std::string RenderComparison(const RunData& a, const RunData& b);

// The time of a result for plots and distributions: the server's search wall
// time when present, else the client's.
double ResultSeconds(const EvalRecord& r);

}  // namespace thor::eval

#endif  // THOR_EVAL_REPORT_H_
