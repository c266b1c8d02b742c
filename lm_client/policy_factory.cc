#include "lm_client/policy_factory.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lm_client/complete_http_policy.h"
#include "lm_client/heuristic_policy.h"
#include "lm_client/knn_policy.h"
#include "lm_client/openai_policy.h"

namespace thor {

std::vector<std::string> PolicyNames() {
  return {"heuristic", "hammer", "knn", "openai", "openai-chat", "pisa-http"};
}

const std::vector<std::string>& ModelFreePolicyNames() {
  static const auto* const names = new std::vector<std::string>{"heuristic", "hammer"};
  return *names;
}

absl::StatusOr<std::unique_ptr<Policy>> MakePolicy(const std::string& name,
                                                   const PolicyOptions& options) {
  if (name == "heuristic") {
    if (!options.heuristic_steps.empty()) {
      return std::unique_ptr<Policy>(new HeuristicPolicy(options.heuristic_steps));
    }
    return std::unique_ptr<Policy>(new HeuristicPolicy(options.prover_heuristics));
  }
  if (name == "hammer") return std::unique_ptr<Policy>(new HammerPolicy());
  if (name == "knn") {
    if (options.knn_model.empty()) {
      return absl::InvalidArgumentError(
          "the knn policy needs a model file (--knn_model=FILE, or the key knn_model); "
          "train one with: thor train --in=steps.jsonl --out=FILE");
    }
    KnnPolicyOptions knn;
    knn.model_path = options.knn_model;
    knn.neighbors = options.knn_neighbors;
    knn.leakage_safe = options.knn_leakage_safe;
    knn.learn_online = options.knn_learn_online;
    if (options.knn_hints.has_value()) knn.hint_lemmas = *options.knn_hints;
    if (options.knn_apply.has_value()) knn.apply_lemmas = *options.knn_apply;
    if (options.knn_context_lemmas.has_value()) {
      knn.context_lemmas = *options.knn_context_lemmas;
    }
    if (options.knn_similarity_power.has_value()) {
      knn.similarity_power = *options.knn_similarity_power;
    }
    if (options.knn_own_file_weight.has_value()) knn.own_file_weight = *options.knn_own_file_weight;
    if (options.knn_component_weight.has_value()) {
      knn.component_weight = *options.knn_component_weight;
    }
    if (options.knn_proof_rests.has_value()) knn.proof_rests = *options.knn_proof_rests;
    if (options.knn_rest_limit_per_step.has_value()) {
      knn.rest_limit_per_step = *options.knn_rest_limit_per_step;
    }
    if (options.knn_adapt_rests.has_value()) knn.adapt_rests = *options.knn_adapt_rests;
    if (options.knn_probe.has_value()) knn.probe_time = *options.knn_probe;
    if (options.knn_probe_step.has_value()) knn.probe_step_timeout = *options.knn_probe_step;
    if (options.knn_probe_alongside.has_value()) knn.probe_alongside = *options.knn_probe_alongside;
    if (options.knn_learned_first) {
      knn.mix.reset();
    } else if (options.knn_mix.has_value()) {
      knn.mix = options.knn_mix;
    }
    knn.fallback = options.prover_heuristics;
    absl::StatusOr<std::unique_ptr<KnnPolicy>> p = KnnPolicy::Create(knn);
    if (!p.ok()) return p.status();
    return std::unique_ptr<Policy>(std::move(*p));
  }
  if (name == "openai" || name == "openai-chat") {
    absl::StatusOr<std::unique_ptr<OpenAiPolicy>> p =
        OpenAiPolicy::Create(options, name == "openai-chat");
    if (!p.ok()) return p.status();
    return std::unique_ptr<Policy>(std::move(*p));
  }
  if (name == "pisa-http") {
    absl::StatusOr<std::unique_ptr<CompleteHttpPolicy>> p = CompleteHttpPolicy::Create(options);
    if (!p.ok()) return p.status();
    return std::unique_ptr<Policy>(std::move(*p));
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown policy '", name, "'; available: ", absl::StrJoin(PolicyNames(), ", ")));
}

}  // namespace thor
