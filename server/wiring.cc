#include "server/wiring.h"

#include "absl/strings/str_cat.h"
#include "lm_client/heuristic_policy.h"

namespace thor {

absl::StatusOr<std::shared_ptr<Registry>> BuildRegistry(const ServerConfig& config) {
  auto registry = std::make_shared<Registry>();
  registry->AddPolicy("heuristic", std::make_shared<HeuristicPolicy>());
  for (const auto& [name, spec] : config.policies) {
    if (spec.kind == "heuristic") {
      registry->AddPolicy(name, std::make_shared<HeuristicPolicy>());
      continue;
    }
    return absl::InvalidArgumentError(absl::StrCat(
        "config.policies.", name, ".kind: unknown policy kind '", spec.kind,
        "' (available: heuristic)"));
  }
  for (const auto& [name, spec] : config.provers) {
    return absl::InvalidArgumentError(absl::StrCat(
        "config.provers.", name, ": unknown prover (available: none in this build)"));
  }
  registry->SetDefaultPolicy(config.default_policy);
  if (absl::Status s = registry->GetPolicy("", "config.default_policy").status(); !s.ok()) {
    return s;
  }
  return registry;
}

}  // namespace thor
