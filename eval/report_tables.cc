// The suite tables of `thor eval report --format=csv|latex`.
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "eval/report.h"

namespace thor::eval {
namespace {

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

std::string Num(double v) { return absl::StrFormat("%.2f", v); }

std::string Optional(const std::optional<double>& v) { return v ? Num(*v) : ""; }

std::string Latex(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '\\': out += "\\textbackslash{}"; break;
      case '~': out += "\\textasciitilde{}"; break;
      case '^': out += "\\textasciicircum{}"; break;
      case '&': case '%': case '$': case '#': case '_': case '{': case '}':
        out.push_back('\\');
        out.push_back(c);
        break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string LatexFigure(const std::optional<double>& v) {
  return v ? absl::StrFormat("%.1f", *v) : "--";
}

bool Partial(const SuiteRow& row) { return row.expected >= 0 && row.total < row.expected; }

}  // namespace

std::string RenderCsv(const std::vector<SuiteRow>& rows) {
  std::string out =
      "suite,run,solved,total,expected,rate_pct,ci95_low_pct,ci95_high_pct,rechecked,"
      "used_hammer,paper_thor_pct,paper_sledgehammer_pct,partial\n";
  for (const SuiteRow& r : rows) {
    const bool any = r.total > 0;
    absl::StrAppend(&out, CsvField(r.suite), ",", CsvField(r.run), ",", r.solved, ",", r.total,
                    ",", r.expected >= 0 ? absl::StrCat(r.expected) : "", ",",
                    any ? Num(100.0 * r.solved / r.total) : "", ",",
                    any ? Num(100 * r.ci.low) : "", ",", any ? Num(100 * r.ci.high) : "", ",",
                    r.rechecked, ",", r.used_hammer, ",", Optional(r.paper.thor), ",",
                    Optional(r.paper.sledgehammer), ",", Partial(r) ? "true" : "false", "\n");
  }
  return out;
}

std::string RenderLatex(const std::vector<SuiteRow>& rows) {
  std::set<std::string> suites;
  for (const SuiteRow& r : rows) suites.insert(r.suite);
  std::string out = "% Thor evaluation tables; needs \\usepackage{booktabs}.\n";
  for (const std::string& suite : suites) {
    absl::StrAppend(&out, "\\begin{table}[t]\n\\centering\n\\caption{",
                    Latex(suite.empty() ? "(no suite)" : suite),
                    ": theorems solved, with 95\\% Wilson intervals.}\n",
                    "\\begin{tabular}{lrrrrr}\n\\toprule\n",
                    "Run & Solved & Rate (\\%) & 95\\% CI (\\%) & Thor, paper (\\%) & "
                    "Sledgehammer, paper (\\%) \\\\\n\\midrule\n");
    for (const SuiteRow& r : rows) {
      if (r.suite != suite) continue;
      const bool any = r.total > 0;
      absl::StrAppend(
          &out, Latex(r.run), Partial(r) ? absl::StrCat(" (partial)") : "", " & ", r.solved,
          "/", r.total, " & ", any ? absl::StrFormat("%.1f", 100.0 * r.solved / r.total) : "--",
          " & ",
          any ? absl::StrFormat("%.1f--%.1f", 100 * r.ci.low, 100 * r.ci.high) : "--", " & ",
          LatexFigure(r.paper.thor), " & ", LatexFigure(r.paper.sledgehammer), " \\\\\n");
    }
    absl::StrAppend(&out, "\\bottomrule\n\\end{tabular}\n\\end{table}\n");
  }
  return out;
}

}  // namespace thor::eval
