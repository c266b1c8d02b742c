#include "eval/run_info.h"

#include <fstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/build_info.h"
#include "common/env.h"
#include "provers/provers.h"

namespace thor::eval {
namespace {

using nlohmann::json;

// "model name : Intel(R) Xeon(R) ..." of /proc/cpuinfo, or "".
std::string CpuModel() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (absl::StartsWith(line, "model name")) {
      size_t colon = line.find(':');
      if (colon != std::string::npos) {
        return std::string(absl::StripAsciiWhitespace(line.substr(colon + 1)));
      }
    }
  }
  return "";
}

std::string FirstLine(const std::string& text) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (!line.empty()) return std::string(line.substr(0, 200));  // Bounded, whatever it prints.
  }
  return "";
}

// "12" for whole numbers, else as JSON prints doubles.
std::string Value(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_float() && v.get<double>() == static_cast<int64_t>(v.get<double>())) {
    return absl::StrCat(static_cast<int64_t>(v.get<double>()));
  }
  return v.dump();
}

std::string Field(const json& run, const char* key, const std::string& missing = "–") {
  auto it = run.find(key);
  if (it == run.end() || it->is_null()) return missing;
  std::string v = Value(*it);
  return v.empty() ? missing : v;
}

}  // namespace

json EffectiveSearchConfig(const v1::SearchConfig& c, const thor::SearchConfig& d) {
  auto secs = [](absl::Duration x) { return absl::ToDoubleSeconds(x); };
  json j;
  j["queue_size"] = c.has_queue_size() ? static_cast<int>(c.queue_size()) : d.queue_size;
  j["temperature"] = c.has_temperature() ? c.temperature() : d.temperature;
  j["max_model_queries"] =
      c.has_max_model_queries() ? static_cast<int>(c.max_model_queries()) : d.max_model_queries;
  j["wall_time_s"] = c.has_wall_time_s() ? c.wall_time_s() : secs(d.wall_time);
  j["step_timeout_s"] = c.has_step_timeout_s() ? c.step_timeout_s() : secs(d.step_timeout);
  j["hammer_timeout_s"] =
      c.has_hammer_timeout_s() ? c.hammer_timeout_s() : secs(d.hammer_timeout);
  j["samples_per_query"] =
      c.has_samples_per_query() ? static_cast<int>(c.samples_per_query()) : d.samples_per_query;
  j["max_inflight_queries"] = c.has_max_inflight_queries()
                                  ? static_cast<int>(c.max_inflight_queries())
                                  : d.max_inflight_queries;
  j["max_inflight_steps"] = c.has_max_inflight_steps()
                                ? static_cast<int>(c.max_inflight_steps())
                                : d.max_inflight_steps;
  j["sequential"] = c.sequential() || d.sequential;
  j["reproducible"] = c.reproducible() || d.reproducible;
  j["skip_recheck"] = c.skip_recheck() || d.skip_recheck;
  j["seed"] = c.seed();
  j["policy"] = c.policy();
  j["hammer_token"] = c.hammer_token().empty() ? d.hammer_token : c.hammer_token();
  j["root_hammer_place"] = c.has_root_hammer_place() ? c.root_hammer_place() : d.root_hammer_place;
  return j;
}

json ToolVersions(const std::vector<std::string>& provers, Env* env, absl::Duration timeout) {
  if (env == nullptr) env = Env::Default();
  json out = json::object();
  for (const std::string& name : provers) {
    const ProverModule* module = FindProver(name);
    if (module == nullptr) continue;
    for (const std::vector<std::string>& argv : module->version_commands) {
      if (argv.empty() || out.contains(argv[0])) continue;
      SubprocessOptions opts;
      opts.argv = argv;
      absl::StatusOr<RunResult> r = env->Run(opts, "", timeout, nullptr);
      std::string version;
      if (absl::IsNotFound(r.status())) {
        version = "not installed";
      } else if (!r.ok()) {
        version = absl::StrCat("unknown (", r.status().message(), ")");
      } else if (r->timed_out) {
        version = "unknown (no answer within the timeout)";
      } else {
        version = FirstLine(r->out);
        if (version.empty()) version = FirstLine(r->err);
        if (r->exit_code != 0 || version.empty()) {
          version = absl::StrCat("unknown (exit ", r->exit_code, ")",
                                 version.empty() ? "" : ": ", version);
        }
      }
      out[argv[0]] = version;
    }
  }
  return out;
}

