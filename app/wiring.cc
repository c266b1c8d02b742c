#include "app/wiring.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "lm_client/heuristic_policy.h"
#include "lm_client/policy_factory.h"
#include "provers/provers.h"

namespace thor {
namespace {

// Registers prover `module` as config.provers says: built from its options,
// listed as unavailable, or left out (see ProverModule::how_to_enable).
absl::Status AddProver(const ProverModule& module, const ServerConfig& config,
                       Registry& registry) {
  auto it = config.provers.find(module.name);
  const bool configured = it != config.provers.end();
  if (configured && !it->second.enabled && module.how_to_enable.empty()) return absl::OkStatus();
  if (!module.how_to_enable.empty() &&
      (!configured || !it->second.enabled || it->second.options.empty())) {
    registry.AddUnavailableBackend(module.name, module.how_to_enable);
    return absl::OkStatus();
  }
  absl::StatusOr<std::shared_ptr<ProverBackend>> backend = module.make_backend(
      configured ? it->second.options : "", absl::StrCat("config.provers.", module.name));
  if (!backend.ok()) return backend.status();
  registry.AddBackend(module.name, *std::move(backend));
  return absl::OkStatus();
}

// Reads a policy's options (config.policies.NAME) into PolicyOptions. Keys:
// base_url, model, api_key_env, max_tokens, top_p, stop, prompt_template,
// system_prompt, model_hammer_token, request_timeout_s, retries,
// heuristic_steps.
absl::StatusOr<PolicyOptions> ParsePolicyOptions(const std::string& name,
                                                 const std::string& text) {
  PolicyOptions options;
  nlohmann::json j = nlohmann::json::parse(text.empty() ? "{}" : text, nullptr, false);
  if (!j.is_object()) {
    return absl::InvalidArgumentError(absl::StrCat("config.policies.", name, ": not an object"));
  }
  for (auto o = j.begin(); o != j.end(); ++o) {
    const std::string where = absl::StrCat("config.policies.", name, ".", o.key());
    const nlohmann::json& v = o.value();
    const std::string& k = o.key();
    auto need = [&](bool ok, const char* what) {
      return ok ? absl::OkStatus() : absl::InvalidArgumentError(where + ": must be " + what);
    };
    absl::Status s;
    if (k == "kind") {
      continue;
    } else if (k == "base_url" || k == "model" || k == "api_key_env" || k == "prompt_template" ||
               k == "system_prompt" || k == "model_hammer_token") {
      s = need(v.is_string(), "a string");
      if (s.ok()) {
        std::string val = v.get<std::string>();
        if (k == "base_url") options.base_url = val;
        if (k == "model") options.model = val;
        if (k == "api_key_env") options.api_key_env = val;
        if (k == "prompt_template") options.prompt_template = val;
        if (k == "system_prompt") options.system_prompt = val;
        if (k == "model_hammer_token") options.model_hammer_token = val;
      }
    } else if (k == "max_tokens" || k == "retries") {
      s = need(v.is_number_integer() && v.get<int>() >= 0, "an integer >= 0");
      if (s.ok()) (k == "max_tokens" ? options.max_tokens : options.http.retries) = v.get<int>();
    } else if (k == "top_p" || k == "request_timeout_s") {
      s = need(v.is_number() && v.get<double>() > 0, "a number > 0");
      if (s.ok() && k == "top_p") options.top_p = v.get<double>();
      if (s.ok() && k == "request_timeout_s") {
        options.http.request_timeout = absl::Seconds(v.get<double>());
      }
    } else if (k == "stop" || k == "heuristic_steps") {
      bool ok = v.is_array();
      for (const auto& e : v) ok = ok && e.is_string();
      s = need(ok, "an array of strings");
      if (s.ok()) {
        (k == "stop" ? options.stop : options.heuristic_steps) = v.get<std::vector<std::string>>();
      }
    } else {
      s = absl::InvalidArgumentError(where + ": unknown key");
    }
    if (!s.ok()) return s;
  }
  return options;
}

RegistryHook& Hook() {
  static RegistryHook* hook = new RegistryHook();
  return *hook;
}

}  // namespace

void SetRegistryHook(RegistryHook hook) { Hook() = std::move(hook); }

absl::StatusOr<std::shared_ptr<Registry>> BuildRegistry(const ServerConfig& config) {
  auto registry = std::make_shared<Registry>();
  registry->AddPolicy("heuristic", std::make_shared<HeuristicPolicy>(AllProverHeuristics()));
  for (const auto& [name, spec] : config.policies) {
    absl::StatusOr<PolicyOptions> options = ParsePolicyOptions(name, spec.options);
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
