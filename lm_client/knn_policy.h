// The learned embedded policy: k nearest neighbours over the proof steps of
// a library (a model `thor train` built from `thor extract`'s records). For
// a state it finds the most similar training states through the model's
// inverted index, adapts their tactics to the state's names, and ranks the
// tactics by summed similarity. No model server: it runs in the process.
#ifndef THOR_LM_CLIENT_KNN_POLICY_H_
#define THOR_LM_CLIENT_KNN_POLICY_H_

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "learn/knn_model.h"
#include "learn/training_data.h"
#include "lm_client/prover_heuristics.h"
#include "search/policy.h"

namespace thor {

struct KnnPolicyOptions {
  std::string model_path;
  int neighbors = 64;  // Training steps looked at per query.
  // Evaluation only: a theorem sees no step of itself or of any theorem
  // after it in the model's file order (KnnModel::CutoffFor on the query
  // theorem's file_path and name).
  bool leakage_safe = false;
  // After the learned steps, the prover's cheap steps (the heuristic
  // policy's list, from these heuristics by the theorem's prover; none if
  // empty), then the hammer token, so the search still has the embedded
  // default's steps and the hammer when no neighbour's tactic works.
  ProverHeuristicsMap fallback;
  bool append_hammer = true;
  // How the learned steps and the fallback (cheap steps + hammer) are
  // ranked together. Unset: every learned step first, then the fallback
  // (the order measured in session 9). Set to a weight w in [0, 1]: one
  // mixture, p(step) = w * p_knn(step) + (1 - w) * p_fallback(step), where
  // p_knn is the step's share of the neighbours' summed similarity and
  // p_fallback the heuristic policy's own order (log-probability -0.05 per
  // place, normalised); logprob = log(p / p_best), so w = 0 is the
  // heuristic policy's order and scores. The default was tuned on the
  // training folders only (README, "Learned policy (k-NN)").
  std::optional<double> mix = kDefaultMix;
  static constexpr double kDefaultMix = 0.25;
  // Online learning (opt-in): every proof a search with this policy finds
  // and re-checks becomes training steps of a second, in-memory model,
  // queried beside the file's; up to max_online_steps steps (then it stops
  // learning). The online model is retrained whole on each proof, in the
  // search's thread before it returns (11,272 steps train in 0.34 s). With
  // leakage_safe, a theorem sees no online step learnt from itself.
  bool learn_online = false;
  int max_online_steps = 20000;
  // Learnt premises: up to this many lemmas that the neighbours' tactics
  // name (ProverHeuristics::Lemmas, ranked by summed similarity; the
  // theorem's own file's first) go to the prover's hinted steps
  // (ProverHeuristics::HintedSteps; Coq: `sauto use: ...`), which rank
  // among the learned steps and, in the mixture, just before the cheap step
  // they extend. 0: none. Off by default: on the training folders (80
  // theorems, 6 s) 4 lemmas solved the same 37 as none (README).
  int hint_lemmas = kDefaultHintLemmas;
  static constexpr int kDefaultHintLemmas = 0;
  // How the neighbours vote: each adds similarity^similarity_power to its
  // tactic's score (1: the plain sum, where many distant neighbours can
  // outvote a near one; higher favours the nearest). A neighbour from the
  // query theorem's own file first has its similarity multiplied by
  // own_file_weight (its proofs are the likeliest to carry over; 1: no
  // preference). Both stay at 1 by default: 2 and 2 raised the training
  // files' top-1 accuracy (7.3% to 10.7%) but proved fewer training
  // theorems (47 against 52 of 120, with apply_lemmas 4; README, "Learned
  // policy (k-NN)").
  double similarity_power = kDefaultSimilarityPower;
  static constexpr double kDefaultSimilarityPower = 1.0;
  double own_file_weight = kDefaultOwnFileWeight;
  static constexpr double kDefaultOwnFileWeight = 1.0;
  // Neighbours' theorems as lemmas: the first this many theorems whose
  // first step is among the neighbours (whose statement is near the goal),
  // by similarity, each through the prover's lemma steps
  // (ProverHeuristics::LemmaSteps; Coq: `intros; apply L`, ...), scored
  // like that neighbour's own vote, halved for each later step of the same
  // lemma. They rank among the learned steps (and are in the probe). 0:
  // none, the default: on the training theorems 4 solved 40 against 39 of
  // 80 and 51 against 52 of 120 (README).
  int apply_lemmas = kDefaultApplyLemmas;
  static constexpr int kDefaultApplyLemmas = 0;
  // The theorem's own context's lemmas: the last this many lemmas that the
  // theorem's context (the source before it, so never a later theorem)
  // states whose conclusion has the goal's conclusion head
  // (ProverHeuristics::StatedLemmas, GoalHead: `Sorted` for `Sorted R l`,
  // "= length" for `length (...) = ...`), latest first, each through the
  // prover's lemma steps (ProverHeuristics::LemmaSteps; Coq: `intros; apply
  // L`, ...). The first lemma's first step scores a quarter of the
  // neighbours' summed similarity, halved for each later lemma and each
  // later step of a lemma; outside the total, like apply_lemmas. They rank
  // among the learned steps (and are in the probe). Premise selection by
  // shape, not learnt: a library applies its file's latest lemmas about the
  // same predicate most (README, "Context lemmas"). 0: none.
  int context_lemmas = kDefaultContextLemmas;
  static constexpr int kDefaultContextLemmas = 0;
  // Parts of compound steps: each neighbour whose tactic is "t1; t2; ..." or
  // "now t" also votes, with its vote times component_weight, for "t1" (or
  // "t") as a step of its own (learn::FirstComponent), which the search can
  // then follow with steps of its choice. Such votes do not add to the
  // total, so they take no share from the neighbours' own tactics. 0: none.
  // 0.5 was chosen among 0.25, 0.5, 1 and 2 by the training steps' top-1 and
  // top-10 (README, "Parts of compound steps").
  double component_weight = kDefaultComponentWeight;
  static constexpr double kDefaultComponentWeight = 0.5;
  // The rest of a neighbour's proof, in the probe phase (Probe's policy;
  // none without a probe): for the first this many neighbours (by
  // similarity, one per theorem) that are not their proof's last step and
  // whose proof the model holds whole (KnnModel::RestOfProof), that proof
  // from the neighbour's step to its end, as the library wrote it,
  // proposed as one step ahead of every other (scored like the
  // neighbour's vote). Lemmas of a family are often proved alike: where
  // the rest runs, it usually closes the goal at once, and where it does
  // not it fails at the first step that does not fit, cheaply; the probe's
  // step limit bounds the rest (or each of its steps: rest_limit_per_step).
  // 0: none. Unset: kDefaultProofRests with a model that holds the proofs'
  // texts (format 3), none with an older one (KnnPolicy::proof_rests() says
  // which); set above 0 with an older model and the probe on,
  // KnnPolicy::Create fails. 4 was chosen against 0 on two samples of
  // training theorems (README, "Rests of neighbours' proofs").
  std::optional<int> proof_rests;
  static constexpr int kDefaultProofRests = 4;
  // True: a rest of n steps may take n step limits (Candidate::time_units,
  // at most Candidate::kMaxTimeUnits), the probe's limit being set for one
  // tactic. False (the default): one step limit for the whole rest. A tie
  // on training theorems (README, "Rests of neighbours' proofs").
  bool rest_limit_per_step = false;
  // True: a rest is proposed with the neighbour's local names (its state's
  // hypotheses and the conclusion's binders) replaced by this state's, as
  // single tactics are (KnnModel::AdaptedRestOfProof; needs a model of
  // format 4, else the rest as written). False (the default): as the
  // library wrote it (51 / 52 proofs with / without on training theorems,
  // README "Rests of neighbours' proofs").
  bool adapt_rests = false;
  // The probe phase (Policy::Probe): for this long after the theorem loads,
  // a search with the learned steps alone (no cheap steps, no hints, no
  // hammer, every learned step ranked by p_knn), each under
  // probe_step_timeout; then the usual search with the rest of the budget.
  // Zero: no probe. The learned steps are nearly free to try and reach
  // depth; the cheap automation and the hammer take whole seconds when they
  // fail (README, "Where the budget goes").
  absl::Duration probe_time = kDefaultProbeTime;
  absl::Duration probe_step_timeout = absl::Milliseconds(100);
  // The probe on a prover session of its own, at the same time as the
  // search proper, which then has the whole budget (PolicyProbe::alongside);
  // false: the probe first, then the search proper on its session.
  bool probe_alongside = false;
  static constexpr absl::Duration kDefaultProbeTime = absl::Milliseconds(750);
};

class KnnPolicy : public Policy {
 public:
  // Loads options.model_path. NotFound / DataLoss from KnnModel::Load
  // (missing or corrupt file), InvalidArgument if neighbors < 1.
  static absl::StatusOr<std::unique_ptr<KnnPolicy>> Create(const KnnPolicyOptions& options);
  KnnPolicy(learn::KnnModel model, const KnnPolicyOptions& options);

