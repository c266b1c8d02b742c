#include "coq_bridge/hammer_atp.h"

#include <memory>

#include "hammer/schedule.h"

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

AtpRunner MakeHammerAtpRunner(hammer::HammerOptions options,
                              std::shared_ptr<hammer::Hammer> hammer) {
  if (options.schedule == nullptr && options.schedule_path.empty()) {
    static const auto* const coq_schedule = new std::shared_ptr<const hammer::Schedule>(
        std::make_shared<const hammer::Schedule>(*hammer::ParseSchedule(kCoqSchedule)));
    options.schedule = *coq_schedule;
  }
  // Each export is self-contained in its own folder: nothing to keep.
  options.cache_includes = false;
  if (hammer == nullptr) hammer = std::make_shared<hammer::Hammer>(options);
  return [options, hammer](const std::string& tptp, const std::string& dir,
                           absl::Duration timeout,
                           const std::atomic<bool>* cancel) -> absl::StatusOr<hammer::HammerResult> {
    hammer::HammerOptions call_options = options;
    call_options.timeout = timeout;
    call_options.cancel = cancel;
    return hammer->SolveText(tptp, dir, call_options);
  };
}

}  // namespace thor::coq
