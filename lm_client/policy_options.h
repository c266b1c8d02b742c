// Settings shared by the HTTP model policies (OpenAI-compatible, and POST
// /complete) and the policy factory. Defaults follow Thor: its prompt format
// and hammer token, its model server's 128 generated tokens.
#ifndef THOR_LM_CLIENT_POLICY_OPTIONS_H_
#define THOR_LM_CLIENT_POLICY_OPTIONS_H_

#include <cstddef>
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
  // The clock of the deadlines and of the backoff between retries; null:
  // Env::Default(). The socket timeouts stay on the real clock.
  Env* env = nullptr;
};

struct PolicyOptions {
  // "http://host:port" or "http://host:port/v1" (https is not compiled in).
  std::string base_url = "http://127.0.0.1:8000";
  std::string model;                       // OpenAI "model" field.
  std::string api_key_env = "OPENAI_API_KEY";  // Bearer token, if set.
  int max_tokens = 128;
  double top_p = 1.0;
  // Stop sequences sent to the model (OpenAI allows at most 4).
  std::vector<std::string> stop = {"<EOS>", "\n"};
  // Thor's prompt; {context} is the last step, {state} the goals.
  std::string prompt_template = "<CTX> {context} <PRF_STT> {state} <PRF_STP>";
  // Chat endpoint only: the system message ("" for none).
  std::string system_prompt;
  // What the model emits to ask for the hammer (mapped to the search's token).
  std::string model_hammer_token = "<hammer>";
  size_t max_step_bytes = 4096;  // Longer completions are dropped.
  HttpOptions http;
  // "heuristic" only: replaces the per-prover default list when non-empty.
  std::vector<std::string> heuristic_steps;
  // "heuristic" only, when heuristic_steps is empty: each prover's cheap
  // steps (the composition root passes AllProverHeuristics()).
  ProverHeuristicsMap prover_heuristics;
};

}  // namespace thor

#endif  // THOR_LM_CLIENT_POLICY_OPTIONS_H_
