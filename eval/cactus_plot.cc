#include "eval/cactus_plot.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "common/env.h"
#include "common/subprocess.h"

namespace thor::eval {

std::string CactusPlotScript(const RunData& run, const std::string& png_path) {
  std::map<std::string, std::vector<double>> times;  // suite -> solve times
  for (const EvalRecord& r : run.records) {
    if (r.solved) times[r.suite].push_back(ResultSeconds(r));
  }
  auto quote = [](const std::string& s) {
    return absl::StrCat("\"", absl::StrReplaceAll(s, {{"\\", "\\\\"}, {"\"", "\\\""}}), "\"");
  };
  std::string script = absl::StrCat(
      "set terminal png size 900,600\n", "set output ", quote(png_path), "\n",
      "set title ", quote(absl::StrCat("Cactus plot: ", run.name)), " noenhanced\n",
      "set xlabel \"time per theorem (s)\"\n", "set ylabel \"theorems solved\"\n",
      "set key left top noenhanced\n", "set grid\n", "set yrange [0:*]\n");
  if (times.empty()) {
    // Nothing solved: an empty frame says so.
    absl::StrAppend(&script, "set xrange [0:1]\nset yrange [0:1]\n",
                    "set label \"no theorem solved\" at 0.4,0.5\n",
                    "plot '-' using 1:2 with lines notitle\n0 0\n1 0\ne\n");
    return script;
  }
  std::vector<std::string> plots;
  for (const auto& [suite, _] : times) {
    plots.push_back(absl::StrCat("'-' using 1:2 with steps linewidth 2 title ",
                                 quote(suite.empty() ? "(no suite)" : suite)));
  }
  absl::StrAppend(&script, "plot ", absl::StrJoin(plots, ", "), "\n");
  for (auto& [suite, ts] : times) {
    std::sort(ts.begin(), ts.end());
    absl::StrAppend(&script, "0 0\n");
    for (size_t i = 0; i < ts.size(); ++i) {
      absl::StrAppend(&script, absl::StrFormat("%.3f %d\n", ts[i], static_cast<int>(i + 1)));
    }
    absl::StrAppend(&script, "e\n");
  }
  return script;
}

absl::Status WriteCactusPlot(const RunData& run, const std::string& png_path, Env* env) {
  if (env == nullptr) env = Env::Default();
  SubprocessOptions opts;
  opts.argv = {"gnuplot"};
  absl::StatusOr<RunResult> r =
      env->Run(opts, CactusPlotScript(run, png_path), absl::Seconds(60), nullptr);
  if (absl::IsNotFound(r.status())) {
    // The generic "not on PATH" of Run, with gnuplot's own install line.
    return absl::NotFoundError(
        "'gnuplot' is not installed or not on PATH; apt-get install gnuplot-nox");
  }
  if (!r.ok()) return r.status();
  if (r->exit_code != 0) {
    return absl::InternalError(absl::StrCat("gnuplot failed (exit ", r->exit_code,
                                            ") drawing ", png_path, ": ", r->err));
  }
  return absl::OkStatus();
}

}  // namespace thor::eval
