#include "coq_bridge/hammer_atp.h"

#include <fstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"

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
                   const std::atomic<bool>* cancel) -> absl::StatusOr<AtpOutcome> {
    hammer::HammerOptions call_options = options;
    call_options.timeout = timeout;
    if (call_options.schedule_path.empty()) {
      call_options.schedule_path = dir + "/thor_coq_schedule.json";
      std::ofstream(call_options.schedule_path) << kCoqSchedule;
    }
    hammer::Hammer portfolio(call_options);
    absl::Notification finished;
    std::thread watcher([&] {
      while (!finished.WaitForNotificationWithTimeout(absl::Milliseconds(50))) {
        if (cancel != nullptr && cancel->load()) {
          portfolio.Cancel();
          return;
        }
      }
    });
    absl::StatusOr<hammer::HammerResult> r = portfolio.SolveText(tptp, dir);
    finished.Notify();
    watcher.join();
    if (!r.ok()) return r.status();
    AtpOutcome outcome;
    outcome.proved = r->status == hammer::AtpStatus::kProved;
    outcome.slice = r->slice;
    outcome.premises = r->used_premises;
    outcome.message = absl::StrCat(hammer::AtpStatusName(r->status), ": ", r->message);
    return outcome;
  };
}

}  // namespace thor::coq
