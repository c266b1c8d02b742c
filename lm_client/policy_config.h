// A policy's settings as JSON (the server's config.policies.NAME, and what
// `thor`'s model flags build): the one reader of those keys, so the
// configuration file, the flags and the README's examples all go through it.
#ifndef THOR_LM_CLIENT_POLICY_CONFIG_H_
#define THOR_LM_CLIENT_POLICY_CONFIG_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lm_client/policy_options.h"

namespace thor {

// The keys ParsePolicyOptions reads (besides "kind"), each setting the
// PolicyOptions field of its name unless noted: base_url, model,
// api_key_file, api_key_env, ca_file (http.ca_file), max_tokens, top_p,
// stop, prompt_template, system_prompt, model_hammer_token,
// local_context_bytes, request_timeout_s (http.request_timeout), retries
// (http.retries), heuristic_steps, knn_model, knn_neighbors, knn_leakage_safe,
// knn_learn_online, knn_mix, knn_hints, knn_apply, knn_context_lemmas, knn_similarity_power,
// knn_own_file_weight, knn_probe_s, knn_probe_step_s, knn_probe_alongside.
std::vector<std::string> PolicyOptionKeys();

// Reads a JSON object of those keys over PolicyOptions' defaults. "kind" is
// skipped (the caller reads it). InvalidArgument naming `where` + "." + the
// key for an unknown key or a wrongly typed value, or `where` alone if the
// text is not a JSON object.
absl::StatusOr<PolicyOptions> ParsePolicyOptions(const std::string& json_text,
                                                 const std::string& where);

}  // namespace thor

#endif  // THOR_LM_CLIENT_POLICY_CONFIG_H_
