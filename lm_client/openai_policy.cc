#include "lm_client/openai_policy.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "lm_client/api_key.h"
#include "nlohmann/json.hpp"

namespace thor {
namespace {

using nlohmann::json;

// Sums the numbers of `values` (nulls skipped); false if none.
bool SumLogprobs(const json& values, const char* field, double* sum) {
  if (!values.is_array()) return false;
  bool any = false;
  for (const json& v : values) {
    const json& x = field == nullptr ? v : (v.is_object() && v.contains(field)
                                                ? v[field]
                                                : json());
    if (x.is_number()) {
      *sum += x.get<double>();
      any = true;
    }
  }
  return any;
}

}  // namespace

absl::StatusOr<std::vector<RawCompletion>> ParseOpenAiResponse(
    const std::string& body, bool chat) {
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return absl::InternalError(absl::StrCat(
        "model server returned malformed JSON: '", body.substr(0, 200), "'"));
  }
  if (!doc.is_object() || !doc.contains("choices") || !doc["choices"].is_array()) {
    std::string detail = doc.is_object() && doc.contains("error")
                             ? doc["error"].dump()
                             : body.substr(0, 200);
    return absl::InternalError(absl::StrCat(
        "model server response has no \"choices\" array: ", detail));
  }
  std::vector<RawCompletion> out;
  for (const json& choice : doc["choices"]) {
    if (!choice.is_object()) continue;
    RawCompletion c;
    const json* text = nullptr;
    if (chat) {
      if (choice.contains("message") && choice["message"].is_object() &&
          choice["message"].contains("content")) {
        text = &choice["message"]["content"];
      }
    } else if (choice.contains("text")) {
      text = &choice["text"];
    }
    if (text == nullptr || !text->is_string()) continue;
    c.text = text->get<std::string>();
    if (choice.contains("logprobs") && choice["logprobs"].is_object()) {
      const json& lp = choice["logprobs"];
      double sum = 0;
      if (chat && lp.contains("content")) {
        c.has_logprob = SumLogprobs(lp["content"], "logprob", &sum);
      } else if (!chat && lp.contains("token_logprobs")) {
        c.has_logprob = SumLogprobs(lp["token_logprobs"], nullptr, &sum);
      }
      c.logprob = sum;
    }
    out.push_back(std::move(c));
  }
  return out;
}

absl::StatusOr<std::unique_ptr<OpenAiPolicy>> OpenAiPolicy::Create(
    PolicyOptions options, bool chat) {
  absl::StatusOr<BaseUrl> base = ParseBaseUrl(options.base_url);
  if (!base.ok()) return base.status();
  // OpenAI clients take either "http://host:port" or "http://host:port/v1".
  if (!absl::EndsWith(base->prefix, "/v1")) base->prefix += "/v1";
  if (options.model.empty()) {
    return absl::InvalidArgumentError(
        "OpenAI-compatible policy needs a model name (the server's \"model\")");
  }
  if (absl::Status s = CheckTransport(*base, options.http); !s.ok()) return s;
  absl::StatusOr<std::string> key = ApiKey(options);
  if (!key.ok()) return key.status();
  return std::unique_ptr<OpenAiPolicy>(
      new OpenAiPolicy(std::move(options), chat, *std::move(base), *std::move(key)));
}

OpenAiPolicy::OpenAiPolicy(PolicyOptions options, bool chat, BaseUrl base,
                           std::string key)
    : options_(std::move(options)),
      chat_(chat),
      http_(std::move(base), std::move(key), options_.http) {}

std::string OpenAiPolicy::Name() const {
  return absl::StrCat(chat_ ? "openai-chat:" : "openai:", options_.model);
}

std::string OpenAiPolicy::RequestBody(const PolicyQuery& query) const {
  json body = {{"model", options_.model},
               {"n", query.n},
               {"temperature", query.temperature},
               {"max_tokens", options_.max_tokens},
               {"top_p", options_.top_p}};
  if (!options_.stop.empty()) body["stop"] = options_.stop;
  if (query.seed != 0) body["seed"] = query.seed & 0x7fffffffffffffffULL;
  const std::string prompt = RenderPrompt(options_, query);
  if (chat_) {
    json messages = json::array();
    if (!options_.system_prompt.empty()) {
      messages.push_back({{"role", "system"}, {"content", options_.system_prompt}});
    }
    messages.push_back({{"role", "user"}, {"content", prompt}});
    body["messages"] = std::move(messages);
    body["logprobs"] = true;
  } else {
    body["prompt"] = prompt;
    body["logprobs"] = 1;
  }
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

absl::StatusOr<std::vector<Candidate>> OpenAiPolicy::Propose(
    const PolicyQuery& query, absl::Duration deadline) {
  absl::StatusOr<std::string> body =
      http_.PostJson(chat_ ? "/chat/completions" : "/completions",
                     RequestBody(query), deadline, query.cancel);
  if (!body.ok()) return body.status();
  absl::StatusOr<std::vector<RawCompletion>> raw = ParseOpenAiResponse(*body, chat_);
  if (!raw.ok()) {
    return absl::Status(raw.status().code(),
                        absl::StrCat(http_.Url(chat_ ? "/chat/completions"
                                                     : "/completions"),
                                     ": ", raw.status().message()));
  }
  return CompletionsToCandidates(options_, query, *raw, nullptr);
}

}  // namespace thor