json MakeRunRecord(const RunInfo& info, Env* env) {
  if (env == nullptr) env = Env::Default();
  json j;
  j["record"] = "run";
  j["started_utc"] = absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", env->Now(), absl::UTCTimeZone());
  j["thor_version"] = ThorVersion();
  j["thor_commit"] = ThorCommit();
  j["machine"] = {{"cores", std::thread::hardware_concurrency()}, {"cpu", CpuModel()}};
  j["suite"] = info.suite;
  j["suite_version"] = info.suite_version;
  j["shard"] = info.shard;
  j["limit"] = info.limit;
  j["theorems"] = info.theorems;
  if (info.records_before > 0) j["records_before"] = info.records_before;
  j["config_hash"] = info.config_hash;
  j["budget"] = info.budget;
  j["search_config"] = EffectiveSearchConfig(info.config, info.defaults);
  j["search_defaults"] = info.defaults_known ? "the in-process server's"
                                             : "Thor's (a remote server's may differ)";
  j["policy"] = info.policy.empty() ? "the server's default" : info.policy;
  j["model"] = info.model;
  j["servers"] = info.servers;
  j["concurrency"] = info.concurrency;
  j["provers"] = info.provers;
  j["tools"] = ToolVersions(info.provers, env);
  j["tools_from"] = info.defaults_known ? "this machine (the in-process server's)"
                                        : "the client's machine (remote servers may differ)";
  return j;
}

std::string DescribeRunRecord(const json& run) {
  std::string out;
  absl::StrAppend(&out, "- started ", Field(run, "started_utc"), " by thor ",
                  Field(run, "thor_version", "unknown"), " (commit ",
                  Field(run, "thor_commit", "unknown"), ")");
  if (auto m = run.find("machine"); m != run.end() && m->is_object()) {
    absl::StrAppend(&out, " on ", Field(*m, "cores", "?"), " cores",
                    Field(*m, "cpu", "").empty() ? "" : absl::StrCat(" (", Field(*m, "cpu", ""), ")"));
  }
  absl::StrAppend(&out, "\n- suite ", Field(run, "suite"));
  if (std::string v = Field(run, "suite_version", ""); !v.empty()) {
    absl::StrAppend(&out, " (version ", v, ")");
  }
  absl::StrAppend(&out, ", shard ", Field(run, "shard"), ", limit ", Field(run, "limit"), ": ",
                  Field(run, "theorems", "?"), " theorems");
  if (run.contains("records_before")) {
    absl::StrAppend(&out, " (recorded when resuming a file that held ",
                    Field(run, "records_before"), " results and no run record)");
  }
  absl::StrAppend(&out, "\n- policy ", Field(run, "policy"));
  if (auto m = run.find("model"); m != run.end() && m->is_object() && !m->empty()) {
    std::vector<std::string> parts;
    for (const auto& [k, v] : m->items()) parts.push_back(absl::StrCat(k, " ", Value(v)));
    absl::StrAppend(&out, "; model: ", absl::StrJoin(parts, ", "));
  }
  absl::StrAppend(&out, "\n- budget `", Field(run, "budget", ""), "`");
  if (auto c = run.find("search_config"); c != run.end() && c->is_object()) {
    std::vector<std::string> parts;
    for (const auto& [k, v] : c->items()) {
      if (k != "policy") parts.push_back(absl::StrCat(k, "=", Value(v)));
    }
    absl::StrAppend(&out, ": ", absl::StrJoin(parts, ", "), " (unset fields: ",
                    Field(run, "search_defaults", "?"), " defaults)");
  }
  absl::StrAppend(&out, "\n- servers ");
  if (auto s = run.find("servers"); s != run.end() && s->is_array()) {
    std::vector<std::string> parts;
    for (const json& v : *s) parts.push_back(Value(v));
    absl::StrAppend(&out, absl::StrJoin(parts, ","));
  }
  absl::StrAppend(&out, ", concurrency ", Field(run, "concurrency"));
  if (auto t = run.find("tools"); t != run.end() && t->is_object() && !t->empty()) {
    std::vector<std::string> parts;
    for (const auto& [k, v] : t->items()) parts.push_back(absl::StrCat(k, ": ", Value(v)));
    absl::StrAppend(&out, "\n- tools on ", Field(run, "tools_from", "?"), ": ",
                    absl::StrJoin(parts, "; "));
  }
  absl::StrAppend(&out, "\n- configuration hash ", Field(run, "config_hash"), "\n");
  return out;
}

}  // namespace thor::eval
