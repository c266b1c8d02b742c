// The run record of a results file: the configuration of a `thor eval` run
// written once, as the file's first line ({"record": "run", ...}), when the
// run starts on a file that has none. `thor eval report` prints it, so a
// table can be traced to the budget, policy, model, prover and ATP versions,
// Thor's commit and the machine that made it. Files without one (written
// before it existed) still resume and report.
#ifndef THOR_EVAL_RUN_INFO_H_
#define THOR_EVAL_RUN_INFO_H_

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/time/time.h"
#include "proto/thor/v1/thor.pb.h"
#include "search/types.h"

namespace thor {
class Env;  // common/env.h
}  // namespace thor

namespace thor::eval {

struct RunInfo {
  std::string budget;              // --budget as given.
  thor::v1::SearchConfig config;   // What each request carries (the run's seed included).
  // The values of the fields `config` leaves unset: an in-process server's
  // search_defaults, else Thor's defaults (remote servers may differ).
  thor::SearchConfig defaults;
  bool defaults_known = false;     // True for an in-process server.
  std::string policy;              // config.policy, else the server's default if known.
  // The policy's model settings (kind, model, base_url: never keys or
  // tokens), when the policy is defined in this process.
  nlohmann::json model = nlohmann::json::object();
  std::vector<std::string> servers;  // --servers as given.
  int concurrency = 0;
  std::string suite;
  std::string suite_version;
  std::string config_hash;
  std::string shard;               // "i/n"
  int limit = 0;
  int theorems = 0;                // Theorems this run selected (after shard and limit).
  int records_before = 0;          // Results the file held already (a header-less file).
  std::vector<std::string> provers;  // Provers of those theorems.
};

// The run record for `info`: the fields above plus "record": "run", the
// start time (UTC, from `env`'s clock), Thor's version and commit
// (common/build_info.h), the machine's cores and CPU, the effective value of
// every SearchConfig field, and ToolVersions(info.provers). `env` null:
// Env::Default().
nlohmann::json MakeRunRecord(const RunInfo& info, Env* env = nullptr);

// The first line of output of each version command of `provers`' modules
// (ProverModule::version_commands), by program: "not installed" when it is
// not on PATH, "unknown (...)" when it fails or takes over `timeout`.
nlohmann::json ToolVersions(const std::vector<std::string>& provers, Env* env,
                            absl::Duration timeout = absl::Seconds(5));

// Every SearchConfig field by its proto name with the value a search uses:
// the field of `config` when set, else of `defaults`.
nlohmann::json EffectiveSearchConfig(const thor::v1::SearchConfig& config,
                                     const thor::SearchConfig& defaults);

// The Markdown lines `thor eval report` prints for a run record.
std::string DescribeRunRecord(const nlohmann::json& run);

}  // namespace thor::eval

#endif  // THOR_EVAL_RUN_INFO_H_
