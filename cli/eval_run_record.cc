#include "cli/eval_run_record.h"

#include <set>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "eval/budget.h"
#include "eval/run_info.h"
#include "provers/provers.h"

// Defined in cmd_eval.cc.
ABSL_DECLARE_FLAG(std::string, budget);
ABSL_DECLARE_FLAG(std::vector<std::string>, servers);
ABSL_DECLARE_FLAG(std::string, shard);
ABSL_DECLARE_FLAG(int, limit);

namespace thor {
namespace {

// What names the model of `policy` in `config`: its kind and the keys that
// say which model where, never a key, token or header.
nlohmann::json ModelOf(const std::string& policy, const ServerConfig& config) {
  auto it = config.policies.find(policy);
  if (it == config.policies.end()) return {{"kind", policy}};  // A built-in policy.
  nlohmann::json out = {{"kind", it->second.kind}};
  nlohmann::json options = nlohmann::json::parse(it->second.options, nullptr, false);
  if (options.is_object()) {
    for (const char* key : {"model", "base_url"}) {
      if (auto v = options.find(key); v != options.end() && v->is_string()) out[key] = *v;
    }
  }
  return out;
}

}  // namespace

absl::Status RecordRunIfNew(eval::ResultWriter* writer, const v1::SearchConfig& config,
                            const eval::RunnerOptions& options,
                            const std::vector<eval::SuiteTheorem>& theorems,
                            const ServerConfig* local_server) {
  if (!writer->existing().runs.empty()) return absl::OkStatus();
  eval::RunInfo info;
  info.budget = absl::GetFlag(FLAGS_budget);
  info.config = config;
  info.policy = config.policy();
  if (local_server != nullptr) {
    info.defaults = local_server->search_defaults;
    info.defaults_known = true;
    if (info.policy.empty()) info.policy = local_server->default_policy;
    info.model = ModelOf(info.policy, *local_server);
  }
  info.servers = absl::GetFlag(FLAGS_servers);
  info.concurrency = options.concurrency;
  info.suite = options.suite;
  info.suite_version = options.suite_version;
  info.config_hash = eval::ConfigHash(config, options.suite_version);
  info.shard = absl::GetFlag(FLAGS_shard);
  info.limit = absl::GetFlag(FLAGS_limit);
  info.theorems = theorems.size();
  info.records_before = writer->existing().records.size();
  std::set<std::string> provers;
  for (const eval::SuiteTheorem& t : theorems) {
    provers.insert(t.theorem.prover().empty() ? kDefaultProver : t.theorem.prover());
  }
  info.provers.assign(provers.begin(), provers.end());
  return writer->AppendRun(eval::MakeRunRecord(info));
}

}  // namespace thor
