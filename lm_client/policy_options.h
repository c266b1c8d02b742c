// Settings shared by the HTTP model policies (OpenAI-compatible, and POST
// /complete) and the policy factory. Defaults follow Thor: its prompt format
// and hammer token, its model server's 128 generated tokens.
#ifndef THOR_LM_CLIENT_POLICY_OPTIONS_H_
#define THOR_LM_CLIENT_POLICY_OPTIONS_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "lm_client/prover_heuristics.h"

namespace thor {

class Env;  // common/env.h

struct HttpOptions {
  absl::Duration connect_timeout = absl::Seconds(5);
  // Upper bound on one request; the query's deadline may cut it shorter.
  absl::Duration request_timeout = absl::Seconds(120);
  int retries = 2;  // Extra attempts on connection errors, 429 and 5xx.
  absl::Duration initial_backoff = absl::Milliseconds(200);
  absl::Duration max_backoff = absl::Seconds(2);
  size_t max_response_bytes = 8u << 20;  // Larger responses are refused.
  // https only: the PEM file of the CAs that may sign the server's
  // certificate; empty: the system's CA store (hosted APIs).
  std::string ca_file;
  // The clock of the deadlines and of the backoff between retries; null:
  // Env::Default(). The socket timeouts stay on the real clock.
  Env* env = nullptr;
};

struct PolicyOptions {
  // "http[s]://host:port" or "http[s]://host:port/v1".
  std::string base_url = "http://127.0.0.1:8000";
  std::string model;                       // OpenAI "model" field.
  // The API key, sent as "Authorization: Bearer <key>" and never logged: the
  // first line of api_key_file when set (a file other users cannot read),
  // else the environment variable api_key_env if it is set (none if not).
  std::string api_key_file;
  std::string api_key_env = "OPENAI_API_KEY";
  int max_tokens = 128;
  double top_p = 1.0;
  // Stop sequences sent to the model (OpenAI allows at most 4).
  std::vector<std::string> stop = {"<EOS>", "\n"};
  // Thor's prompt; {context} is the last step, {state} the goals, and
  // {local_context} the definitions, lemmas and notations of the theorem's
  // context that the goals mention (each item on its own line, then a
  // newline; "" when none: a template without it is Thor's exact format).
  std::string prompt_template =
      "{local_context}<CTX> {context} <PRF_STT> {state} <PRF_STP>";
  // At most this many bytes of {local_context}; 0 leaves it empty.
  size_t local_context_bytes = 4096;
  // Chat endpoint only: the system message ("" for none).
  std::string system_prompt;
  // What the model emits to ask for the hammer (mapped to the search's token).
  std::string model_hammer_token = "<hammer>";
  size_t max_step_bytes = 4096;  // Longer completions are dropped.
  HttpOptions http;
  // "heuristic" only: replaces the per-prover default list when non-empty.
  std::vector<std::string> heuristic_steps;
  // "knn" only: the model file `thor train` wrote, the training steps looked
  // at per query, and the evaluation-only leakage rule (lm_client/knn_policy.h).
  std::string knn_model;
  int knn_neighbors = 64;
  bool knn_leakage_safe = false;
  // Learn from every proof this server's searches find (re-checked), opt-in.
  bool knn_learn_online = false;
  // How learned and fallback steps are ranked together (KnnPolicyOptions::
  // mix): a weight in [0, 1], unset for the policy's default; or, with
  // knn_learned_first, every learned step first (key "knn_mix":
  // "learned_first").
  std::optional<double> knn_mix;
  bool knn_learned_first = false;
  // Lemmas the neighbours' tactics name handed to the prover's automation
  // (KnnPolicyOptions::hint_lemmas); unset for the policy's default, 0 none.
  std::optional<int> knn_hints;
  // Neighbours' theorems proposed as lemmas (KnnPolicyOptions::
  // apply_lemmas); unset for the policy's default, 0 none.
  std::optional<int> knn_apply;
  // Lemmas of the theorem's own context by the goal's head (KnnPolicyOptions::
  // context_lemmas); unset for the policy's default, 0 none.
  std::optional<int> knn_context_lemmas;
  // How the neighbours vote (KnnPolicyOptions::similarity_power,
  // own_file_weight); unset for the policy's defaults.
  std::optional<double> knn_similarity_power;
  std::optional<double> knn_own_file_weight;
  // Parts of compound steps as steps (KnnPolicyOptions::component_weight);
  // unset for the policy's default, 0 none.
  std::optional<double> knn_component_weight;
  // Rests of neighbours' proofs proposed first (KnnPolicyOptions::
  // proof_rests); unset for the policy's default, 0 none.
  std::optional<int> knn_proof_rests;
  // KnnPolicyOptions::rest_limit_per_step; unset for the policy's default.
  std::optional<bool> knn_rest_limit_per_step;
  // KnnPolicyOptions::adapt_rests; unset for the policy's default.
  std::optional<bool> knn_adapt_rests;
  // The probe phase (KnnPolicyOptions::probe_time, probe_step_timeout);
  // unset for the policy's defaults, a zero knn_probe for none.
  std::optional<absl::Duration> knn_probe;
  std::optional<absl::Duration> knn_probe_step;
  // KnnPolicyOptions::probe_alongside; unset for the policy's default.
  std::optional<bool> knn_probe_alongside;
  // What the provers tell the policies (the composition root passes
  // AllProverHeuristics()): each prover's cheap steps ("heuristic", when
  // heuristic_steps is empty) and how its context splits into named items
  // ({local_context} of the HTTP policies).
  ProverHeuristicsMap prover_heuristics;
};

}  // namespace thor

#endif  // THOR_LM_CLIENT_POLICY_OPTIONS_H_