  std::string Name() const override { return "knn"; }

  // Up to query.n distinct steps, best first: each neighbour's tactic with
  // its names adapted to this state (neighbours whose tactic names a
  // hypothesis or variable this state lacks are dropped), scored by the
  // summed similarity of the neighbours proposing it; logprob is the log of
  // the score's share of the total. With hint_lemmas, the prover's hinted
  // steps for the neighbours' lemmas rank among them. Then the hammer token
  // (is_hammer), below every learned step; with mix, everything is one
  // ranking (KnnPolicyOptions::mix). Never blocks on anything but the CPU.
  absl::StatusOr<std::vector<Candidate>> Propose(const PolicyQuery& query,
                                                 absl::Duration deadline) override;
  // With options.probe_time > 0: the learned steps alone (a policy that
  // lives as long as this one and learns into it), for probe_time, each
  // step under probe_step_timeout.
  std::optional<PolicyProbe> Probe() override;

  const learn::KnnModel& model() const { return model_; }
  // The rests of neighbours' proofs the probe proposes
  // (KnnPolicyOptions::proof_rests, resolved against the model).
  int proof_rests() const { return proof_rests_; }

  bool LearnsFromProofs() const override { return options_.learn_online; }
  // Adds the proof's steps (goals before each, the step as run) to the
  // online model; a theorem (name and statement) already learnt is skipped.
  void LearnFromProof(const Theorem& theorem, const std::vector<FoundStep>& proof) override;
  // Steps in the online model.
  size_t online_steps() const;

