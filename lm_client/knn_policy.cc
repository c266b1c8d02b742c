#include "lm_client/knn_policy.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>

#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "learn/features.h"
#include "learn/state_text.h"
#include "learn/tactic_template.h"

namespace thor {
namespace {

// A neighbour of the query: a step of the file's model or the online one.
struct Near {
  const learn::KnnModel* model;
  learn::Neighbor n;
};

// Most similar first; ties keep their order.
void SortBySimilarity(std::vector<Near>* near) {
  std::stable_sort(near->begin(), near->end(),
                   [](const Near& a, const Near& b) { return a.n.similarity > b.n.similarity; });
}

// The first `max` lemmas the tactics of the neighbours `keep` accepts name
// (ProverHeuristics::Lemmas), by summed similarity; `mass` gets the
// similarity of those neighbours that named any.
template <typename Keep>
std::vector<std::string> TopLemmas(const ProverHeuristics& heuristics,
                                   const std::vector<Near>& near, Keep keep, size_t max,
                                   double* mass) {
  std::unordered_map<std::string, size_t> at;
  std::vector<std::pair<std::string, double>> lemmas;
  for (const Near& m : near) {
    if (!keep(m)) continue;
    const std::vector<std::string> named = heuristics.Lemmas(m.model->TemplateOf(m.n.step).text);
    if (named.empty()) continue;
    *mass += m.n.similarity;
    for (const std::string& l : named) {
      auto [it, inserted] = at.emplace(l, lemmas.size());
      if (inserted) lemmas.emplace_back(l, 0.0);
      lemmas[it->second].second += m.n.similarity;
    }
  }
  std::stable_sort(lemmas.begin(), lemmas.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::vector<std::string> top;
  for (size_t i = 0; i < lemmas.size() && i < max; ++i) top.push_back(lemmas[i].first);
  return top;
}

// Puts `rests` ahead of `out`'s candidates (a candidate with the same text
// gives way) and keeps the first `limit`.
void PrependRests(std::vector<Candidate> rests, size_t limit, std::vector<Candidate>* out) {
  if (rests.empty()) return;
  std::unordered_map<std::string, bool> first;
  for (const Candidate& r : rests) first[learn::NormalizeTactic(r.step)] = true;
  for (Candidate& c : *out) {
    if (first.count(learn::NormalizeTactic(c.step)) == 0) rests.push_back(std::move(c));
  }
  if (rests.size() > limit) rests.resize(limit);
  *out = std::move(rests);
}

}  // namespace

absl::StatusOr<std::unique_ptr<KnnPolicy>> KnnPolicy::Create(const KnnPolicyOptions& options) {
  if (options.neighbors < 1) {
    return absl::InvalidArgumentError("knn policy: neighbors must be at least 1");
  }
  absl::StatusOr<learn::KnnModel> model = learn::KnnModel::Load(options.model_path);
  if (!model.ok()) return model.status();
  if (options.proof_rests.value_or(0) > 0 && options.probe_time > absl::ZeroDuration() &&
      !model->HasProofTexts()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "knn policy: knn_proof_rests needs the proofs' texts, which the model file ",
        options.model_path, " does not hold (format 2 or older); retrain it with thor train"));
  }
  return std::make_unique<KnnPolicy>(*std::move(model), options);
}

KnnPolicy::KnnPolicy(learn::KnnModel model, const KnnPolicyOptions& options)
    : model_(std::move(model)),
      options_(options),
      proof_rests_(options.proof_rests.value_or(
          model_.HasProofTexts() ? KnnPolicyOptions::kDefaultProofRests : 0)) {}

absl::StatusOr<std::vector<Candidate>> KnnPolicy::Propose(const PolicyQuery& query,
                                                          absl::Duration /*deadline*/) {
  return ProposeSteps(query, /*learned_only=*/false);
}

