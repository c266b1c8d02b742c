#include "lm_client/complete_http_policy.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace thor {
namespace {

using nlohmann::json;

const json* FirstOf(const json& obj, std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    if (obj.contains(k)) return &obj[k];
  }
  return nullptr;
}

}  // namespace

absl::StatusOr<std::vector<RawCompletion>> ParseCompleteResponse(
    const std::string& body) {
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return absl::InternalError(absl::StrCat(
        "model server returned malformed JSON: '", body.substr(0, 200), "'"));
  }
  const json* items = &doc;
  const json* scores = nullptr;
  if (doc.is_object()) {
    items = FirstOf(doc, {"completions", "completion", "choices", "samples",
                          "outputs"});
    scores = FirstOf(doc, {"logprobs", "log_probs", "scores"});
  }
  if (items == nullptr || !items->is_array()) {
    return absl::InternalError(absl::StrCat(
        "/complete response is neither a list of completions nor an object "
        "with \"completions\" (or completion/choices/samples/outputs): '",
        body.substr(0, 200), "'"));
  }
  std::vector<RawCompletion> out;
  for (size_t i = 0; i < items->size(); ++i) {
    const json& it = (*items)[i];
    RawCompletion c;
    const json* lp = nullptr;
    if (it.is_string()) {
      c.text = it.get<std::string>();
    } else if (it.is_object()) {
      const json* text = FirstOf(it, {"text", "completion", "output"});
      if (text == nullptr || !text->is_string()) continue;
      c.text = text->get<std::string>();
      lp = FirstOf(it, {"logprob", "log_prob", "score"});
    } else {
      continue;
    }
    if (lp == nullptr && scores != nullptr && scores->is_array() &&
        i < scores->size()) {
      lp = &(*scores)[i];
    }
    if (lp != nullptr && lp->is_number()) {
      c.has_logprob = true;
      c.logprob = lp->get<double>();
    }
    out.push_back(std::move(c));
  }
  return out;
}

absl::StatusOr<std::unique_ptr<CompleteHttpPolicy>> CompleteHttpPolicy::Create(
    PolicyOptions options) {
  absl::StatusOr<BaseUrl> base = ParseBaseUrl(options.base_url);
  if (!base.ok()) return base.status();
  if (absl::Status s = CheckTransport(*base, options.http); !s.ok()) return s;
  return std::unique_ptr<CompleteHttpPolicy>(
      new CompleteHttpPolicy(std::move(options), *std::move(base)));
}

CompleteHttpPolicy::CompleteHttpPolicy(PolicyOptions options, BaseUrl base)
    : options_(std::move(options)), http_(std::move(base), "", options_.http) {}

absl::StatusOr<std::vector<Candidate>> CompleteHttpPolicy::Propose(
    const PolicyQuery& query, absl::Duration deadline) {
  json req = {{"context", RenderPrompt(options_, query)},
              {"temp", query.temperature},
              {"gen_tokens", options_.max_tokens},
              {"n", query.n},
              {"top_p", options_.top_p}};
  absl::StatusOr<std::string> body = http_.PostJson(
      "/complete", req.dump(-1, ' ', false, json::error_handler_t::replace),
      deadline, query.cancel);
  if (!body.ok()) return body.status();
  absl::StatusOr<std::vector<RawCompletion>> raw = ParseCompleteResponse(*body);
  if (!raw.ok()) {
    return absl::Status(raw.status().code(),
                        absl::StrCat(http_.Url("/complete"), ": ",
                                     raw.status().message()));
  }
  return CompletionsToCandidates(options_, query, *raw, nullptr);
}

}  // namespace thor
