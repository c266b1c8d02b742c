#include "extract/records.h"

#include <nlohmann/json.hpp>

#include "absl/status/status.h"

namespace thor::extract {
namespace {

// Keys keep the order written here (kind first), for people reading the export.
using json = nlohmann::ordered_json;

json GoalsJson(const std::vector<StructuredGoal>& goals) {
  json out = json::array();
  for (const StructuredGoal& g : goals) {
    json hyps = json::array();
    for (const GoalHypothesis& h : g.hypotheses) {
      json jh = {{"names", h.names}, {"type", h.type}};
      if (!h.body.empty()) jh["body"] = h.body;
      hyps.push_back(std::move(jh));
    }
    out.push_back(json{{"hypotheses", std::move(hyps)}, {"conclusion", g.conclusion}});
  }
  return out;
}

json StateJson(const StateRecord& s) { return {{"text", s.text}, {"goals", GoalsJson(s.goals)}}; }

// Invalid UTF-8 in a prover's output must not abort the whole export: such
// bytes are replaced (U+FFFD) rather than thrown about.
std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

std::string ToJsonLine(const StepRecord& r) {
  return Dump({{"kind", "step"},
               {"file", r.file},
               {"theorem", r.theorem},
               {"index", r.index},
               {"line", r.line},
               {"before", StateJson(r.before)},
               {"tactic", r.tactic},
               {"after", StateJson(r.after)},
               {"finished", r.finished},
               {"constants", r.constants}});
}

std::string ToJsonLine(const TheoremRecord& r) {
  return Dump({{"kind", "theorem"},
               {"file", r.file},
               {"theorem", r.theorem},
               {"line", r.line},
               {"statement", r.statement},
               {"end", r.end},
               {"steps", r.steps},
               {"dependencies", r.dependencies}});
}

std::string ToJsonLine(const FileRecord& r) {
  json j = {{"kind", "file"},
            {"file", r.file},
            {"status", r.status.ok() ? "ok" : "error"},
            {"theorems", r.theorems},
            {"steps", r.steps},
            {"elapsed_s", absl::ToDoubleSeconds(r.elapsed)}};
  if (!r.status.ok()) {
    j["error_code"] = absl::StatusCodeToString(r.status.code());
    j["error"] = std::string(r.status.message());
  }
  return Dump(j);
}

std::string ToJsonLines(const FileTrace& trace) {
  std::string out;
  for (const TheoremTrace& t : trace.theorems) {
    out += ToJsonLine(t.theorem);
    out += '\n';
    for (const StepRecord& s : t.steps) {
      out += ToJsonLine(s);
      out += '\n';
    }
  }
  out += ToJsonLine(trace.file);
  out += '\n';
  return out;
}

bool ParseFileRecord(absl::string_view line, std::string* file) {
  // Cheap pre-check: most lines are steps.
  if (line.find("\"kind\":\"file\"") == absl::string_view::npos) return false;
  json j = json::parse(line.begin(), line.end(), nullptr, false);
  if (!j.is_object() || j.value("kind", "") != "file" || !j.contains("file") ||
      !j["file"].is_string()) {
    return false;
  }
  *file = j["file"].get<std::string>();
  return true;
}

}  // namespace thor::extract
