#include "eval/report.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "eval/suite.h"

namespace thor::eval {
namespace {

std::string Pct(int part, int whole) {
  return whole > 0 ? absl::StrFormat("%.1f%%", 100.0 * part / whole) : "–";
}

std::string Figure(const std::optional<double>& v) {
  return v ? absl::StrFormat("%.1f%%", *v) : "–";
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

std::set<std::string> Suites(const std::vector<RunData>& runs) {
  std::set<std::string> out;
  for (const RunData& run : runs) {
    for (const EvalRecord& r : run.records) out.insert(r.suite);
  }
  return out;
}

void SuiteSection(const std::string& suite, const std::vector<RunData>& runs,
                  std::string* out) {
  PaperFigures paper = PaperFiguresFor(suite);
  absl::StrAppend(out, "## ", suite.empty() ? "(no suite)" : suite, "\n\n",
                  "| run | solved / total | rate | re-checked | used hammer | "
                  "Thor (paper) | Sledgehammer (paper) |\n"
                  "|---|---:|---:|---:|---:|---:|---:|\n");
  std::string outcomes, times;
  for (const RunData& run : runs) {
    std::vector<const EvalRecord*> rs = OfSuite(run, suite);
    if (rs.empty()) continue;
    int solved = 0, rechecked = 0, hammer = 0;
    std::map<std::string, int> by_status;
    std::vector<double> solve_times;
    for (const EvalRecord* r : rs) {
      ++by_status[r->status];
      if (!r->solved) continue;
      ++solved;
      rechecked += r->recheck == "RECHECK_PASSED";
      hammer += r->used_hammer;
      solve_times.push_back(ResultSeconds(*r));
    }
    int total = rs.size();
    absl::StrAppend(out, "| ", run.name, " | ", solved, " / ", total, " | ",
                    Pct(solved, total), " | ", rechecked, " | ", hammer, " (",
                    Pct(hammer, solved), ") | ", Figure(paper.thor), " | ",
                    Figure(paper.sledgehammer), " |\n");
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
  absl::StrAppend(out, "\nOutcomes:\n", outcomes,
                  "\nTime to a proof (solved theorems only):\n\n"
                  "| run | median | p90 | max | ≤ 10 s | 10–60 s | 60–300 s | > 300 s |\n"
                  "|---|---:|---:|---:|---:|---:|---:|---:|\n",
                  times, "\n");
}

}  // namespace

double ResultSeconds(const EvalRecord& r) {
  if (auto it = r.stats.find("wall_s"); it != r.stats.end() && it->is_number()) {
    double s = it->get<double>();
    if (s > 0) return s;
  }
  return r.wall_s;
}

absl::StatusOr<RunData> LoadRun(const std::string& path) {
  absl::StatusOr<ResultFileContents> contents = ReadResultFile(path);
  if (!contents.ok()) return contents.status();
  RunData run;
  run.path = path;
  run.name = path.substr(path.find_last_of('/') + 1);
  if (absl::EndsWith(run.name, ".jsonl")) run.name.resize(run.name.size() - 6);
  run.torn_tail_bytes = contents->torn_tail_bytes;
  run.bad_lines = contents->bad_lines;
  absl::flat_hash_set<std::string> seen;
  for (EvalRecord& r : contents->records) {
    if (seen.insert(r.id).second) run.records.push_back(std::move(r));
  }
  return run;
}

PaperFigures PaperFiguresFor(const std::string& suite) {
  for (const SuiteInfo& s : KnownSuites()) {
    if (s.name == suite) return {s.paper_thor, s.paper_hammer};
  }
  return {};
}

std::string RenderReport(const std::vector<RunData>& runs) {
  std::string out = "# Thor evaluation report\n\n";
  for (const RunData& run : runs) {
    absl::StrAppend(&out, "- `", run.name, "`: ", run.records.size(), " results from ",
                    run.path);
    if (run.torn_tail_bytes > 0 || run.bad_lines > 0) {
      absl::StrAppend(&out, " (ignored: ", run.bad_lines, " bad lines, ",
                      run.torn_tail_bytes, " bytes of a torn last line)");
    }
    absl::StrAppend(&out, "\n");
  }
  absl::StrAppend(&out,
                  "\nSolved = PROVED (re-checked by the kernel, resting on no axiom beyond "
                  "the allowed ones; PROVED_UNCHECKED does not count); re-checked = a fresh "
                  "prover accepted the proof. Paper figures: Thor (Jiang et al., NeurIPS 2022) "
                  "and Sledgehammer alone, pass@1.\n\n");
  for (const std::string& suite : Suites(runs)) SuiteSection(suite, runs, &out);
  return out;
}

std::string RenderComparison(const RunData& a, const RunData& b) {
  std::string out = absl::StrCat("# Comparison: ", a.name, " (A) vs ", b.name, " (B)\n\n",
                                 "| suite | common | both | only A | only B | neither |\n",
                                 "|---|---:|---:|---:|---:|---:|\n");
  std::string details;
  for (const std::string& suite : Suites({a, b})) {
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
    absl::StrAppend(&out, "| ", suite, " | ", common, " | ", both, " | ", only_a.size(),
                    " | ", only_b.size(), " | ", neither, " |\n");
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
