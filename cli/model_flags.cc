#include "cli/model_flags.h"

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli/flag_groups.h"
#include "lm_client/api_key.h"
#include "lm_client/http_client.h"
#include "lm_client/policy_config.h"
#include "lm_client/policy_factory.h"

ABSL_FLAG(std::string, policy, "",
          "Policy: a built-in kind (heuristic, hammer, knn, openai, openai-chat, pisa-http) or a "
          "configured name. With the model flags below it needs no configuration file; "
          "unset with --knn_model: knn.");
ABSL_FLAG(std::string, lm_url, "",
          "Model server of --policy=openai|openai-chat|pisa-http: http[s]://host:port[/v1] "
          "(unset: the policy's base_url, http://127.0.0.1:8000).");
ABSL_FLAG(std::string, model, "",
          "Model name the OpenAI-compatible server serves (its \"model\" field); required by "
          "openai and openai-chat unless the configured policy has one.");
ABSL_FLAG(std::string, lm_api_key_file, "",
          "File whose first line is the model server's API key (sent as a bearer token, never "
          "printed); only its owner may read it (chmod 600).");
ABSL_FLAG(std::string, lm_api_key_env, "",
          "Environment variable holding the model server's API key (unset flag: "
          "$OPENAI_API_KEY if set, else no key).");
ABSL_FLAG(std::string, knn_model, "",
          "Model file of --policy=knn (thor train --out=FILE); given alone, it makes knn the "
          "policy.");
ABSL_FLAG(std::string, lm_ca_file, "",
          "PEM CA certificates that sign an https model server's certificate (unset: the "
          "system's CAs).");