std::optional<PolicyProbe> KnnPolicy::Probe() {
  if (options_.probe_time <= absl::ZeroDuration()) return std::nullopt;
  PolicyProbe p;
  p.policy = &learned_steps_;
  p.time = options_.probe_time;
  p.step_timeout = options_.probe_step_timeout;
  p.alongside = options_.probe_alongside;
  return p;
}

std::vector<Candidate> KnnPolicy::ProposeSteps(const PolicyQuery& query, bool learned_only) {
  std::vector<Candidate> out;
  const size_t limit = query.n < 0 ? 0 : static_cast<size_t>(query.n);
  const bool append_hammer = options_.append_hammer && !learned_only;
  const std::optional<double> mix = learned_only ? std::nullopt : options_.mix;
  std::vector<std::string> cheap;
  const ProverHeuristics* heuristics = nullptr;
  if (query.theorem != nullptr) {
    auto it = options_.fallback.find(query.theorem->prover);
    if (it != options_.fallback.end() && it->second != nullptr) {
      heuristics = it->second.get();
      if (!learned_only) cheap = heuristics->CheapSteps(query.state_text);
    }
  }
  // Room for the cheap steps and the hammer, but at least half for the model.
  const size_t reserved = cheap.size() + (append_hammer ? 1 : 0);
  const size_t learned = std::max((limit + 1) / 2, limit > reserved ? limit - reserved : 0);
  // With options_.mix: the learned steps and their p_knn, best first.
  std::vector<std::pair<std::string, double>> learned_steps;
  // The hinted steps among them, and the cheap step each extends.
  std::unordered_map<std::string, std::string> hint_base;
  // Rests of neighbours' proofs (proof_rests_): text and logprob.
  std::vector<Candidate> rests;
  std::vector<learn::TextGoal> goals = learn::ParseStateText(query.state_text);
  if (!goals.empty()) {
    std::optional<learn::Cutoff> cutoff;
    if (options_.leakage_safe && query.theorem != nullptr) {
      cutoff = model_.CutoffFor(query.theorem->file_path, query.theorem->name);
    } else {
      // Held-out files kept for bootstrapping stay held out regardless.
      cutoff = query.theorem != nullptr
                   ? model_.OwnFileOnlyCutoff(query.theorem->file_path, query.theorem->name)
                   : model_.OwnFileOnlyCutoff("", "");
    }
    const learn::LocalNames names = learn::LocalNamesOf(goals[0]);
    const learn::FeatureCounts features = learn::StateFeatures(query.state_text);
    // The file's model and the online one (proofs found since the start),
    // their neighbours merged by similarity.
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
      SortBySimilarity(&near);
      if (near.size() > static_cast<size_t>(options_.neighbors)) near.resize(options_.neighbors);
    }
    if (options_.own_file_weight != 1.0 && query.theorem != nullptr &&
        !query.theorem->file_path.empty()) {
      for (Near& m : near) {
        if (learn::SamePath(m.model->FileOf(m.n.step), query.theorem->file_path)) {
          m.n.similarity *= static_cast<float>(options_.own_file_weight);
        }
      }
      SortBySimilarity(&near);
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
      const double w = std::pow(m.n.similarity, options_.similarity_power);
      scored[it->second].second += w;
      total += w;
    }
    // Parts of compound steps: each proposed tactic's votes, times the
    // weight, also go to its first part, found once per distinct tactic.
    // Outside the total, like the lemma steps below.
    if (options_.component_weight > 0) {
      const size_t own = scored.size();
      std::vector<double> votes(own);
      for (size_t i = 0; i < own; ++i) votes[i] = scored[i].second;
      for (size_t i = 0; i < own; ++i) {
        std::optional<std::string> part = learn::FirstComponent(scored[i].first);
        if (!part) continue;
        auto [it, inserted] = index.emplace(*part, scored.size());
        if (inserted) scored.emplace_back(*std::move(part), 0.0);
        scored[it->second].second += votes[i] * options_.component_weight;
      }
    }
    // Neighbours' theorems as lemmas: a neighbour that is a theorem's first
    // step has that theorem's statement as its state, near this goal. Their
    // scores are on the neighbours' scale but do not add to the total, so
    // they take no share from the neighbours' own tactics (in the mixture,
    // from the fallback's).
    // A lemma through the prover's lemma steps: the first at `score`, each
    // later one at half the one before. Whether it proposed any.
    auto add_lemma_steps = [&](const std::string& lemma, double score, double* mass) {
      bool any = false;
      for (std::string& step : heuristics->LemmaSteps(lemma)) {
        auto [it, inserted] = index.emplace(step, scored.size());
        if (inserted) scored.emplace_back(std::move(step), 0.0);
        scored[it->second].second += score;
        if (mass != nullptr) *mass += score;
        score /= 2;
        any = true;
      }
      return any;
    };
    if (heuristics != nullptr && options_.apply_lemmas > 0) {  // So query.theorem is set.
      const std::string& file = query.theorem->file_path;
      const std::string own_name = query.theorem->name.substr(query.theorem->name.rfind(':') + 1);
      int lemmas = 0;
      double lemma_total = 0;
      for (const Near& m : near) {
        if (lemmas >= options_.apply_lemmas) break;
        if (m.model->IndexOf(m.n.step) != 0) continue;
        const bool same_file = !file.empty() && learn::SamePath(m.model->FileOf(m.n.step), file);
        const std::string lemma =
            heuristics->LemmaName(m.model->FileOf(m.n.step), m.model->TheoremOf(m.n.step), same_file);
        if (lemma == own_name) continue;  // Itself (a model that has seen its proof).
        if (add_lemma_steps(lemma, std::pow(m.n.similarity, options_.similarity_power),
                            &lemma_total)) {
          ++lemmas;
        }
      }
      if (total <= 0) total = lemma_total;  // No neighbour's own tactic fits here.
    }
    // The context's latest lemmas with the goal's head: scores on the
    // neighbours' scale, outside the total.
    if (heuristics != nullptr && options_.context_lemmas > 0 && !query.theorem->context.empty()) {
      const std::string head = heuristics->GoalHead(query.state_text);
      if (!head.empty()) {
        const std::shared_ptr<const std::vector<ProverHeuristics::StatedLemma>> stated =
            ContextLemmas(*heuristics, query.theorem->context);
        const std::string own_name =
            query.theorem->name.substr(query.theorem->name.rfind(':') + 1);
        const double base = total > 0 ? total : 1.0;
        double score = base / 4;
        int lemmas = 0;
        for (auto l = stated->rbegin(); l != stated->rend() && lemmas < options_.context_lemmas;
             ++l) {
          if (l->head != head || l->name == own_name) continue;
          add_lemma_steps(l->name, score, nullptr);
          score /= 2;
          ++lemmas;
        }
        if (lemmas > 0 && total <= 0) total = base;
      }
    }
    std::stable_sort(scored.begin(), scored.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    // Learnt premises: the lemmas the neighbours' tactics name, ranked by
    // summed similarity, handed to the prover's automation; first those of
    // neighbours in the theorem's own file (their names resolve there), then
    // all. Each hinted step scores the similarity of the neighbours that
    // named the lemmas it adds.
    if (heuristics != nullptr && !learned_only && options_.hint_lemmas > 0 && total > 0) {
      const size_t max = static_cast<size_t>(options_.hint_lemmas);
      const std::string file = query.theorem != nullptr ? query.theorem->file_path : "";
      double own_mass = 0, all_mass = 0;
      const std::vector<std::string> own_file =
          file.empty() ? std::vector<std::string>()
                       : TopLemmas(
                             *heuristics, near,
                             [&](const Near& m) {
                               return learn::SamePath(m.model->FileOf(m.n.step), file);
                             },
                             max, &own_mass);
      const std::vector<std::string> all =
          TopLemmas(*heuristics, near, [](const Near&) { return true; }, max, &all_mass);
      auto add_hinted = [&](const std::vector<std::string>& lemmas, double mass) {
        if (mass <= 0) return;
        for (ProverHeuristics::HintedStep& h : heuristics->HintedSteps(query.state_text, lemmas)) {
          if (index.count(h.step) > 0) continue;  // Proposed already.
          index.emplace(h.step, scored.size());
          hint_base[h.step] = std::move(h.base);
          scored.emplace_back(std::move(h.step), mass);
          total += mass;
        }
      };
      add_hinted(own_file, own_mass);
      if (all != own_file) add_hinted(all, all_mass - own_mass);
      std::stable_sort(scored.begin(), scored.end(),
                       [](const auto& a, const auto& b) { return a.second > b.second; });
    }
    if (learned_only && proof_rests_ > 0 && total > 0) {
      std::set<std::pair<const learn::KnnModel*, uint32_t>> theorems;  // One rest each.
      for (const Near& m : near) {
        if (rests.size() >= static_cast<size_t>(proof_rests_)) break;
        if (m.model->IndexOf(m.n.step) + 1 >= m.model->ProofSteps(m.n.step)) continue;
        if (!theorems.emplace(m.model, m.model->TheoremIndexOf(m.n.step)).second) continue;
        Candidate c;
        std::optional<std::string> adapted;
        if (options_.adapt_rests) adapted = m.model->AdaptedRestOfProof(m.n.step, names);
        c.step = adapted ? *std::move(adapted) : std::string(m.model->RestOfProof(m.n.step));
        if (options_.rest_limit_per_step) {
          c.time_units = static_cast<int>(std::min<size_t>(
              m.model->ProofSteps(m.n.step) - m.model->IndexOf(m.n.step),
              Candidate::kMaxTimeUnits));
        }
        const double vote = std::pow(m.n.similarity, options_.similarity_power);
        c.logprob = std::min(0.0, std::log(vote / total));
        rests.push_back(std::move(c));
      }
    }
    if (mix.has_value()) {
      for (auto& [step, score] : scored) learned_steps.emplace_back(std::move(step), score / total);
    } else {
      for (auto& [step, score] : scored) {
        if (out.size() >= learned) break;
        Candidate c;
        c.step = std::move(step);
        // At most 0: a step's own votes and those as a part can pass the total.
        c.logprob = std::min(0.0, std::log(score / total));
        out.push_back(std::move(c));
      }
    }
  }
  if (mix.has_value()) return Mixture(learned_steps, hint_base, cheap, query, limit);
  std::unordered_map<std::string, bool> proposed;
  for (const Candidate& c : out) proposed[learn::NormalizeTactic(c.step)] = true;
  for (const std::string& step : cheap) {
    if (out.size() + (append_hammer ? 1 : 0) >= limit) break;
    if (!proposed.emplace(learn::NormalizeTactic(step), true).second) continue;
    Candidate c;
    c.step = step;
    c.logprob = out.empty() ? 0.0 : out.back().logprob - 0.1;
    out.push_back(std::move(c));
  }
  if (append_hammer && out.size() < limit) {
    Candidate c;
    c.step = query.hammer_token;
    c.is_hammer = true;
    c.logprob = out.empty() ? 0.0 : out.back().logprob - 1.0;
    out.push_back(std::move(c));
  }
  PrependRests(std::move(rests), limit, &out);
  return out;
}

