#include "coq_bridge/hammer_atp.h"

#include <fstream>

#include "common/cancel_watcher.h"

namespace thor::coq {
namespace {

// CoqHammer's export is already a premise selection (its own k-NN/naive
// Bayes) and needs its encoding axioms ($_typeof_, $adef_, ...), which a
// second selection drops: every slice takes the whole problem. cvc5 and
// cvc4 are robust on these problems; E is not (coqhammer_export.md, 4.2).
constexpr char kCoqSchedule[] = R"({"slices": [
  {"prover": "cvc5", "selector": "none", "premises": 0, "share": 1.0},
  {"prover": "cvc4", "selector": "none", "premises": 0, "share": 1.0},
  {"prover": "e",    "selector": "none", "premises": 0, "share": 0.5},
  {"prover": "cvc5", "selector": "mepo", "premises": 64, "share": 0.5}]})";

}  // namespace

const char* CoqExportSchedule() { return kCoqSchedule; }

AtpRunner MakeHammerAtpRunner(hammer::HammerOptions options) {
  return [options](const std::string& tptp, const std::string& dir, absl::Duration timeout,
                   const std::atomic<bool>* cancel) -> absl::StatusOr<hammer::HammerResult> {
    hammer::HammerOptions call_options = options;
    call_options.timeout = timeout;
    if (call_options.schedule_path.empty()) {
      call_options.schedule_path = dir + "/thor_coq_schedule.json";
      std::ofstream(call_options.schedule_path) << kCoqSchedule;
    }
    hammer::Hammer portfolio(call_options);
    CancelWatcher watcher(cancel, [&portfolio] { portfolio.Cancel(); });
    return portfolio.SolveText(tptp, dir);
  };
}

}  // namespace thor::coq
