// Cactus plots (problems solved against time) drawn by gnuplot.
#ifndef THOR_EVAL_CACTUS_PLOT_H_
#define THOR_EVAL_CACTUS_PLOT_H_

#include <string>

#include "absl/status/status.h"
#include "eval/report.h"

namespace thor {
class Env;  // common/env.h
}  // namespace thor

namespace thor::eval {

// The gnuplot script (with inline data) for `run`: one step line per suite,
// x = seconds, y = theorems solved within that time. Exposed for tests.
std::string CactusPlotScript(const RunData& run, const std::string& png_path);

// Writes `png_path` with gnuplot, run through `env` (null: Env::Default()).
// NotFound (with the install command) if gnuplot is missing; Internal with
// gnuplot's stderr if it fails.
absl::Status WriteCactusPlot(const RunData& run, const std::string& png_path,
                             Env* env = nullptr);

}  // namespace thor::eval

#endif  // THOR_EVAL_CACTUS_PLOT_H_
