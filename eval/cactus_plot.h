// Cactus plots (theorems solved against time per theorem), one per suite
// with one line per run: SVG written here, PNG drawn by gnuplot from the
// same data. The Thor paper's figures, where the suite has them, are
// horizontal reference lines (their rate times the suite's size).
#ifndef THOR_EVAL_CACTUS_PLOT_H_
#define THOR_EVAL_CACTUS_PLOT_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "eval/report.h"

namespace thor {
class Env;  // common/env.h
}  // namespace thor

namespace thor::eval {

struct CactusOptions {
  bool log_time = false;  // Logarithmic time axis.
};

// One run's line: its solve times, sorted.
struct CactusLine {
  std::string run;
  std::vector<double> times;
};

// One suite's plot.
struct CactusSeries {
  std::string suite;
  std::vector<CactusLine> lines;  // In the order of the runs.
  PaperFigures paper;
  // The suite's size: the most theorems a run selected (run records) or has
  // results for. The reference lines sit at paper rate x total.
  int total = 0;
};

// A series per suite (sorted by suite) of `runs`, a line per run with
// results for that suite.
std::vector<CactusSeries> CactusData(const std::vector<RunData>& runs);

// A standalone SVG document of `series`.
std::string CactusSvg(const CactusSeries& series, const CactusOptions& options);

// The gnuplot script (with inline data) drawing `series` to `png_path`.
std::string CactusPlotScript(const CactusSeries& series, const std::string& png_path,
                             const CactusOptions& options);

// "cactus-<suite>" with characters other than [A-Za-z0-9._-] as '_'.
std::string CactusFileStem(const std::string& suite);

// Writes `png_path` with gnuplot, run through `env` (null: Env::Default()).
// NotFound (with the install command) if gnuplot is missing; Internal with
// gnuplot's stderr if it fails.
absl::Status WriteCactusPng(const CactusSeries& series, const std::string& png_path,
                            const CactusOptions& options, Env* env = nullptr);

// Writes DIR/cactus-<suite>.svg for every suite of `runs`, and the .png too
// when `png`; appends each path written to `written`. Stops at the first
// error.
absl::Status WriteCactusPlots(const std::vector<RunData>& runs, const std::string& dir,
                              const CactusOptions& options, bool png,
                              std::vector<std::string>* written, Env* env = nullptr);

}  // namespace thor::eval

#endif  // THOR_EVAL_CACTUS_PLOT_H_