 private:
  // The probe's policy: Propose with the learned steps alone; learning
  // goes to the policy it belongs to.
  class LearnedSteps : public Policy {
   public:
    explicit LearnedSteps(KnnPolicy& owner) : owner_(owner) {}
    std::string Name() const override { return "knn-probe"; }
    absl::StatusOr<std::vector<Candidate>> Propose(const PolicyQuery& query,
                                                   absl::Duration /*deadline*/) override {
      return owner_.ProposeSteps(query, /*learned_only=*/true);
    }
    bool LearnsFromProofs() const override { return owner_.LearnsFromProofs(); }
    void LearnFromProof(const Theorem& theorem, const std::vector<FoundStep>& proof) override {
      owner_.LearnFromProof(theorem, proof);
    }

   private:
    KnnPolicy& owner_;
  };

  // Propose; `learned_only`: without the cheap steps, hints and hammer, in
  // the learned steps' own order.
  std::vector<Candidate> ProposeSteps(const PolicyQuery& query, bool learned_only);
  std::shared_ptr<const learn::KnnModel> OnlineModel() const;
  // The candidates when options_.mix is set (see KnnPolicyOptions::mix):
  // `learned` holds the adapted steps and their p_knn, `hint_base` the
  // hinted steps among them with the cheap step each extends (a hinted step
  // also gets its base's fallback mass), `cheap` the prover's cheap steps.
  std::vector<Candidate> Mixture(const std::vector<std::pair<std::string, double>>& learned,
                                 const std::unordered_map<std::string, std::string>& hint_base,
                                 const std::vector<std::string>& cheap, const PolicyQuery& query,
                                 size_t limit) const;

  // ProverHeuristics::StatedLemmas of a theorem's context, parsed once per
  // context (a file's prefix takes milliseconds): by the context's hash.
  std::shared_ptr<const std::vector<ProverHeuristics::StatedLemma>> ContextLemmas(
      const ProverHeuristics& heuristics, const std::string& context);

  const learn::KnnModel model_;
  const KnnPolicyOptions options_;
  const int proof_rests_;
  LearnedSteps learned_steps_{*this};
  // Serialises LearnFromProof; training runs under it, outside mu_.
  absl::Mutex learn_mu_;
  learn::TrainingData online_data_ ABSL_GUARDED_BY(learn_mu_);
  absl::flat_hash_set<std::string> learnt_ ABSL_GUARDED_BY(learn_mu_);
  mutable absl::Mutex mu_;
  // Copy-on-write: Propose takes the pointer under mu_ and queries it
  // without the lock.
  std::shared_ptr<const learn::KnnModel> online_ ABSL_GUARDED_BY(mu_);
  // ContextLemmas's cache: a few contexts (a search's theorem, a batch's
  // concurrent ones); emptied when full.
  std::unordered_map<size_t, std::shared_ptr<const std::vector<ProverHeuristics::StatedLemma>>>
      stated_ ABSL_GUARDED_BY(mu_);
  static constexpr size_t kStatedContexts = 16;
};

}  // namespace thor

#endif  // THOR_LM_CLIENT_KNN_POLICY_H_
