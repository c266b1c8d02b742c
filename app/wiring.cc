#include "app/wiring.h"

#include "absl/strings/str_cat.h"
#include "lm_client/policy_config.h"
#include "lm_client/policy_factory.h"
#include "provers/provers.h"

namespace thor {
namespace {

// Registers prover `module` as config.provers says: built from its options,
// listed as unavailable, or left out (see ProverModule::how_to_enable).
absl::Status AddProver(const ProverModule& module, const ServerConfig& config,
                       Registry& registry) {
  BackendContext context;
  context.hammer = registry.hammer();
  auto it = config.provers.find(module.name);
  const bool configured = it != config.provers.end();
  if (configured && !it->second.enabled && module.how_to_enable.empty()) return absl::OkStatus();
  if (!module.how_to_enable.empty() &&
      (!configured || !it->second.enabled || it->second.options.empty())) {
    registry.AddUnavailableBackend(module.name, module.how_to_enable);
    return absl::OkStatus();
  }
  absl::StatusOr<std::shared_ptr<ProverBackend>> backend = module.make_backend(
      configured ? it->second.options : "", absl::StrCat("config.provers.", module.name), context);
  if (!backend.ok()) return backend.status();
  registry.AddBackend(module.name, *std::move(backend));
  return absl::OkStatus();
}

RegistryHook& Hook() {
  static RegistryHook* hook = new RegistryHook();
  return *hook;
}

}  // namespace

void SetRegistryHook(RegistryHook hook) { Hook() = std::move(hook); }

absl::StatusOr<std::shared_ptr<Registry>> BuildRegistry(const ServerConfig& config) {
  auto registry = std::make_shared<Registry>();
  for (const std::string& name : ModelFreePolicyNames()) {
    PolicyOptions options;
    options.prover_heuristics = AllProverHeuristics();
    absl::StatusOr<std::unique_ptr<Policy>> policy = MakePolicy(name, options);
    if (!policy.ok()) return policy.status();
    registry->AddPolicy(name, std::shared_ptr<Policy>(std::move(*policy)));
  }
  for (const auto& [name, spec] : config.policies) {
    absl::StatusOr<PolicyOptions> options =
        ParsePolicyOptions(spec.options, absl::StrCat("config.policies.", name));
    if (!options.ok()) return options.status();
    options->prover_heuristics = AllProverHeuristics();
    absl::StatusOr<std::unique_ptr<Policy>> policy = MakePolicy(spec.kind, *options);
    if (!policy.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("config.policies.", name, ".kind: ",
                                                     policy.status().message()));
    }
    registry->AddPolicy(name, std::shared_ptr<Policy>(std::move(*policy)));
  }
  for (const auto& [name, spec] : config.provers) {
    if (FindProver(name) == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("config.provers.", name.substr(0, 64),
                                                     ": unknown prover (available: ",
                                                     ProverNamesJoined(), ")"));
    }
  }
  for (const ProverModule& module : AllProvers()) {
    if (absl::Status s = AddProver(module, config, *registry); !s.ok()) return s;
  }
  if (Hook()) {
    if (absl::Status s = Hook()(config, *registry); !s.ok()) return s;
  }
  registry->SetDefaultPolicy(config.default_policy);
  if (absl::Status s = registry->GetPolicy("", "config.default_policy").status(); !s.ok()) {
    return s;
  }
  return registry;
}

}  // namespace thor