namespace thor {

const char* const kModelFlags = __FILE__;

namespace {

using nlohmann::json;

struct ModelFlag {
  const absl::Flag<std::string>* flag;
  const char* name;  // Without dashes.
  const char* key;   // In the policy's JSON options.
};

// In the order checks report them.
const std::vector<ModelFlag>& ModelFlagList() {
  static const auto* list = new std::vector<ModelFlag>{
      {&FLAGS_lm_url, "lm_url", "base_url"},
      {&FLAGS_model, "model", "model"},
      {&FLAGS_lm_api_key_file, "lm_api_key_file", "api_key_file"},
      {&FLAGS_lm_api_key_env, "lm_api_key_env", "api_key_env"},
      {&FLAGS_lm_ca_file, "lm_ca_file", "ca_file"},
      {&FLAGS_knn_model, "knn_model", "knn_model"},
  };
  return *list;
}

// The model flags the user set (their values differ from the default "").
std::vector<ModelFlag> SetModelFlags() {
  std::vector<ModelFlag> out;
  for (const ModelFlag& f : ModelFlagList()) {
    if (!absl::GetFlag(*f.flag).empty()) out.push_back(f);
  }
  return out;
}

bool IsModelKind(const std::string& name) {
  return name == "openai" || name == "openai-chat" || name == "pisa-http";
}

// options[key] if it is a string, else `fallback` (the parser reports a
// wrongly typed value later, naming its key).
std::string StringKey(const json& options, const char* key, const std::string& fallback) {
  auto it = options.find(key);
  return it != options.end() && it->is_string() ? it->get<std::string>() : fallback;
}

absl::Status FlagError(const char* flag, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat("--", flag, ": ", message));
}

// Checks what each set flag says on its own, so the error names the flag
// rather than the configuration key it becomes.
absl::Status CheckSetFlags(const std::string& policy, const std::string& kind,
                           const json& options) {
  const bool openai = kind == "openai" || kind == "openai-chat";
  for (const ModelFlag& f : SetModelFlags()) {
    // The k-NN policy reads a model file and no server.
    if ((std::string(f.name) == "knn_model") != (kind == "knn")) {
      return FlagError(f.name, absl::StrCat("policy '", policy, "' (kind ", kind,
                                            kind == "knn" ? ") asks no model server"
                                                          : ") reads no k-NN model"));
    }
    if (kind == "knn") continue;
    if (!IsModelKind(kind)) {
      return FlagError(
          f.name, absl::StrCat("policy '", policy, "' (kind ", kind, ") asks no model server"));
    }
    const std::string value = absl::GetFlag(*f.flag);
    const std::string name = f.name;
    if (!openai && (name == "model" || name == "lm_api_key_file" || name == "lm_api_key_env")) {
      return FlagError(f.name, absl::StrCat("policy '", policy, "' (kind ", kind,
                                            ") sends no model name or API key"));
    }
    if (name == "lm_url") {
      if (absl::StatusOr<BaseUrl> url = ParseBaseUrl(value); !url.ok()) {
        return FlagError(f.name, url.status().message());
      }
    } else if (name == "lm_api_key_file") {
      if (!absl::GetFlag(FLAGS_lm_api_key_env).empty()) {
        return FlagError(f.name, "give --lm_api_key_file or --lm_api_key_env, not both");
      }
      if (absl::StatusOr<std::string> key = ReadApiKeyFile(value); !key.ok()) {
        return FlagError(f.name, key.status().message());
      }
    } else if (name == "lm_api_key_env") {
      if (std::getenv(value.c_str()) == nullptr) {
        return FlagError(f.name, absl::StrCat("the environment variable ", value, " is not set"));
      }
    } else if (name == "lm_ca_file") {
      HttpOptions http;
      http.ca_file = value;
      absl::StatusOr<BaseUrl> url =
          ParseBaseUrl(StringKey(options, "base_url", PolicyOptions().base_url));
      if (url.ok()) {
        if (absl::Status s = CheckTransport(*url, http); !s.ok()) {
          return FlagError(f.name, s.message());
        }
      }
    }
  }
  if (openai && StringKey(options, "model", "").empty()) {
    return FlagError("model", absl::StrCat("policy '", policy,
                                           "' needs the name of the model the server serves "
                                           "(e.g. --model=Qwen/Qwen2.5-Coder-7B-Instruct)"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ApplyModelFlags(ServerConfig& config) {
  std::string policy = absl::GetFlag(FLAGS_policy);
  // A model file given alone chooses the learned policy.
  if (policy.empty() && !absl::GetFlag(FLAGS_knn_model).empty()) policy = "knn";
  const std::vector<ModelFlag> set = SetModelFlags();
  if (policy.empty()) {
    if (set.empty()) return absl::OkStatus();
    return FlagError(set[0].name,
                     "needs --policy (openai, openai-chat or pisa-http, or a policy of --config)");
  }
  config.default_policy = policy;
  auto configured = config.policies.find(policy);
  if (configured == config.policies.end() && !IsModelKind(policy) && policy != "knn") {
    const std::vector<std::string>& model_free = ModelFreePolicyNames();
    if (std::find(model_free.begin(), model_free.end(), policy) != model_free.end()) {
      if (set.empty()) return absl::OkStatus();
      return FlagError(set[0].name, absl::StrCat("the ", policy, " policy asks no model server"));
    }
    std::vector<std::string> names;
    for (const auto& [name, spec] : config.policies) names.push_back(name);
    return FlagError(
        "policy",
        absl::StrCat(
            "unknown policy '", policy, "'; built in: ", absl::StrJoin(PolicyNames(), ", "),
            names.empty() ? "" : absl::StrCat("; configured: ", absl::StrJoin(names, ", "))));
  }
  PolicySpec spec;
  json options = json::object();
  if (configured != config.policies.end()) {
    if (set.empty()) return absl::OkStatus();  // As configured.
    spec = configured->second;
    options = json::parse(spec.options.empty() ? "{}" : spec.options, nullptr, false);
    if (!options.is_object()) {
      return absl::InvalidArgumentError(
          absl::StrCat("config.policies.", policy, ": not an object"));
    }
  } else {
    spec.kind = policy;
  }
  for (const ModelFlag& f : set) options[f.key] = absl::GetFlag(*f.flag);
  if (absl::Status s = CheckSetFlags(policy, spec.kind, options); !s.ok()) return s;
  // What the server will build, built once now: whatever the checks above
  // missed fails here, before a search starts.
  spec.options = options.dump();
  const std::string where = absl::StrCat("--policy=", policy);
  absl::StatusOr<PolicyOptions> parsed = ParsePolicyOptions(spec.options, where);
  if (!parsed.ok()) return parsed.status();
  if (absl::Status s = MakePolicy(spec.kind, *parsed).status(); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": ", s.message()));
  }
  config.policies[policy] = std::move(spec);
  return absl::OkStatus();
}

absl::Status CheckNoModelFlags() {
  const std::vector<ModelFlag> set = SetModelFlags();
  if (set.empty()) return absl::OkStatus();
  return FlagError(set[0].name,
                   "defines the policy of the in-process server; with --server that server's "
                   "own configuration defines its policies (name one with --policy)");
}

}  // namespace thor
