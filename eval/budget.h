// --budget: the search configuration of an evaluation run, and its hash.
#ifndef THOR_EVAL_BUDGET_H_
#define THOR_EVAL_BUDGET_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "proto/thor/v1/thor.pb.h"

namespace thor::eval {

// A named budget: the SearchConfig fields it sets ("key=value,..."; none
// for `paper`, so the server's defaults, the paper's, apply) and what it is for.
struct BudgetPreset {
  std::string name;
  std::string fields;
  std::string note;
};

// paper (the default of --budget), quick, ci: the one table ParseBudget and
// `thor eval --help` are made from.
const std::vector<BudgetPreset>& BudgetPresets();
// Null if there is none by that name.
const BudgetPreset* FindPreset(const std::string& name);
// The presets with their values, one line each, for --help.
std::string BudgetPresetsHelp();

// Parses a budget into a SearchConfig. Accepted forms:
//   ""  or a preset name       the preset's fields (BudgetPresets()).
//   "<preset>,key=value,..."   a preset (optional) then SearchConfig fields by
//                              their proto names, e.g. "wall_time_s=30,policy=heuristic".
//   "{...}"                    a SearchConfig in proto JSON.
// InvalidArgument naming the bad key or value.
absl::StatusOr<thor::v1::SearchConfig> ParseBudget(const std::string& text);

// A stable hash of a configuration (same on every machine and run), as 16
// hex digits. Results record it; a resumed run must have the same one.
// `suite_version` (SuiteVersion(): which copy of the suite's data) is part of
// it when not empty; empty gives the hash of the search configuration alone.
std::string ConfigHash(const thor::v1::SearchConfig& config,
                       const std::string& suite_version = "");

// FNV-1a 64 of `data`: stable across processes, unlike absl::Hash.
uint64_t StableHash(const std::string& data);

// The seed of one theorem: 0 if `run_seed` is 0 (the server picks), else a
// mix of `run_seed` and the theorem id, never 0.
uint64_t TheoremSeed(uint64_t run_seed, const std::string& theorem_id);

}  // namespace thor::eval

#endif  // THOR_EVAL_BUDGET_H_
