#include "hammer/schedule.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace thor::hammer {

const char* DefaultScheduleJson() {
  // Schedule B of bench/hammer_mptp (seed-1 sample, 10 s, 2 cores): cvc5 on
  // MeSh's top 64 first and longest, E beside it, then wider / other provers.
  return R"({"slices": [
    {"prover": "cvc5",  "selector": "mesh", "premises": 64,  "share": 0.6},
    {"prover": "e",     "selector": "mesh", "premises": 128, "share": 0.4},
    {"prover": "cvc5",  "selector": "mepo", "premises": 256, "share": 0.4},
    {"prover": "cvc4",  "selector": "mesh", "premises": 128, "share": 0.3},
    {"prover": "e",     "selector": "mepo", "premises": 32,  "share": 0.2},
    {"prover": "z3",    "selector": "mesh", "premises": 64,  "share": 0.2},
    {"prover": "spass", "selector": "mesh", "premises": 48,  "share": 0.2},
    {"prover": "vampire", "selector": "mesh", "premises": 256, "share": 0.5}
  ]})";
}

std::string Slice::Label() const {
  std::string s = absl::StrCat(ProverName(prover), "/", selector);
  absl::StrAppend(&s, premises > 0 ? absl::StrCat(premises) : std::string("all"));
  if (!args.empty()) absl::StrAppend(&s, "+", absl::StrJoin(args, "+"));
  return s;
}

absl::StatusOr<Schedule> ParseSchedule(const std::string& json_text) {
  nlohmann::json j = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object() || !j.contains("slices") || !j["slices"].is_array()) {
    return absl::InvalidArgumentError(
        "schedule: expected a JSON object {\"slices\": [...]}");
  }
  Schedule s;
  int n = 0;
  for (const auto& js : j["slices"]) {
    auto bad = [&](const std::string& what) {
      return absl::InvalidArgumentError(absl::StrCat("schedule slice ", n, ": ", what));
    };
    if (!js.is_object() || !js.contains("prover") || !js["prover"].is_string()) {
      return bad("needs \"prover\" (a string)");
    }
    auto prover = ProverFromName(js["prover"].get<std::string>());
    if (!prover.ok()) return bad(std::string(prover.status().message()));
    Slice slice;
    slice.prover = *prover;
    if (js.contains("selector")) {
      if (!js["selector"].is_string()) return bad("\"selector\" must be a string");
      slice.selector = js["selector"].get<std::string>();
      if (slice.selector != "mepo" && slice.selector != "knn" && slice.selector != "mesh" &&
          slice.selector != "none") {
        return bad("\"selector\" must be mepo, knn, mesh or none");
      }
    }
    if (js.contains("premises")) {
      if (!js["premises"].is_number_integer() || js["premises"].get<int>() < 0) {
        return bad("\"premises\" must be an integer >= 0");
      }
      slice.premises = js["premises"].get<int>();
    }
    if (js.contains("share")) {
      if (!js["share"].is_number() || js["share"].get<double>() <= 0 ||
          js["share"].get<double>() > 1) {
        return bad("\"share\" must be a number in (0, 1]");
      }
      slice.share = js["share"].get<double>();
    }
    if (js.contains("args")) {
      if (!js["args"].is_array()) return bad("\"args\" must be a list of strings");
      for (const auto& a : js["args"]) {
        if (!a.is_string()) return bad("\"args\" must be a list of strings");
        slice.args.push_back(a.get<std::string>());
      }
    }
    s.slices.push_back(std::move(slice));
    ++n;
  }
  if (s.slices.empty()) return absl::InvalidArgumentError("schedule: no slices");
  return s;
}

absl::StatusOr<Schedule> LoadSchedule(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("schedule file '", path, "' not found"));
  std::stringstream buf;
  buf << in.rdbuf();
  auto s = ParseSchedule(buf.str());
  if (!s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", s.status().message()));
  }
  return s;
}

const Schedule& DefaultSchedule() {
  static const Schedule* schedule = new Schedule(*ParseSchedule(DefaultScheduleJson()));
  return *schedule;
}

}  // namespace thor::hammer
