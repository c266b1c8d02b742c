#include "lm_client/knn_policy.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <unordered_map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "learn/features.h"
#include "learn/state_text.h"
#include "learn/tactic_template.h"

namespace thor {

absl::StatusOr<std::unique_ptr<KnnPolicy>> KnnPolicy::Create(const KnnPolicyOptions& options) {
  if (options.neighbors < 1) {
    return absl::InvalidArgumentError("knn policy: neighbors must be at least 1");
  }
  absl::StatusOr<learn::KnnModel> model = learn::KnnModel::Load(options.model_path);
  if (!model.ok()) return model.status();
  return std::make_unique<KnnPolicy>(*std::move(model), options);
}

KnnPolicy::KnnPolicy(learn::KnnModel model, const KnnPolicyOptions& options)
    : model_(std::move(model)), options_(options) {}

absl::StatusOr<std::vector<Candidate>> KnnPolicy::Propose(const PolicyQuery& query,
                                                          absl::Duration /*deadline*/) {
  std::vector<Candidate> out;
  const size_t limit = query.n < 0 ? 0 : static_cast<size_t>(query.n);
  std::vector<std::string> cheap;
  if (query.theorem != nullptr) {
    auto it = options_.fallback.find(query.theorem->prover);
    if (it != options_.fallback.end() && it->second != nullptr) {
      cheap = it->second->CheapSteps(query.state_text);
    }
  }
  // Room for the cheap steps and the hammer, but at least half for the model.
  const size_t reserved = cheap.size() + (options_.append_hammer ? 1 : 0);
  const size_t learned = std::max((limit + 1) / 2, limit > reserved ? limit - reserved : 0);
  std::vector<learn::TextGoal> goals = learn::ParseStateText(query.state_text);
  if (!goals.empty()) {
    std::optional<learn::Cutoff> cutoff;
    if (options_.leakage_safe && query.theorem != nullptr) {
      cutoff = model_.CutoffFor(query.theorem->file_path, query.theorem->name);
    }
    const learn::LocalNames names = learn::LocalNamesOf(goals[0]);
    const learn::FeatureCounts features = learn::StateFeatures(query.state_text);
    // The file's model and the online one (proofs found since the start),
    // their neighbours merged by similarity.
    struct Near {
      const learn::KnnModel* model;
      learn::Neighbor n;
    };
    std::vector<Near> near;
    for (const learn::Neighbor& n : model_.Nearest(features, options_.neighbors, cutoff)) {
      near.push_back({&model_, n});
    }
    const std::shared_ptr<const learn::KnnModel> online = OnlineModel();
    if (online != nullptr) {
      for (const learn::Neighbor& n : online->Nearest(features, options_.neighbors)) {
        if (options_.leakage_safe && query.theorem != nullptr &&
            online->TheoremOf(n.step) == query.theorem->name) {
          continue;  // Its own proof, found earlier.
        }
        near.push_back({online.get(), n});
      }
      std::stable_sort(near.begin(), near.end(), [](const Near& a, const Near& b) {
        return a.n.similarity > b.n.similarity;
      });
      if (near.size() > static_cast<size_t>(options_.neighbors)) near.resize(options_.neighbors);
    }
    // Summed similarity per adapted tactic, in order of first appearance so
    // ties keep the nearer neighbour's tactic first.
    std::unordered_map<std::string, size_t> index;
    std::vector<std::pair<std::string, double>> scored;
    double total = 0;
    for (const Near& m : near) {
      std::optional<std::string> step = learn::Instantiate(m.model->TemplateOf(m.n.step), names);
      if (!step) continue;
      auto [it, inserted] = index.emplace(*step, scored.size());
      if (inserted) scored.emplace_back(*std::move(step), 0.0);
      scored[it->second].second += m.n.similarity;
      total += m.n.similarity;
    }
    std::stable_sort(scored.begin(), scored.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    for (auto& [step, score] : scored) {
      if (out.size() >= learned) break;
      Candidate c;
      c.step = std::move(step);
      c.logprob = std::log(score / total);
      out.push_back(std::move(c));
    }
  }
  std::unordered_map<std::string, bool> proposed;
  for (const Candidate& c : out) proposed[learn::NormalizeTactic(c.step)] = true;
  for (const std::string& step : cheap) {
    if (out.size() + (options_.append_hammer ? 1 : 0) >= limit) break;
    if (!proposed.emplace(learn::NormalizeTactic(step), true).second) continue;
    Candidate c;
    c.step = step;
    c.logprob = out.empty() ? 0.0 : out.back().logprob - 0.1;
    out.push_back(std::move(c));
  }
  if (options_.append_hammer && out.size() < limit) {
    Candidate c;
    c.step = query.hammer_token;
    c.is_hammer = true;
    c.logprob = out.empty() ? 0.0 : out.back().logprob - 1.0;
    out.push_back(std::move(c));
  }
  return out;
}

std::shared_ptr<const learn::KnnModel> KnnPolicy::OnlineModel() const {
  absl::MutexLock lock(&mu_);
  return online_;
}

size_t KnnPolicy::online_steps() const {
  std::shared_ptr<const learn::KnnModel> online = OnlineModel();
  return online == nullptr ? 0 : online->num_steps();
}

void KnnPolicy::LearnFromProof(const Theorem& theorem, const std::vector<FoundStep>& proof) {
  if (!options_.learn_online || proof.empty()) return;
  absl::MutexLock learn(&learn_mu_);
  if (online_data_.steps.size() + proof.size() > static_cast<size_t>(options_.max_online_steps)) {
    return;
  }
  const std::string key = absl::StrCat(theorem.name, "\n", theorem.statement);
  if (learnt_.contains(key)) return;
  const std::string file = theorem.file_path.empty() ? "<online>" : theorem.file_path;
  if (std::find(online_data_.files.begin(), online_data_.files.end(), file) ==
      online_data_.files.end()) {
    online_data_.files.push_back(file);
  }
  // Ordinals only need to tell theorems apart: one per learnt proof.
  const int ordinal = static_cast<int>(learnt_.size()) + 1;
  size_t added = 0;
  for (size_t i = 0; i < proof.size(); ++i) {
    if (proof[i].state_before.empty()) continue;
    learn::TrainingStep s;
    s.file = file;
    s.theorem = theorem.name;
    s.theorem_ordinal = ordinal;
    s.index = static_cast<int>(i);
    s.state_text = proof[i].state_before;
    s.tactic = proof[i].text;
    online_data_.steps.push_back(std::move(s));
    ++added;
  }
  if (added == 0) return;
  learnt_.insert(key);
  // Small next to the file's model: retrained whole, then swapped in.
  auto next = std::make_shared<const learn::KnnModel>(learn::KnnModel::Train(online_data_));
  absl::MutexLock lock(&mu_);
  online_ = std::move(next);
}

}  // namespace thor
