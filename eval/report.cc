#include "eval/report.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "eval/run_info.h"

namespace thor::eval {
namespace {

std::string Pct(int part, int whole) {
  return whole > 0 ? absl::StrFormat("%.1f%%", 100.0 * part / whole) : "–";
}

std::string Figure(const std::optional<double>& v) {
  return v ? absl::StrFormat("%.1f%%", *v) : "–";
}

std::string Ci(const Interval& ci, int trials) {
  return trials > 0 ? absl::StrFormat("%.1f–%.1f%%", 100 * ci.low, 100 * ci.high) : "–";
}

std::string Secs(double s) {
  return s >= 100 ? absl::StrFormat("%.0f s", s) : absl::StrFormat("%.1f s", s);
}

// The value at quantile q of sorted `v` (nearest rank).
double Quantile(const std::vector<double>& v, double q) {
  size_t i = static_cast<size_t>(std::ceil(q * v.size()));
  return v[std::min(v.size() - 1, i == 0 ? 0 : i - 1)];
}

std::vector<const EvalRecord*> OfSuite(const RunData& run, const std::string& suite) {
  std::vector<const EvalRecord*> out;
  for (const EvalRecord& r : run.records) {
    if (r.suite == suite) out.push_back(&r);
  }
  return out;
}

std::string RunCell(const SuiteRow& row) {
  if (row.expected < 0 || row.total >= row.expected) return row.run;
  return absl::StrCat(row.run, " (partial: ", row.total, " of ", row.expected, " done)");
}

void ConfigurationSection(const std::vector<RunData>& runs, std::string* out) {
  absl::StrAppend(out, "## Configuration\n\n");
  for (const RunData& run : runs) {
    absl::StrAppend(out, "### ", run.name, "\n\n");
    if (run.runs.empty()) {
      std::set<std::string> hashes;
      for (const EvalRecord& r : run.records) hashes.insert(r.config_hash);
      absl::StrAppend(out, "- no run record (written by a Thor that did not record the "
                           "configuration); configuration hash ",
                      hashes.empty() ? "–" : absl::StrJoin(hashes, ", "), "\n\n");
      continue;
    }
    if (run.runs.size() > 1) {
      absl::StrAppend(out, "- ", run.runs.size(), " shards merged (", run.path,
                      "); the first shard's record:\n");
    }
    absl::StrAppend(out, DescribeRunRecord(run.runs[0]), "\n");
  }
}

void SuiteSection(const std::string& suite, const std::vector<SuiteRow>& rows,
                  const std::vector<RunData>& runs, std::string* out) {
  absl::StrAppend(out, "## ", suite.empty() ? "(no suite)" : suite, "\n\n",
                  "| run | solved / total | rate | 95% CI | re-checked | used hammer | "
                  "Thor (paper) | Sledgehammer (paper) |\n"
                  "|---|---:|---:|---:|---:|---:|---:|---:|\n");
  for (const SuiteRow& row : rows) {
    if (row.suite != suite) continue;
    absl::StrAppend(out, "| ", RunCell(row), " | ", row.solved, " / ", row.total, " | ",
                    Pct(row.solved, row.total), " | ", Ci(row.ci, row.total), " | ",
                    row.rechecked, " | ", row.used_hammer, " (",
                    Pct(row.used_hammer, row.solved), ") | ", Figure(row.paper.thor), " | ",
                    Figure(row.paper.sledgehammer), " |\n");
  }
  std::string outcomes, times;
  for (const RunData& run : runs) {
    std::vector<const EvalRecord*> rs = OfSuite(run, suite);
    if (rs.empty()) continue;
    std::map<std::string, int> by_status;
    std::vector<double> solve_times;
    for (const EvalRecord* r : rs) {
      ++by_status[r->status];
      if (r->solved) solve_times.push_back(ResultSeconds(*r));
    }
    std::vector<std::string> parts;
    for (const auto& [status, n] : by_status) parts.push_back(absl::StrCat(status, " ", n));
    absl::StrAppend(&outcomes, "- ", run.name, ": ", absl::StrJoin(parts, ", "), "\n");
    std::sort(solve_times.begin(), solve_times.end());
    if (solve_times.empty()) {
      absl::StrAppend(&times, "| ", run.name, " | – | – | – | 0 | 0 | 0 | 0 |\n");
      continue;
    }
    int le10 = 0, le60 = 0, le300 = 0, more = 0;
    for (double t : solve_times) {
      (t <= 10 ? le10 : t <= 60 ? le60 : t <= 300 ? le300 : more)++;
    }
    absl::StrAppend(&times, "| ", run.name, " | ", Secs(Quantile(solve_times, 0.5)), " | ",
                    Secs(Quantile(solve_times, 0.9)), " | ", Secs(solve_times.back()),
                    " | ", le10, " | ", le60, " | ", le300, " | ", more, " |\n");
  }
  if (outcomes.empty()) {
    absl::StrAppend(out, "\nNo results yet.\n\n");
    return;
  }
  absl::StrAppend(out, "\nOutcomes:\n", outcomes,
                  "\nTime to a proof (solved theorems only):\n\n"
                  "| run | median | p90 | max | ≤ 10 s | 10–60 s | 60–300 s | > 300 s |\n"
                  "|---|---:|---:|---:|---:|---:|---:|---:|\n",
                  times, "\n");
}

}  // namespace

std::string RenderReport(const std::vector<RunData>& runs) {
  std::string out = "# Thor evaluation report\n\n";
  const std::vector<SuiteRow> rows = SuiteRows(runs);
  for (const RunData& run : runs) {
    absl::StrAppend(&out, "- `", run.name, "`: ", run.records.size(), " results from ",
                    run.path);
    if (run.torn_tail_bytes > 0 || run.bad_lines > 0) {
      absl::StrAppend(&out, " (ignored: ", run.bad_lines, " bad lines, ",
                      run.torn_tail_bytes, " bytes of a torn last line)");
    }
    for (const auto& [suite, n] : run.expected) {
      if (IsPartial(run, suite)) {
        absl::StrAppend(&out, " — PARTIAL: ", OfSuite(run, suite).size(), " of ", n, " ",
                        suite, " theorems done (still running, or stopped: rerun the same "
                        "`thor eval` command to finish)");
      }
    }
    absl::StrAppend(&out, "\n");
  }
  absl::StrAppend(&out,
                  "\nSolved = PROVED (re-checked by the kernel, resting on no axiom beyond "
                  "the allowed ones; PROVED_UNCHECKED does not count); re-checked = a fresh "
                  "prover accepted the proof; 95% CI = Wilson score interval of the rate. "
                  "Paper figures: Thor (Jiang et al., NeurIPS 2022) and Sledgehammer alone, "
                  "pass@1.\n\n");
  ConfigurationSection(runs, &out);
  std::set<std::string> suites;
  for (const SuiteRow& row : rows) suites.insert(row.suite);
  for (const std::string& suite : suites) SuiteSection(suite, rows, runs, &out);
  return out;
}

std::string RenderComparison(const RunData& a, const RunData& b) {
  std::string out = absl::StrCat(
      "# Comparison: ", a.name, " (A) vs ", b.name, " (B)\n\n",
      "On the theorems both runs have results for; p = exact McNemar test (two-sided "
      "binomial test on the theorems only one run solved).\n\n",
      "| suite | common | both | only A | only B | neither | A rate (95% CI) | "
      "B rate (95% CI) | McNemar p |\n",
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  std::set<std::string> suites;
  for (const RunData* run : {&a, &b}) {
    for (const EvalRecord& r : run->records) suites.insert(r.suite);
  }
  std::string details;
  for (const std::string& suite : suites) {
    absl::flat_hash_map<std::string, bool> solved_b;
    for (const EvalRecord* r : OfSuite(b, suite)) solved_b[r->id] = r->solved;
    int common = 0, both = 0, neither = 0;
    std::vector<std::string> only_a, only_b;
    for (const EvalRecord* r : OfSuite(a, suite)) {
      auto it = solved_b.find(r->id);
      if (it == solved_b.end()) continue;
      ++common;
      if (r->solved && it->second) ++both;
      if (!r->solved && !it->second) ++neither;
      if (r->solved && !it->second) only_a.push_back(r->id);
      if (!r->solved && it->second) only_b.push_back(r->id);
    }
    const int solved_a = both + only_a.size(), solved_by_b = both + only_b.size();
    auto rate = [common](int solved) {
      return common == 0 ? std::string("–")
                         : absl::StrCat(Pct(solved, common), " (",
                                        Ci(WilsonInterval(solved, common), common), ")");
    };
    absl::StrAppend(&out, "| ", suite, " | ", common, " | ", both, " | ", only_a.size(), " | ",
                    only_b.size(), " | ", neither, " | ", rate(solved_a), " | ",
                    rate(solved_by_b), " | ",
                    absl::StrFormat("%.3g", McNemarExactP(only_a.size(), only_b.size())),
                    " |\n");
    std::sort(only_a.begin(), only_a.end());
    std::sort(only_b.begin(), only_b.end());
    if (!only_a.empty()) {
      absl::StrAppend(&details, "- ", suite, ", only A: ", absl::StrJoin(only_a, ", "), "\n");
    }
    if (!only_b.empty()) {
      absl::StrAppend(&details, "- ", suite, ", only B: ", absl::StrJoin(only_b, ", "), "\n");
    }
  }
  if (!details.empty()) absl::StrAppend(&out, "\n", details);
  return out;
}

}  // namespace thor::eval
