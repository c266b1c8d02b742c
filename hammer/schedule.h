// A portfolio schedule is data: a JSON list of slices, each one prover run
// on the top `premises` facts of a selector's ranking for `share` of the
// wall budget. Slices start in order, `parallelism` at a time.
//
//   {"slices": [
//     {"prover": "e",    "selector": "mesh", "premises": 128, "share": 0.5},
//     {"prover": "cvc5", "selector": "mepo", "premises": 64,  "share": 0.5,
//      "args": ["--full-saturate-quant"]}]}
//
// premises 0 = all of them (no selection); selector "none" = input order.
#ifndef THOR_HAMMER_SCHEDULE_H_
#define THOR_HAMMER_SCHEDULE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "hammer/atp.h"

namespace thor::hammer {

struct Slice {
  Prover prover = Prover::kE;
  std::string selector = "mesh";  // mepo | knn | mesh | none
  int premises = 0;               // 0 = all.
  double share = 1.0;             // Fraction of the call's wall budget.
  std::vector<std::string> args;  // Extra prover arguments.

  // "cvc5/mesh64", with "+args" when there are extra arguments.
  std::string Label() const;
};

struct Schedule {
  std::vector<Slice> slices;
};

// Parses the JSON above. InvalidArgument naming the bad slice and field.
absl::StatusOr<Schedule> ParseSchedule(const std::string& json_text);
// Reads and parses a schedule file; NotFound if missing.
absl::StatusOr<Schedule> LoadSchedule(const std::string& path);
// The built-in default (tuned on the MPTP2078 subset; see hammer/README.md).
const Schedule& DefaultSchedule();
// The JSON text of the built-in default.
const char* DefaultScheduleJson();

}  // namespace thor::hammer

#endif  // THOR_HAMMER_SCHEDULE_H_
