// A policy backed by an OpenAI-compatible HTTP server (vLLM, llama.cpp's
// server, TGI, SGLang, Ollama, OpenAI): /v1/completions or
// /v1/chat/completions.
#ifndef THOR_LM_CLIENT_OPENAI_POLICY_H_
#define THOR_LM_CLIENT_OPENAI_POLICY_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lm_client/http_client.h"
#include "lm_client/policy_options.h"
#include "lm_client/prompt.h"
#include "search/policy.h"

namespace thor {

// Parses an OpenAI /v1/completions (chat = false) or /v1/chat/completions
// (chat = true) response body into raw completions (text + summed token
// log-probabilities when present). Internal error naming the problem for
// malformed JSON or a body without "choices".
absl::StatusOr<std::vector<RawCompletion>> ParseOpenAiResponse(
    const std::string& body, bool chat);

class OpenAiPolicy : public Policy {
 public:
  // Returns InvalidArgument for a bad base URL, an empty model name or a bad
  // CA file (CheckTransport). The API key is read now (ApiKey: the file or
  // the environment variable; none: no Authorization header), with its
  // errors.
  static absl::StatusOr<std::unique_ptr<OpenAiPolicy>> Create(
      PolicyOptions options, bool chat);

  // "openai:<model>" or "openai-chat:<model>".
  std::string Name() const override;

  // One request with n = query.n, temperature, max_tokens, top_p, logprobs,
  // stop, seed (when query.seed != 0) and the Thor prompt. Errors as
  // HttpJsonClient::PostJson, plus Internal for malformed responses.
  absl::StatusOr<std::vector<Candidate>> Propose(const PolicyQuery& query,
                                                 absl::Duration deadline) override;

 private:
  OpenAiPolicy(PolicyOptions options, bool chat, BaseUrl base, std::string key);
  std::string RequestBody(const PolicyQuery& query) const;

  PolicyOptions options_;
  bool chat_;
  HttpJsonClient http_;
};

}  // namespace thor

#endif  // THOR_LM_CLIENT_OPENAI_POLICY_H_
