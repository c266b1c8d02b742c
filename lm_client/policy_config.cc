#include "lm_client/policy_config.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace thor {
namespace {

using nlohmann::json;

// The string keys and the fields they set.
std::string* StringField(const std::string& key, PolicyOptions& o) {
  if (key == "base_url") return &o.base_url;
  if (key == "model") return &o.model;
  if (key == "api_key_file") return &o.api_key_file;
  if (key == "api_key_env") return &o.api_key_env;
  if (key == "ca_file") return &o.http.ca_file;
  if (key == "prompt_template") return &o.prompt_template;
  if (key == "system_prompt") return &o.system_prompt;
  if (key == "model_hammer_token") return &o.model_hammer_token;
  if (key == "knn_model") return &o.knn_model;
  return nullptr;
}

// Reads one key of `v` into `o`; InvalidArgument naming `where`.
absl::Status ReadKey(const std::string& k, const json& v, const std::string& where,
                     PolicyOptions& o) {
  auto need = [&](bool ok, const char* what) {
    return ok ? absl::OkStatus() : absl::InvalidArgumentError(where + ": must be " + what);
  };
  if (std::string* field = StringField(k, o); field != nullptr) {
    if (!v.is_string()) return need(false, "a string");
    *field = v.get<std::string>();
    return absl::OkStatus();
  }
  if (k == "max_tokens" || k == "retries" || k == "local_context_bytes") {
    if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() > (1 << 30)) {
      return need(false, "an integer >= 0");
    }
    if (k == "max_tokens") o.max_tokens = v.get<int>();
    if (k == "retries") o.http.retries = v.get<int>();
    if (k == "local_context_bytes") o.local_context_bytes = v.get<size_t>();
    return absl::OkStatus();
  }
  if (k == "top_p" || k == "request_timeout_s") {
    if (!v.is_number() || v.get<double>() <= 0) return need(false, "a number > 0");
    if (k == "top_p") o.top_p = v.get<double>();
    if (k == "request_timeout_s") o.http.request_timeout = absl::Seconds(v.get<double>());
    return absl::OkStatus();
  }
  if (k == "knn_neighbors") {
    if (!v.is_number_integer() || v.get<int64_t>() < 1 || v.get<int64_t>() > 100000) {
      return need(false, "an integer between 1 and 100000");
    }
    o.knn_neighbors = v.get<int>();
    return absl::OkStatus();
  }
  if (k == "knn_hints" || k == "knn_apply" || k == "knn_proof_rests" ||
      k == "knn_context_lemmas") {
    if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() > 32) {
      return need(false, "an integer between 0 and 32");
    }
    (k == "knn_hints"            ? o.knn_hints
     : k == "knn_apply"          ? o.knn_apply
     : k == "knn_context_lemmas" ? o.knn_context_lemmas
                                 : o.knn_proof_rests) = v.get<int>();
    return absl::OkStatus();
  }
  if (k == "knn_probe_s" || k == "knn_probe_step_s") {
    const bool probe = k == "knn_probe_s";
    if (!v.is_number() || v.get<double>() < (probe ? 0 : 0.001) || v.get<double>() > 3600) {
      return need(false, probe ? "a number of seconds between 0 (no probe) and 3600"
                               : "a number of seconds between 0.001 and 3600");
    }
    (probe ? o.knn_probe : o.knn_probe_step) = absl::Seconds(v.get<double>());
    return absl::OkStatus();
  }
  if (k == "knn_similarity_power" || k == "knn_own_file_weight") {
    if (!v.is_number() || v.get<double>() < (k == "knn_own_file_weight" ? 0 : 0.1) ||
        v.get<double>() > 100) {
      return need(false, k == "knn_own_file_weight" ? "a number between 0 and 100"
                                                    : "a number between 0.1 and 100");
    }
    (k == "knn_similarity_power" ? o.knn_similarity_power : o.knn_own_file_weight) =
        v.get<double>();
    return absl::OkStatus();
  }
  if (k == "knn_component_weight") {
    if (!v.is_number() || v.get<double>() < 0 || v.get<double>() > 10) {
      return need(false, "a number between 0 (none) and 10");
    }
    o.knn_component_weight = v.get<double>();
    return absl::OkStatus();
  }
  if (k == "knn_mix") {
    if (v.is_string() && v.get<std::string>() == "learned_first") {
      o.knn_learned_first = true;
      o.knn_mix.reset();
      return absl::OkStatus();
    }
    if (!v.is_number() || v.get<double>() < 0 || v.get<double>() > 1) {
      return need(false, "a number between 0 and 1, or \"learned_first\"");
    }
    o.knn_mix = v.get<double>();
    o.knn_learned_first = false;
    return absl::OkStatus();
  }
  if (k == "knn_leakage_safe" || k == "knn_learn_online") {
    if (!v.is_boolean()) return need(false, "true or false");
    (k == "knn_leakage_safe" ? o.knn_leakage_safe : o.knn_learn_online) = v.get<bool>();
    return absl::OkStatus();
  }
  if (k == "knn_probe_alongside" || k == "knn_rest_limit_per_step" || k == "knn_adapt_rests") {
    if (!v.is_boolean()) return need(false, "true or false");
    (k == "knn_probe_alongside"       ? o.knn_probe_alongside
     : k == "knn_rest_limit_per_step" ? o.knn_rest_limit_per_step
                                      : o.knn_adapt_rests) = v.get<bool>();
    return absl::OkStatus();
  }
  if (k == "stop" || k == "heuristic_steps") {
    bool ok = v.is_array();
    for (const auto& e : v) ok = ok && e.is_string();
    if (!ok) return need(false, "an array of strings");
    (k == "stop" ? o.stop : o.heuristic_steps) = v.get<std::vector<std::string>>();
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(where, ": unknown key (known: kind, ",
                                                 absl::StrJoin(PolicyOptionKeys(), ", "), ")"));
}

}  // namespace

std::vector<std::string> PolicyOptionKeys() {
  return {"base_url",
          "model",
          "api_key_file",
          "api_key_env",
          "ca_file",
          "max_tokens",
          "top_p",
          "stop",
          "prompt_template",
          "system_prompt",
          "model_hammer_token",
          "local_context_bytes",
          "request_timeout_s",
          "retries",
          "heuristic_steps",
          "knn_model",
          "knn_neighbors",
          "knn_leakage_safe",
          "knn_learn_online",
          "knn_mix",
          "knn_hints",
          "knn_apply",
          "knn_context_lemmas",
          "knn_similarity_power",
          "knn_own_file_weight",
          "knn_component_weight",
          "knn_proof_rests",
          "knn_rest_limit_per_step",
          "knn_adapt_rests",
          "knn_probe_s",
          "knn_probe_step_s",
          "knn_probe_alongside"};
}

absl::StatusOr<PolicyOptions> ParsePolicyOptions(const std::string& json_text,
                                                 const std::string& where) {
  PolicyOptions options;
  json j = json::parse(json_text.empty() ? "{}" : json_text, nullptr, false);
  if (!j.is_object()) return absl::InvalidArgumentError(where + ": not an object");
  for (auto o = j.begin(); o != j.end(); ++o) {
    if (o.key() == "kind") continue;
    absl::Status s = ReadKey(o.key(), o.value(), absl::StrCat(where, ".", o.key()), options);
    if (!s.ok()) return s;
  }
  return options;
}

}  // namespace thor
