// Loading runs for reports: results files, their run records, shards merged.
#include <algorithm>
#include <set>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "eval/report.h"
#include "eval/suite.h"

namespace thor::eval {
namespace {

// "coq-stdlib-shard1" -> "coq-stdlib", "r.0" -> "r": a name without the
// digits, separators and "shard"/"of" words shards usually end with.
std::string WithoutShardSuffix(const std::string& name) {
  std::string s = name;
  for (bool changed = true; changed && !s.empty();) {
    changed = false;
    while (!s.empty() && (absl::ascii_isdigit(s.back()) || s.back() == '-' || s.back() == '_' ||
                          s.back() == '.')) {
      s.pop_back();
      changed = true;
    }
    for (const char* word : {"shard", "of"}) {
      if (absl::EndsWithIgnoreCase(s, word)) {
        s.resize(s.size() - std::string(word).size());
        changed = true;
      }
    }
  }
  return s.empty() ? name : s;
}

// The shard group of a file: "suite|hash|n" and its index, when its one run
// record names a shard "i/n" with n > 1.
bool ShardOf(const RunData& run, std::string* group, int* index) {
  if (run.runs.size() != 1) return false;
  const nlohmann::json& r = run.runs[0];
  int i = 0, n = 0;
  if (!ParseShard(r.value("shard", ""), &i, &n).ok() || n <= 1) return false;
  *group = absl::StrCat(r.value("suite", ""), "|", r.value("config_hash", ""), "|", n);
  *index = i;
  return true;
}

void Merge(RunData* into, RunData&& shard) {
  absl::flat_hash_set<std::string> seen;
  for (const EvalRecord& r : into->records) seen.insert(r.id);
  for (EvalRecord& r : shard.records) {
    if (seen.insert(r.id).second) into->records.push_back(std::move(r));
  }
  for (nlohmann::json& r : shard.runs) into->runs.push_back(std::move(r));
  for (const auto& [suite, n] : shard.expected) into->expected[suite] += n;
  into->torn_tail_bytes += shard.torn_tail_bytes;
  into->bad_lines += shard.bad_lines;
  absl::StrAppend(&into->path, ", ", shard.path);
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
  run.runs = std::move(contents->runs);
  // One run record per file (written once), so no double count here.
  for (const nlohmann::json& r : run.runs) {
    auto theorems = r.find("theorems");
    if (theorems != r.end() && theorems->is_number_integer()) {
      run.expected[r.value("suite", "")] = theorems->get<int>();
    }
  }
  return run;
}

absl::StatusOr<std::vector<RunData>> LoadRuns(const std::vector<std::string>& paths) {
  std::vector<RunData> loaded;
  for (const std::string& path : paths) {
    absl::StatusOr<RunData> run = LoadRun(path);
    if (!run.ok()) return run.status();
    loaded.push_back(*std::move(run));
  }
  // Group the shards; a group merges only if its indices are distinct.
  std::map<std::string, std::vector<size_t>> groups;
  std::vector<std::string> group_of(loaded.size());
  for (size_t i = 0; i < loaded.size(); ++i) {
    int index = 0;
    if (ShardOf(loaded[i], &group_of[i], &index)) groups[group_of[i]].push_back(i);
  }
  for (auto& [key, members] : groups) {
    std::set<int> indices;
    for (size_t m : members) {
      std::string g;
      int index = 0;
      ShardOf(loaded[m], &g, &index);
      indices.insert(index);
    }
    if (members.size() < 2 || indices.size() != members.size()) members.clear();
  }
  std::vector<RunData> out;
  std::vector<bool> merged(loaded.size(), false);
  for (size_t i = 0; i < loaded.size(); ++i) {
    if (merged[i]) continue;
    auto g = groups.find(group_of[i]);
    if (group_of[i].empty() || g == groups.end() || g->second.empty()) {
      out.push_back(std::move(loaded[i]));
      continue;
    }
    RunData run = std::move(loaded[i]);
    run.name = WithoutShardSuffix(run.name);
    for (size_t m : g->second) {
      if (m == i) continue;
      Merge(&run, std::move(loaded[m]));
      merged[m] = true;
    }
    out.push_back(std::move(run));
  }
  return out;
}

bool IsPartial(const RunData& run, const std::string& suite) {
  auto it = run.expected.find(suite);
  if (it == run.expected.end()) return false;
  int have = 0;
  for (const EvalRecord& r : run.records) have += r.suite == suite;
  return have < it->second;
}

PaperFigures PaperFiguresFor(const std::string& suite) {
  for (const SuiteInfo& s : KnownSuites()) {
    if (s.name == suite) return {s.paper_thor, s.paper_hammer};
  }
  return {};
}

std::vector<SuiteRow> SuiteRows(const std::vector<RunData>& runs) {
  std::set<std::string> suites;
  for (const RunData& run : runs) {
    for (const EvalRecord& r : run.records) suites.insert(r.suite);
    for (const auto& [suite, n] : run.expected) suites.insert(suite);
  }
  std::vector<SuiteRow> rows;
  for (const std::string& suite : suites) {
    const PaperFigures paper = PaperFiguresFor(suite);
    for (const RunData& run : runs) {
      SuiteRow row;
      row.suite = suite;
      row.run = run.name;
      row.paper = paper;
      auto e = run.expected.find(suite);
      if (e != run.expected.end()) row.expected = e->second;
      for (const EvalRecord& r : run.records) {
        if (r.suite != suite) continue;
        ++row.total;
        if (!r.solved) continue;
        ++row.solved;
        row.rechecked += r.recheck == "RECHECK_PASSED";
        row.used_hammer += r.used_hammer;
      }
      if (row.total == 0 && row.expected < 0) continue;  // The run has nothing of it.
      row.ci = WilsonInterval(row.solved, row.total);
      rows.push_back(row);
    }
  }
  return rows;
}

absl::StatusOr<ReportFormat> ParseReportFormat(const std::string& text) {
  if (text == "md" || text == "markdown") return ReportFormat::kMarkdown;
  if (text == "csv") return ReportFormat::kCsv;
  if (text == "latex") return ReportFormat::kLatex;
  return absl::InvalidArgumentError(
      absl::StrCat("--format must be md, csv or latex (got '", text, "')"));
}

}  // namespace thor::eval
