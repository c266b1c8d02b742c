// The SVG cactus plot, written by hand (no plotting dependency): axes with
// round ticks, a step line per run, dashed paper reference lines, a legend.
#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "eval/cactus_plot.h"

namespace thor::eval {
namespace {

constexpr int kWidth = 900, kHeight = 560;
constexpr double kLeft = 70, kRight = kWidth - 240, kTop = 50, kBottom = kHeight - 60;
const char* const kColors[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e",
                               "#9467bd", "#8c564b", "#e377c2", "#17becf"};

std::string Xml(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

// A round tick step giving about `count` ticks over [0, max].
double TickStep(double max, int count) {
  double raw = max / count;
  double p = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0}) {
    if (m * p >= raw) return m * p;
  }
  return 10 * p;
}

std::string Label(double v) {
  return v == std::floor(v) ? absl::StrFormat("%.0f", v) : absl::StrFormat("%g", v);
}

// Maps data to pixels.
struct Axes {
  bool log = false;
  double x_lo = 0, x_hi = 1, y_hi = 1;
  double X(double t) const {
    double f = log ? (std::log10(std::max(t, x_lo)) - std::log10(x_lo)) /
                         (std::log10(x_hi) - std::log10(x_lo))
                   : (t - x_lo) / (x_hi - x_lo);
    return kLeft + std::clamp(f, 0.0, 1.0) * (kRight - kLeft);
  }
  double Y(double n) const { return kBottom - n / y_hi * (kBottom - kTop); }
};

Axes MakeAxes(const CactusSeries& series, const CactusOptions& options) {
  double t_min = 1e18, t_max = 0, n_max = 1;
  for (const CactusLine& line : series.lines) {
    if (line.times.empty()) continue;
    t_min = std::min(t_min, std::max(0.01, line.times.front()));
    t_max = std::max(t_max, line.times.back());
    n_max = std::max<double>(n_max, line.times.size());
  }
  for (const std::optional<double>& f : {series.paper.thor, series.paper.sledgehammer}) {
    if (f && series.total > 0) n_max = std::max(n_max, *f / 100 * series.total);
  }
  Axes a;
  a.log = options.log_time;
  if (t_max <= 0) t_min = 0.1, t_max = 1;
  if (a.log) {
    a.x_lo = std::pow(10.0, std::floor(std::log10(t_min)));
    a.x_hi = std::pow(10.0, std::ceil(std::log10(std::max(t_max, a.x_lo * 1.0001))));
  } else {
    double step = TickStep(t_max, 6);
    a.x_hi = std::ceil(t_max / step) * step;
  }
  double step = TickStep(n_max * 1.05, 6);
  a.y_hi = std::ceil(n_max * 1.05 / step) * step;
  return a;
}

void Axis(const Axes& a, std::string* out) {
  absl::StrAppend(out, absl::StrFormat("<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" "
                                       "height=\"%.0f\" fill=\"none\" stroke=\"#333\"/>\n",
                                       kLeft, kTop, kRight - kLeft, kBottom - kTop));
  std::vector<double> xs;
  if (a.log) {
    for (double t = a.x_lo; t <= a.x_hi * 1.0001; t *= 10) xs.push_back(t);
  } else {
    double step = TickStep(a.x_hi, 6);
    for (double t = 0; t <= a.x_hi + step / 2; t += step) xs.push_back(t);
  }
  for (double t : xs) {
    double x = a.X(t);
    absl::StrAppend(out, absl::StrFormat(
                             "<line x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\" "
                             "stroke=\"#ddd\"/>\n<text x=\"%.1f\" y=\"%.0f\" "
                             "text-anchor=\"middle\">%s</text>\n",
                             x, kTop, x, kBottom, x, kBottom + 18, Label(t)));
  }
  double step = TickStep(a.y_hi, 6);
  for (double n = 0; n <= a.y_hi + step / 2; n += step) {
    double y = a.Y(n);
    absl::StrAppend(out, absl::StrFormat(
                             "<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" "
                             "stroke=\"#ddd\"/>\n<text x=\"%.0f\" y=\"%.1f\" "
                             "text-anchor=\"end\">%s</text>\n",
                             kLeft, y, kRight, y, kLeft - 6, y + 4, Label(n)));
  }
  absl::StrAppend(out,
                  absl::StrFormat("<text x=\"%.0f\" y=\"%d\" text-anchor=\"middle\">time per "
                                  "theorem (s%s)</text>\n",
                                  (kLeft + kRight) / 2, kHeight - 20,
                                  a.log ? ", log scale" : ""),
                  absl::StrFormat("<text transform=\"translate(20,%.0f) rotate(-90)\" "
                                  "text-anchor=\"middle\">theorems solved</text>\n",
                                  (kTop + kBottom) / 2));
}

}  // namespace