std::vector<Candidate> KnnPolicy::Mixture(
    const std::vector<std::pair<std::string, double>>& learned,
    const std::unordered_map<std::string, std::string>& hint_base,
    const std::vector<std::string>& cheap, const PolicyQuery& query, size_t limit) const {
  const double w = std::clamp(*options_.mix, 0.0, 1.0);
  // The fallback's distribution: the heuristic policy's scores (-0.05 per
  // place: its cheap steps, then the hammer), normalised.
  std::vector<std::string> fallback = cheap;
  if (options_.append_hammer) fallback.push_back(query.hammer_token);
  std::vector<double> p_fallback(fallback.size());
  double z = 0;
  for (size_t i = 0; i < fallback.size(); ++i) z += p_fallback[i] = std::exp(-0.05 * i);
  struct Mixed {
    std::string step;
    double p = 0;
    bool hammer = false;
  };
  std::vector<Mixed> mixed;
  std::unordered_map<std::string, size_t> index;  // By normalised step.
  auto add = [&](const std::string& step, double p, bool hammer) {
    // "auto." (a library's sentence) and "auto" (a cheap step) are one step.
    std::string key = hammer ? std::string("\x01hammer") : learn::NormalizeTactic(step);
    if (!hammer && !key.empty() && key.back() == '.') key.pop_back();
    auto [it, inserted] = index.emplace(key, mixed.size());
    if (inserted) mixed.push_back({step, 0.0, hammer});
    mixed[it->second].p += p;
  };
  // With no learned step at all (no goal read, no neighbour), the fallback
  // has the whole mass; with w = 1 it keeps a sliver, so it still follows
  // the learned steps in its own order.
  const double w_learned = learned.empty() ? 0.0 : std::min(w, 0.999);
  for (const auto& [step, p] : learned) add(step, w_learned * p, false);
  for (size_t i = 0; i < fallback.size(); ++i) {
    const bool hammer = options_.append_hammer && i + 1 == fallback.size();
    add(fallback[i], (1 - w_learned) * p_fallback[i] / z, hammer);
  }
  // A hinted step also has its base's fallback mass: it ranks just before
  // the cheap step it extends (never at w = 0, the heuristic policy).
  for (const auto& [step, base] : hint_base) {
    if (w_learned <= 0) break;
    const std::string key = learn::NormalizeTactic(base);
    for (size_t i = 0; i < cheap.size(); ++i) {
      if (learn::NormalizeTactic(cheap[i]) != key) continue;
      add(step, (1 - w_learned) * p_fallback[i] / z, false);
      break;
    }
  }
  std::stable_sort(mixed.begin(), mixed.end(),
                   [](const Mixed& a, const Mixed& b) { return a.p > b.p; });
  // The hammer always gets a slot (the last one if it ranks below it).
  if (options_.append_hammer && limit > 0 && mixed.size() > limit) {
    auto h = std::find_if(mixed.begin(), mixed.end(), [](const Mixed& m) { return m.hammer; });
    if (h != mixed.end() && static_cast<size_t>(h - mixed.begin()) >= limit) {
      std::rotate(mixed.begin() + (limit - 1), h, h + 1);
    }
  }
  std::vector<Candidate> out;
  const double best = mixed.empty() ? 1.0 : std::max(mixed.front().p, 1e-300);
  for (Mixed& m : mixed) {
    if (out.size() >= limit) break;
    if (m.p <= 0) continue;  // A learned step when w = 0.
    Candidate c;
    c.step = std::move(m.step);
    c.is_hammer = m.hammer;
    c.logprob = std::log(m.p / best);
    out.push_back(std::move(c));
  }
  return out;
}

std::shared_ptr<const std::vector<ProverHeuristics::StatedLemma>> KnnPolicy::ContextLemmas(
    const ProverHeuristics& heuristics, const std::string& context) {
  const size_t key = absl::HashOf(context);
  {
    absl::MutexLock lock(&mu_);
    auto it = stated_.find(key);
    if (it != stated_.end()) return it->second;
  }
  auto stated = std::make_shared<const std::vector<ProverHeuristics::StatedLemma>>(
      heuristics.StatedLemmas(context));
  absl::MutexLock lock(&mu_);
  if (stated_.size() >= kStatedContexts) stated_.clear();
  stated_.emplace(key, stated);
  return stated;
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
