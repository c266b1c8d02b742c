#include "server/wiring.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "coq_bridge/coq_backend.h"
#include "coq_bridge/hammer_atp.h"
#include "isabelle_bridge/backend.h"
#include "lm_client/heuristic_policy.h"
#include "lm_client/policy_factory.h"
#include "provers/provers.h"

namespace thor {
namespace {

// Coq is offered unless disabled: coqtop and coqc from Debian (sessions say
// how to install them when missing). Options: coqtop, coqc, hammer
// ("native", "external" or "both"; default external: CoqHammer's export ->
// Thor's portfolio -> sauto-family reconstruction solved more than the native
// hammer in bench/coq_suite), warm_hammer, max_idle_processes,
// spare_processes, default_timeout_s, native_gs_mode.
absl::Status AddCoq(const ServerConfig& config, Registry& registry) {
  coq::CoqConfig coq;
  coq.hammer_mode = coq::HammerMode::kExternal;
  auto it = config.provers.find("coq");
  if (it != config.provers.end()) {
    if (!it->second.enabled) return absl::OkStatus();
    nlohmann::json j = nlohmann::json::parse(it->second.options.empty() ? "{}"
                                                                        : it->second.options,
                                             nullptr, false);
    for (auto o = j.begin(); j.is_object() && o != j.end(); ++o) {
      const std::string where = absl::StrCat("config.provers.coq.", o.key());
      const nlohmann::json& v = o.value();
      if (o.key() == "enabled") continue;
      if (o.key() == "warm_hammer") {
        if (!v.is_boolean()) return absl::InvalidArgumentError(where + ": must be true or false");
        coq.warm_hammer = v.get<bool>();
        continue;
      }
      if ((o.key() == "coqtop" || o.key() == "coqc" || o.key() == "coqchk" || o.key() == "sandbox" ||
           o.key() == "hammer") && !v.is_string()) {
        return absl::InvalidArgumentError(where + ": must be a string");
      }
      if ((o.key() == "max_idle_processes" || o.key() == "default_timeout_s" ||
           o.key() == "native_gs_mode" || o.key() == "spare_processes") &&
          (!v.is_number_integer() || v.get<int>() < 0)) {
        return absl::InvalidArgumentError(where + ": must be an integer >= 0");
      }
      if (o.key() == "coqtop") {
        coq.coqtop = v.get<std::string>();
      } else if (o.key() == "coqc") {
        coq.coqc = v.get<std::string>();
      } else if (o.key() == "coqchk") {
        coq.coqchk = v.get<std::string>();
      } else if (o.key() == "sandbox") {
        absl::StatusOr<SandboxMode> mode = ParseSandboxMode(v.get<std::string>());
        if (!mode.ok()) return absl::InvalidArgumentError(absl::StrCat(where, ": ", mode.status().message()));
        coq.sandbox = *mode;
      } else if (o.key() == "hammer") {
        absl::StatusOr<coq::HammerMode> mode = coq::ParseHammerMode(v.get<std::string>());
        if (!mode.ok()) return absl::InvalidArgumentError(absl::StrCat(where, ": ", mode.status().message()));
        coq.hammer_mode = *mode;
      } else if (o.key() == "max_idle_processes") {
        coq.max_idle_processes = v.get<int>();
      } else if (o.key() == "spare_processes") {
        coq.spare_processes = v.get<int>();
      } else if (o.key() == "default_timeout_s") {
        coq.coq_default_timeout_seconds = v.get<int>();
      } else if (o.key() == "native_gs_mode") {
        coq.native_gs_mode = v.get<int>();
      } else {
        return absl::InvalidArgumentError(absl::StrCat(
            where, ": unknown key (known: coqtop, coqc, coqchk, sandbox, hammer, warm_hammer, "
                   "max_idle_processes, spare_processes, default_timeout_s, native_gs_mode)"));
      }
    }
  }
  // The external hammer (and "both") needs Thor's ATP portfolio.
  coq::AtpRunner atp =
      coq.hammer_mode == coq::HammerMode::kNative ? nullptr : coq::MakeHammerAtpRunner();
  registry.AddBackend("coq", std::make_shared<coq::CoqBackend>(coq, std::move(atp)));
  return absl::OkStatus();
}

absl::Status AddIsabelle(const ServerConfig& config, Registry& registry) {
  auto it = config.provers.find("isabelle");
  if (it == config.provers.end() || !it->second.enabled || it->second.options.empty()) {
    registry.AddUnavailableBackend(
        "isabelle",
        "it needs PISA servers: start thor with --pisa HOST:PORT, or configure "
        "provers.isabelle in the --config file (pisa, pisa-jar, isabelle-home, ...)");
    return absl::OkStatus();
  }
  nlohmann::json options = nlohmann::json::parse(it->second.options, nullptr, false);
  if (options.is_object()) options.erase("enabled");  // The server's key, not the bridge's.
  auto backend = isabelle::MakeIsabelleBackendFromJson(options.dump());
  if (!backend.ok()) {
    return absl::Status(backend.status().code(),
                        absl::StrCat("config.provers.isabelle: ", backend.status().message()));
  }
  registry.AddBackend("isabelle", std::shared_ptr<ProverBackend>(std::move(*backend)));
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
    if (name != "isabelle" && name != "coq") {
      return absl::InvalidArgumentError(absl::StrCat(
          "config.provers.", name, ": unknown prover (available: coq, isabelle)"));
    }
  }
  if (absl::Status s = AddCoq(config, *registry); !s.ok()) return s;
  if (absl::Status s = AddIsabelle(config, *registry); !s.ok()) return s;
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
