#include "search/types.h"

#include <utility>

namespace thor {

const std::string& TheoremOptions::Get(std::string_view key) const {
  static const std::string* const kUnset = new std::string;
  auto it = values_.find(key);
  return it == values_.end() ? *kUnset : it->second;
}

void TheoremOptions::Set(std::string_view key, std::string value) {
  if (value.empty()) {
    auto it = values_.find(key);
    if (it != values_.end()) values_.erase(it);
    return;
  }
  values_.insert_or_assign(std::string(key), std::move(value));
}

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
