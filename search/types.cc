#include "search/types.h"

namespace thor {

const char* StepKindName(StepKind kind) {
  switch (kind) {
    case StepKind::kNewState:
      return "new_state";
    case StepKind::kProofFinished:
      return "proof_finished";
    case StepKind::kStepError:
      return "step_error";
    case StepKind::kTimeout:
      return "timeout";
    case StepKind::kProverLost:
      return "prover_lost";
    case StepKind::kRefused:
      return "refused";
  }
  return "unknown";
}

}  // namespace thor