std::string CactusSvg(const CactusSeries& series, const CactusOptions& options) {
  const Axes a = MakeAxes(series, options);
  const std::string suite = series.suite.empty() ? "(no suite)" : series.suite;
  std::string out = absl::StrFormat(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
      "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"13\">\n"
      "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
      "<text x=\"%.0f\" y=\"28\" text-anchor=\"middle\" font-size=\"16\">Cactus plot: "
      "%s</text>\n",
      kWidth, kHeight, kWidth, kHeight, (kLeft + kRight) / 2, Xml(suite));
  Axis(a, &out);
  double legend_y = kTop + 10;
  auto legend = [&](const std::string& color, const std::string& dash, const std::string& text) {
    absl::StrAppend(&out, absl::StrFormat("<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" "
                                          "y2=\"%.0f\" stroke=\"%s\" stroke-width=\"2\"%s/>\n"
                                          "<text x=\"%.0f\" y=\"%.0f\">%s</text>\n",
                                          kRight + 15, legend_y, kRight + 45, legend_y, color,
                                          dash, kRight + 52, legend_y + 4, Xml(text)));
    legend_y += 20;
  };
  bool any = false;
  for (size_t i = 0; i < series.lines.size(); ++i) {
    const CactusLine& line = series.lines[i];
    const std::string color = kColors[i % (sizeof kColors / sizeof kColors[0])];
    legend(color, "", absl::StrCat(line.run, " (", line.times.size(), ")"));
    if (line.times.empty()) continue;
    any = true;
    std::string d = absl::StrFormat("M%.1f %.1f", a.X(a.x_lo), a.Y(0));
    for (size_t k = 0; k < line.times.size(); ++k) {
      double x = a.X(line.times[k]);
      d += absl::StrFormat(" H%.1f V%.1f", x, a.Y(k + 1));
    }
    absl::StrAppend(&out, "<path d=\"", d, "\" fill=\"none\" stroke=\"", color,
                    "\" stroke-width=\"2\"/>\n");
  }
  for (const auto& [figure, label] :
       {std::pair{series.paper.thor, "Thor (paper)"},
        std::pair{series.paper.sledgehammer, "Sledgehammer (paper)"}}) {
    if (!figure || series.total <= 0) continue;
    double y = a.Y(*figure / 100 * series.total);
    absl::StrAppend(&out, absl::StrFormat("<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" "
                                          "y2=\"%.1f\" stroke=\"#777\" stroke-width=\"1.5\" "
                                          "stroke-dasharray=\"6 4\"/>\n",
                                          kLeft, y, kRight, y));
    legend("#777", " stroke-dasharray=\"6 4\"",
           absl::StrFormat("%s %.1f%% of %d", label, *figure, series.total));
  }
  if (!any) {
    absl::StrAppend(&out, absl::StrFormat("<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">"
                                          "no theorem solved</text>\n",
                                          (kLeft + kRight) / 2, (kTop + kBottom) / 2));
  }
  absl::StrAppend(&out, "</svg>\n");
  return out;
}

}  // namespace thor::eval
