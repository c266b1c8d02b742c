#include "server/wiring.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "coq_bridge/coq_backend.h"
#include "isabelle_bridge/backend.h"
#include "lm_client/heuristic_policy.h"

namespace thor {
namespace {

// Coq is offered unless disabled: coqtop and coqc from Debian (sessions say
// how to install them when missing). Options: coqtop, coqc, hammer
// ("native"), max_idle_processes, default_timeout_s, native_gs_mode.
absl::Status AddCoq(const ServerConfig& config, Registry& registry) {
  coq::CoqConfig coq;
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
      if ((o.key() == "coqtop" || o.key() == "coqc" || o.key() == "hammer") && !v.is_string()) {
        return absl::InvalidArgumentError(where + ": must be a string");
      }
      if ((o.key() == "max_idle_processes" || o.key() == "default_timeout_s" ||
           o.key() == "native_gs_mode") &&
          (!v.is_number_integer() || v.get<int>() < 0)) {
        return absl::InvalidArgumentError(where + ": must be an integer >= 0");
      }
      if (o.key() == "coqtop") {
        coq.coqtop = v.get<std::string>();
      } else if (o.key() == "coqc") {
        coq.coqc = v.get<std::string>();
      } else if (o.key() == "hammer") {
        if (v.get<std::string>() != "native") {
          return absl::InvalidArgumentError(
              where + ": only \"native\" (CoqHammer's own hammer) is wired in this build");
        }
      } else if (o.key() == "max_idle_processes") {
        coq.max_idle_processes = v.get<int>();
      } else if (o.key() == "default_timeout_s") {
        coq.coq_default_timeout_seconds = v.get<int>();
      } else if (o.key() == "native_gs_mode") {
        coq.native_gs_mode = v.get<int>();
      } else {
        return absl::InvalidArgumentError(absl::StrCat(
            where, ": unknown key (known: coqtop, coqc, hammer, max_idle_processes, "
                   "default_timeout_s, native_gs_mode)"));
      }
    }
  }
  registry.AddBackend("coq", std::make_shared<coq::CoqBackend>(coq));
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

}  // namespace

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
    if (name != "isabelle" && name != "coq") {
      return absl::InvalidArgumentError(absl::StrCat(
          "config.provers.", name, ": unknown prover (available: coq, isabelle)"));
    }
  }
  if (absl::Status s = AddCoq(config, *registry); !s.ok()) return s;
  if (absl::Status s = AddIsabelle(config, *registry); !s.ok()) return s;
  registry->SetDefaultPolicy(config.default_policy);
  if (absl::Status s = registry->GetPolicy("", "config.default_policy").status(); !s.ok()) {
    return s;
  }
  return registry;
}

}  // namespace thor
