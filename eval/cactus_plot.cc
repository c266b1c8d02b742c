#include "eval/cactus_plot.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "common/env.h"
#include "common/subprocess.h"

namespace thor::eval {
namespace {

std::string Quote(const std::string& s) {
  return absl::StrCat("\"", absl::StrReplaceAll(s, {{"\\", "\\\\"}, {"\"", "\\\""}}), "\"");
}

// The left end of a log time axis: the decade at or below the fastest solve.
double LogStart(const CactusSeries& series) {
  double lo = 1e9;
  for (const CactusLine& line : series.lines) {
    if (!line.times.empty()) lo = std::min(lo, std::max(0.01, line.times.front()));
  }
  return lo == 1e9 ? 0.1 : std::pow(10.0, std::floor(std::log10(lo)));
}

}  // namespace

std::vector<CactusSeries> CactusData(const std::vector<RunData>& runs) {
  std::map<std::string, CactusSeries> by_suite;
  for (const RunData& run : runs) {
    std::map<std::string, CactusLine> lines;
    std::map<std::string, int> sizes;
    for (const EvalRecord& r : run.records) {
      CactusLine& line = lines[r.suite];
      line.run = run.name;
      ++sizes[r.suite];
      if (r.solved) line.times.push_back(ResultSeconds(r));
    }
    for (auto& [suite, line] : lines) {
      CactusSeries& series = by_suite[suite];
      series.suite = suite;
      std::sort(line.times.begin(), line.times.end());
      auto e = run.expected.find(suite);
      series.total = std::max({series.total, sizes[suite],
                               e == run.expected.end() ? 0 : e->second});
      series.lines.push_back(std::move(line));
    }
  }
  std::vector<CactusSeries> out;
  for (auto& [suite, series] : by_suite) {
    series.paper = PaperFiguresFor(suite);
    out.push_back(std::move(series));
  }
  return out;
}

std::string CactusFileStem(const std::string& suite) {
  std::string stem = absl::StrCat("cactus-", suite.empty() ? "no-suite" : suite);
  for (char& c : stem) {
    if (!absl::ascii_isalnum(c) && c != '.' && c != '_' && c != '-') c = '_';
  }
  return stem;
}

std::string CactusPlotScript(const CactusSeries& series, const std::string& png_path,
                             const CactusOptions& options) {
  const std::string suite = series.suite.empty() ? "(no suite)" : series.suite;
  std::string script = absl::StrCat(
      "set terminal png size 900,600\n", "set output ", Quote(png_path), "\n",
      "set title ", Quote(absl::StrCat("Cactus plot: ", suite)), " noenhanced\n",
      "set xlabel ", Quote(options.log_time ? "time per theorem (s, log scale)"
                                            : "time per theorem (s)"),
      "\n", "set ylabel \"theorems solved\"\n", "set key left top noenhanced\n", "set grid\n",
      "set yrange [0:*]\n");
  if (options.log_time) absl::StrAppend(&script, "set logscale x 10\n");
  bool any = false;
  for (const CactusLine& line : series.lines) any = any || !line.times.empty();
  if (!any) {
    // Nothing solved: an empty frame says so.
    absl::StrAppend(&script, options.log_time ? "set xrange [0.1:10]\n" : "set xrange [0:1]\n",
                    "set yrange [0:1]\n",
                    "set label \"no theorem solved\" at graph 0.4, graph 0.5\n",
                    "plot '-' using 1:2 with lines notitle\n",
                    options.log_time ? "0.1 0\n10 0\ne\n" : "0 0\n1 0\ne\n");
    return script;
  }
  std::vector<std::string> plots;
  for (const CactusLine& line : series.lines) {
    plots.push_back(absl::StrCat("'-' using 1:2 with steps linewidth 2 title ", Quote(line.run)));
  }
  for (const auto& [figure, label] : {std::pair{series.paper.thor, "Thor (paper)"},
                                      std::pair{series.paper.sledgehammer,
                                                "Sledgehammer (paper)"}}) {
    if (!figure || series.total <= 0) continue;
    plots.push_back(absl::StrFormat("%.3f with lines dashtype 2 linecolor rgb \"#777777\" "
                                    "title %s",
                                    *figure / 100 * series.total,
                                    Quote(absl::StrFormat("%s %.1f%%", label, *figure))));
  }
  absl::StrAppend(&script, "plot ", absl::StrJoin(plots, ", "), "\n");
  const double start = options.log_time ? LogStart(series) : 0;
  for (const CactusLine& line : series.lines) {
    absl::StrAppend(&script, absl::StrFormat("%.3f 0\n", start));
    for (size_t i = 0; i < line.times.size(); ++i) {
      absl::StrAppend(&script, absl::StrFormat("%.3f %d\n", std::max(start, line.times[i]),
                                               static_cast<int>(i + 1)));
    }
    absl::StrAppend(&script, "e\n");
  }
  return script;
}

absl::Status WriteCactusPng(const CactusSeries& series, const std::string& png_path,
                            const CactusOptions& options, Env* env) {
  if (env == nullptr) env = Env::Default();
  SubprocessOptions opts;
  opts.argv = {"gnuplot"};
  absl::StatusOr<RunResult> r =
      env->Run(opts, CactusPlotScript(series, png_path, options), absl::Seconds(60), nullptr);
  if (absl::IsNotFound(r.status())) {
    // The generic "not on PATH" of Run, with gnuplot's own install line.
    return absl::NotFoundError(
        "'gnuplot' is not installed or not on PATH; apt-get install gnuplot-nox "
        "(or --nopng for the SVG alone)");
  }
  if (!r.ok()) return r.status();
  if (r->exit_code != 0) {
    return absl::InternalError(absl::StrCat("gnuplot failed (exit ", r->exit_code,
                                            ") drawing ", png_path, ": ", r->err));
  }
  return absl::OkStatus();
}

absl::Status WriteCactusPlots(const std::vector<RunData>& runs, const std::string& dir,
                              const CactusOptions& options, bool png,
                              std::vector<std::string>* written, Env* env) {
  if (env == nullptr) env = Env::Default();
  for (const CactusSeries& series : CactusData(runs)) {
    const std::string stem = absl::StrCat(dir.empty() ? "." : dir, "/",
                                          CactusFileStem(series.suite));
    const std::string svg = stem + ".svg";
    if (absl::Status s = env->WriteFile(svg, CactusSvg(series, options)); !s.ok()) return s;
    written->push_back(svg);
    if (!png) continue;
    if (absl::Status s = WriteCactusPng(series, stem + ".png", options, env); !s.ok()) return s;
    written->push_back(stem + ".png");
  }
  return absl::OkStatus();
}

}  // namespace thor::eval
