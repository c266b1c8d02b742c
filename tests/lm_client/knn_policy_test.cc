// The k-NN policy through the policy factory: ranked, adapted, deduplicated
// candidates; the leakage option; errors for a missing model.
#include "lm_client/knn_policy.h"

#include <algorithm>
#include <set>

#include <gtest/gtest.h>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

#include "lm_client/policy_config.h"
#include "lm_client/policy_factory.h"

namespace thor {
namespace {

std::string Display(const std::string& hyps, const std::string& goal) {
  return "1 goal (ID 7)\n  \n" + hyps + "  ============================\n  " + goal;
}

learn::TrainingStep Step(const std::string& theorem, int ordinal, const std::string& state,
                         const std::string& tactic) {
  learn::TrainingStep s;
  s.file = "/lib/a.v";
  s.theorem = theorem;
  s.theorem_ordinal = ordinal;
  s.state_text = state;
  s.tactic = tactic;
  return s;
}

std::string ModelFile() {
  learn::TrainingData d;
  d.files = {"/lib/a.v"};
  const std::string list_goal = Display("  A : Type\n  l : list A\n", "l ++ nil = l");
  d.steps = {Step("t0", 0, list_goal, "induction l; simpl; auto."),
             Step("t1", 1, list_goal, "induction l ; simpl ;  auto."),
             Step("t2", 2, list_goal, "apply app_nil_r."),
             Step("t3", 3, Display("  n : nat\n", "n + 0 = n"), "induction n.")};
  const std::string path = ::testing::TempDir() + "/policy.knn";
  EXPECT_TRUE(learn::KnnModel::Train(d).Save(path).ok());
  return path;
}

std::unique_ptr<Policy> Make(const std::string& json) {
  absl::StatusOr<PolicyOptions> o = ParsePolicyOptions(json, "test");
  EXPECT_TRUE(o.ok()) << o.status();
  absl::StatusOr<std::unique_ptr<Policy>> p = MakePolicy("knn", *o);
  EXPECT_TRUE(p.ok()) << p.status();
  return p.ok() ? *std::move(p) : nullptr;
}

// Without parts of compound steps (below), which would put "induction xs."
// second; so also the leakage test and WithFixedSteps.
TEST(KnnPolicyTest, RanksAdaptedTacticsBySummedSimilarityThenTheHammer) {
  std::unique_ptr<Policy> p = Make("{\"knn_model\": \"" + ModelFile() +
                                   "\", \"knn_mix\": \"learned_first\", \"knn_component_weight\": 0}");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->Name(), "knn");
  PolicyQuery q;
  q.state_text = Display("  B : Type\n  xs : list B\n", "xs ++ nil = xs");
  q.n = 10;
  absl::StatusOr<std::vector<Candidate>> c = p->Propose(q, absl::Seconds(1));
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_GE(c->size(), 3u);
  // Two neighbours agree (after whitespace normalisation) on the induction.
  EXPECT_EQ((*c)[0].step, "induction xs; simpl; auto.");
  EXPECT_EQ((*c)[1].step, "apply app_nil_r.");
  EXPECT_GT((*c)[0].logprob, (*c)[1].logprob);
  EXPECT_LE((*c)[0].logprob, 0.0);
  EXPECT_TRUE(c->back().is_hammer);
  EXPECT_EQ(c->back().step, "<hammer>");
  for (size_t i = 1; i < c->size(); ++i) EXPECT_LE((*c)[i].logprob, (*c)[i - 1].logprob);
  q.n = 1;
  c = p->Propose(q, absl::Seconds(1));
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->size(), 1u);
  EXPECT_EQ((*c)[0].step, "induction xs; simpl; auto.");
}

// With component_weight (0.5 by default), "induction xs." also gets half the
// votes of the two neighbours whose tactic starts with it: it passes "apply
// app_nil_r.", which one equally near neighbour proposes; in the probe's
// learned steps too. At 0 it comes after it.
TEST(KnnPolicyTest, PartsOfCompoundStepsAreStepsOfTheirOwn) {
  const std::string model = ModelFile();
  PolicyQuery q;
  q.state_text = Display("  B : Type\n  xs : list B\n", "xs ++ nil = xs");
  q.n = 10;
  auto learned = [&q](Policy& p) {
    absl::StatusOr<std::vector<Candidate>> c = p.Propose(q, absl::Seconds(1));
    EXPECT_TRUE(c.ok()) << c.status();
    std::vector<std::string> steps;
    for (const Candidate& x : c.ok() ? *c : std::vector<Candidate>()) {
      EXPECT_LE(x.logprob, 0.0) << x.step;
      if (!x.is_hammer) steps.push_back(x.step);
    }
    return steps;
  };
  std::unique_ptr<Policy> off = Make("{\"knn_model\": \"" + model +
                                     "\", \"knn_mix\": \"learned_first\", "
                                     "\"knn_component_weight\": 0}");
  ASSERT_NE(off, nullptr);
  EXPECT_EQ(learned(*off), (std::vector<std::string>{"induction xs; simpl; auto.",
                                                     "apply app_nil_r.", "induction xs."}));
  // The default weight.
  std::unique_ptr<Policy> on = Make("{\"knn_model\": \"" + model +
                                    "\", \"knn_mix\": \"learned_first\", \"knn_probe_s\": 1}");
  ASSERT_NE(on, nullptr);
  const std::vector<std::string> parts = {"induction xs; simpl; auto.", "induction xs.",
                                          "apply app_nil_r."};
  EXPECT_EQ(learned(*on), parts);
  std::optional<PolicyProbe> probe = on->Probe();
  ASSERT_TRUE(probe.has_value());
  EXPECT_EQ(learned(*probe->policy), parts);
}

TEST(KnnPolicyTest, DropsTacticsThatNameWhatTheStateLacks) {
  std::unique_ptr<Policy> p = Make("{\"knn_model\": \"" + ModelFile() + "\"}");
  ASSERT_NE(p, nullptr);
  PolicyQuery q;
  q.state_text = Display("", "0 + 0 = 0");  // No hypothesis to induct on.
  absl::StatusOr<std::vector<Candidate>> c = p->Propose(q, absl::Seconds(1));
  ASSERT_TRUE(c.ok());
  for (const Candidate& x : *c) EXPECT_EQ(x.step.find("induction"), std::string::npos) << x.step;
}

TEST(KnnPolicyTest, LeakageSafeSeesOnlyEarlierTheorems) {
  std::unique_ptr<Policy> p = Make("{\"knn_model\": \"" + ModelFile() +
                                   "\", \"knn_leakage_safe\": true, \"knn_component_weight\": 0}");
  ASSERT_NE(p, nullptr);
  Theorem t;
  t.name = "lib/a.v:t1";
  t.file_path = "/lib/a.v";
  PolicyQuery q;
  q.theorem = &t;
  q.state_text = Display("  B : Type\n  xs : list B\n", "xs ++ nil = xs");
  absl::StatusOr<std::vector<Candidate>> c = p->Propose(q, absl::Seconds(1));
  ASSERT_TRUE(c.ok());
  // Only t0's step (and the hammer): its own (t1) and t2's are after the
  // cutoff. (Without cheap steps, the mixture may rank the hammer first.)
  ASSERT_EQ(c->size(), 2u);
  const bool hammer_first = (*c)[0].is_hammer;
  EXPECT_EQ((*c)[hammer_first ? 1 : 0].step, "induction xs; simpl; auto.");
  EXPECT_TRUE((*c)[hammer_first ? 0 : 1].is_hammer);
  t.name = "t0";
  c = p->Propose(q, absl::Seconds(1));
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->size(), 1u);
  EXPECT_TRUE((*c)[0].is_hammer);
}

TEST(KnnPolicyTest, LearnsOnlineFromProofsOnlyWhenAskedAndNotFromItsOwnProof) {
  const std::string model = ModelFile();
  // A goal the file's model knows nothing like.
  const std::string bool_goal = Display("  b : bool\n", "negb (negb b) = b");
  FoundStep s1{"destruct b.", false, "", bool_goal};
  FoundStep s2{"reflexivity.", false, "", Display("", "negb (negb true) = true")};
  Theorem learnt;
  learnt.name = "mine.v:negb_involutive";
  learnt.statement = "forall b, negb (negb b) = b.";
  learnt.file_path = "/work/mine.v";
  PolicyQuery q;
  q.state_text = Display("  c : bool\n", "negb (negb c) = c");
  q.n = 3;
  auto first = [&q](Policy& p) {
    absl::StatusOr<std::vector<Candidate>> c = p.Propose(q, absl::Seconds(1));
    EXPECT_TRUE(c.ok()) << c.status();
    return c.ok() && !c->empty() ? (*c)[0].step : std::string();
  };
  // Off by default: nothing is learnt, the search is not asked to keep states.
  std::unique_ptr<Policy> off = Make("{\"knn_model\": \"" + model + "\"}");
  ASSERT_NE(off, nullptr);
  EXPECT_FALSE(off->LearnsFromProofs());
  off->LearnFromProof(learnt, {s1, s2});
  EXPECT_NE(first(*off), "destruct c.");
  EXPECT_EQ(static_cast<KnnPolicy&>(*off).online_steps(), 0u);

  std::unique_ptr<Policy> on = Make("{\"knn_model\": \"" + model +
                                    "\", \"knn_learn_online\": true, \"knn_leakage_safe\": true, "
                                    "\"knn_mix\": \"learned_first\"}");
  ASSERT_NE(on, nullptr);
  EXPECT_TRUE(on->LearnsFromProofs());
  EXPECT_NE(first(*on), "destruct c.");
  on->LearnFromProof(learnt, {s1, s2});
  EXPECT_EQ(static_cast<KnnPolicy&>(*on).online_steps(), 2u);
  // The learnt step, adapted to this state's name, ranks first.
  EXPECT_EQ(first(*on), "destruct c.");
  // The same theorem again is not learnt twice.
  on->LearnFromProof(learnt, {s1, s2});
  EXPECT_EQ(static_cast<KnnPolicy&>(*on).online_steps(), 2u);
  // With the leakage rule, the theorem itself does not see its own proof.
  q.theorem = &learnt;
  EXPECT_NE(first(*on), "destruct c.");
  Theorem other = learnt;
  other.name = "mine.v:negb_involutive'";
  q.theorem = &other;
  EXPECT_EQ(first(*on), "destruct c.");
}

class FixedSteps : public ProverHeuristics {
 public:
  std::vector<std::string> CheapSteps(const std::string&) const override {
    return {"auto.", "induction xs ;simpl; auto.", "lia."};
  }
};

// FixedSteps, and a tactic's lemmas are the words after "apply ", handed
// over as "auto using L1, L2".
class HintingSteps : public FixedSteps {
 public:
  std::vector<std::string> Lemmas(const std::string& tactic) const override {
    std::vector<std::string> out;
    for (size_t at = tactic.find("apply "); at != std::string::npos;
         at = tactic.find("apply ", at + 1)) {
      const size_t from = at + 6, end = tactic.find_first_of(" .;", from);
      if (tactic[from] != '$') out.push_back(tactic.substr(from, end - from));
    }
    return out;
  }
  std::vector<HintedStep> HintedSteps(const std::string&,
                                      const std::vector<std::string>& lemmas) const override {
    if (lemmas.empty()) return {};
    std::string step = "auto using";
    for (size_t i = 0; i < lemmas.size(); ++i) step += (i ? ", " : " ") + lemmas[i];
    return {{step, "auto."}};
  }
};

// The test model's policy with FixedSteps (or HintingSteps) as Coq's.
std::unique_ptr<KnnPolicy> WithFixedSteps(std::optional<double> mix, int hint_lemmas = 0) {
  KnnPolicyOptions o;
  o.model_path = ModelFile();
  o.fallback["coq"] = hint_lemmas > 0 ? std::make_shared<HintingSteps>()
                                      : std::make_shared<FixedSteps>();
  o.hint_lemmas = hint_lemmas;
  o.mix = mix;
  o.component_weight = 0;
  absl::StatusOr<std::unique_ptr<KnnPolicy>> p = KnnPolicy::Create(o);
  EXPECT_TRUE(p.ok()) << p.status();
  return p.ok() ? *std::move(p) : nullptr;
}

// A Coq query on the list goal under other names (xs ++ nil = xs), n = 10.
struct ListQuery {
  ListQuery() {
    theorem.prover = "coq";
    query.theorem = &theorem;
    query.state_text = Display("  B : Type\n  xs : list B\n", "xs ++ nil = xs");
    query.n = 10;
  }
  ListQuery(const ListQuery&) = delete;
  ListQuery& operator=(const ListQuery&) = delete;
  Theorem theorem;
  PolicyQuery query;
};

TEST(KnnPolicyTest, TheProversCheapStepsFollowTheLearnedOnesThenTheHammer) {
  std::unique_ptr<KnnPolicy> p = WithFixedSteps(std::nullopt);  // Learned first.
  ASSERT_NE(p, nullptr);
  ListQuery list;
  PolicyQuery& q = list.query;
  absl::StatusOr<std::vector<Candidate>> c = p->Propose(q, absl::Seconds(1));
  ASSERT_TRUE(c.ok());
  std::vector<std::string> steps;
  for (const Candidate& x : *c) steps.push_back(x.step);
  // The learned ones (the farthest, from t3, adapted too), the cheap ones
  // not already there, the hammer.
  EXPECT_EQ(steps, (std::vector<std::string>{"induction xs; simpl; auto.", "apply app_nil_r.",
                                             "induction xs.", "auto.", "lia.", "<hammer>"}));
  for (size_t i = 1; i < c->size(); ++i) EXPECT_LT((*c)[i].logprob, (*c)[i - 1].logprob);
  // Few slots: the model keeps half of them.
  q.n = 2;
  c = p->Propose(q, absl::Seconds(1));
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->size(), 2u);
  EXPECT_EQ((*c)[0].step, "induction xs; simpl; auto.");
  EXPECT_TRUE((*c)[1].is_hammer);
}

// The mixture (the default): w = 0 is the heuristic policy's order and
// scores; w = 0.5 puts the step both propose first (their masses add), keeps
// every step once and the hammer in; w = 1 keeps the fallback after the
// learned steps.
TEST(KnnPolicyTest, MixtureRanksLearnedAndFallbackStepsTogether) {
  ListQuery list;
  PolicyQuery& q = list.query;
  auto propose = [&q](std::optional<double> mix) {
    std::unique_ptr<KnnPolicy> p = WithFixedSteps(mix);
    if (p == nullptr) return std::vector<Candidate>();
    absl::StatusOr<std::vector<Candidate>> c = p->Propose(q, absl::Seconds(1));
    EXPECT_TRUE(c.ok()) << c.status();
    return c.ok() ? *c : std::vector<Candidate>();
  };
  EXPECT_EQ(KnnPolicyOptions().mix, KnnPolicyOptions::kDefaultMix);
  std::vector<Candidate> heuristic = propose(0.0);
  ASSERT_EQ(heuristic.size(), 4u);
  const std::vector<std::string> fixed = {"auto.", "induction xs ;simpl; auto.", "lia."};
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(learn::NormalizeTactic(heuristic[i].step), learn::NormalizeTactic(fixed[i]));
  }
  EXPECT_TRUE(heuristic[3].is_hammer);
  for (size_t i = 0; i < 4; ++i) EXPECT_NEAR(heuristic[i].logprob, -0.05 * i, 1e-9);

  std::vector<Candidate> mixed = propose(0.5);
  ASSERT_FALSE(mixed.empty());
  EXPECT_EQ(learn::NormalizeTactic(mixed[0].step), "induction xs; simpl; auto.");
  EXPECT_DOUBLE_EQ(mixed[0].logprob, 0.0);
  std::set<std::string> seen;
  int hammers = 0;
  for (size_t i = 0; i < mixed.size(); ++i) {
    EXPECT_TRUE(seen.insert(learn::NormalizeTactic(mixed[i].step)).second) << mixed[i].step;
    hammers += mixed[i].is_hammer;
    if (i > 0) {
      EXPECT_LE(mixed[i].logprob, mixed[i - 1].logprob);
    }
  }
  EXPECT_EQ(hammers, 1);
  EXPECT_TRUE(seen.count("apply app_nil_r.") && seen.count("auto.") && seen.count("lia."));

  std::vector<Candidate> learned = propose(1.0);
  ASSERT_GE(learned.size(), 6u);
  EXPECT_EQ(learned[1].step, "apply app_nil_r.");
  EXPECT_EQ(learned[2].step, "induction xs.");
  EXPECT_EQ(learned[3].step, "auto.");
  EXPECT_TRUE(learned.back().is_hammer);
  // Two slots: the best step and the hammer.
  q.n = 2;
  std::vector<Candidate> two = propose(0.5);
  ASSERT_EQ(two.size(), 2u);
  EXPECT_TRUE(two[1].is_hammer);
}

// Learnt premises: the lemma a neighbour applied (t2's app_nil_r) goes to
// the prover's hinted step, scored like a learned step by the similarity of
// the neighbours that named a lemma; none when off or when the leakage rule
// hides the only neighbour that named one.
TEST(KnnPolicyTest, LemmasTheNeighboursNameGoToTheProversHintedSteps) {
  auto steps = [](std::unique_ptr<KnnPolicy> p, PolicyQuery& q) {
    std::vector<std::string> out;
    if (p == nullptr) return out;
    absl::StatusOr<std::vector<Candidate>> c = p->Propose(q, absl::Seconds(1));
    EXPECT_TRUE(c.ok()) << c.status();
    if (!c.ok()) return out;
    for (const Candidate& x : *c) out.push_back(x.step);
    return out;
  };
  auto has = [](const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  };
  ListQuery list;
  std::vector<std::string> learned_first = steps(WithFixedSteps(std::nullopt, 4), list.query);
  // Learned steps by summed similarity: app_nil_r's neighbour alone, like
  // its own tactic, after the two that agree on the induction.
  ASSERT_GE(learned_first.size(), 4u);
  EXPECT_EQ(learned_first[0], "induction xs; simpl; auto.");
  EXPECT_TRUE(has(learned_first, "auto using app_nil_r")) << learned_first.size();
  const auto at = [&](const std::string& s) {
    return std::find(learned_first.begin(), learned_first.end(), s) - learned_first.begin();
  };
  EXPECT_LT(at("auto using app_nil_r"), at("auto."));  // Among the learned steps.
  EXPECT_FALSE(has(steps(WithFixedSteps(std::nullopt, 0), list.query), "auto using app_nil_r"));
  // In the mixture it also has its base's mass: just before "auto." (only
  // the induction both sides propose ranks higher); at w = 0 (the
  // heuristic policy) not at all.
  std::vector<std::string> mixed = steps(WithFixedSteps(0.25, 4), list.query);
  ASSERT_GE(mixed.size(), 3u);
  EXPECT_EQ(mixed[0], "induction xs; simpl; auto.");
  EXPECT_EQ(mixed[1], "auto using app_nil_r");
  EXPECT_EQ(mixed[2], "auto.");
  EXPECT_FALSE(has(steps(WithFixedSteps(0.0, 4), list.query), "auto using app_nil_r"));
  // The probe never gets them: its list is the learned steps alone.
  std::unique_ptr<KnnPolicy> hinting = WithFixedSteps(std::nullopt, 4);
  ASSERT_NE(hinting, nullptr);
  std::optional<PolicyProbe> probe = hinting->Probe();
  ASSERT_TRUE(probe.has_value());
  absl::StatusOr<std::vector<Candidate>> probed = probe->policy->Propose(list.query, absl::Seconds(1));
  ASSERT_TRUE(probed.ok()) << probed.status();
  EXPECT_FALSE(probed->empty());
  for (const Candidate& c : *probed) EXPECT_EQ(c.step.find("auto using"), std::string::npos) << c.step;

  // The theorem's own file first: a neighbour of another file adds its
  // lemma in a second, separate step (its names may not resolve here).
  learn::TrainingData two;
  two.files = {"/lib/a.v", "/lib/b.v"};
  const std::string list_goal = Display("  A : Type\n  l : list A\n", "l ++ nil = l");
  two.steps = {Step("t0", 0, list_goal, "apply app_nil_r."),
               Step("u0", 0, list_goal, "apply other_file_lemma.")};
  two.steps[1].file = "/lib/b.v";
  const std::string two_path = ::testing::TempDir() + "/two_files.knn";
  ASSERT_TRUE(learn::KnnModel::Train(two).Save(two_path).ok());
  KnnPolicyOptions o;
  o.model_path = two_path;
  o.fallback["coq"] = std::make_shared<HintingSteps>();
  o.hint_lemmas = 4;
  o.mix.reset();
  absl::StatusOr<std::unique_ptr<KnnPolicy>> by_file = KnnPolicy::Create(o);
  ASSERT_TRUE(by_file.ok()) << by_file.status();
  list.theorem.file_path = "/lib/a.v";
  std::vector<std::string> own_first = steps(*std::move(by_file), list.query);
  EXPECT_TRUE(has(own_first, "auto using app_nil_r"));
  EXPECT_TRUE(has(own_first, "auto using app_nil_r, other_file_lemma") ||
              has(own_first, "auto using other_file_lemma, app_nil_r"));
  list.theorem.file_path = "/elsewhere/c.v";  // Neither file: one step, both lemmas.
  by_file = KnnPolicy::Create(o);
  ASSERT_TRUE(by_file.ok());
  std::vector<std::string> neither = steps(*std::move(by_file), list.query);
  EXPECT_FALSE(has(neither, "auto using app_nil_r"));

  o.model_path = ModelFile();
  o.mix = KnnPolicyOptions::kDefaultMix;
  o.leakage_safe = true;
  absl::StatusOr<std::unique_ptr<KnnPolicy>> safe = KnnPolicy::Create(o);
  ASSERT_TRUE(safe.ok());
  list.theorem.name = "t2";  // Sees t0 and t1 only.
  list.theorem.file_path = "/lib/a.v";
  EXPECT_FALSE(has(steps(*std::move(safe), list.query), "auto using app_nil_r"));
}

class OneCheapStep : public ProverHeuristics {
 public:
  std::vector<std::string> CheapSteps(const std::string& /*state_text*/) const override {
    return {"sauto"};
  }
};

TEST(KnnPolicyTest, TheProbeProposesTheLearnedStepsAloneAndCanBeTurnedOff) {
  absl::StatusOr<PolicyOptions> o = ParsePolicyOptions("{\"knn_model\": \"" + ModelFile() + "\"}", "test");
  ASSERT_TRUE(o.ok()) << o.status();
  o->prover_heuristics["coq"] = std::make_shared<OneCheapStep>();
  absl::StatusOr<std::unique_ptr<Policy>> made = MakePolicy("knn", *o);
  ASSERT_TRUE(made.ok()) << made.status();
  std::unique_ptr<Policy> p = *std::move(made);
  Theorem t;
  t.prover = "coq";
  PolicyQuery q;
  q.theorem = &t;
  q.state_text = Display("  B : Type\n  xs : list B\n", "xs ++ nil = xs");
  q.n = 10;
  // The policy itself: learned steps, cheap steps and the hammer.
  absl::StatusOr<std::vector<Candidate>> all = p->Propose(q, absl::Seconds(1));
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_TRUE(std::any_of(all->begin(), all->end(), [](const Candidate& c) {
    return c.is_hammer;
  }));
  EXPECT_TRUE(std::any_of(all->begin(), all->end(), [](const Candidate& c) {
    return c.step == "sauto";
  }));
  // On by default, with the defaults of KnnPolicyOptions.
  std::optional<PolicyProbe> probe = p->Probe();
  ASSERT_TRUE(probe.has_value());
  ASSERT_NE(probe->policy, nullptr);
  EXPECT_EQ(probe->time, KnnPolicyOptions::kDefaultProbeTime);
  EXPECT_EQ(probe->step_timeout, absl::Milliseconds(100));
  absl::StatusOr<std::vector<Candidate>> learned = probe->policy->Propose(q, absl::Seconds(1));
  ASSERT_TRUE(learned.ok()) << learned.status();
  // The learned steps of the policy's list, in their own order, nothing else.
  std::vector<std::string> expected;
  for (const Candidate& c : *all) {
    if (!c.is_hammer && c.step != "sauto") expected.push_back(c.step);
  }
  std::vector<std::string> got;
  for (const Candidate& c : *learned) got.push_back(c.step);
  std::sort(expected.begin(), expected.end());
  std::vector<std::string> sorted_got = got;
  std::sort(sorted_got.begin(), sorted_got.end());
  EXPECT_EQ(sorted_got, expected);
  ASSERT_GE(got.size(), 3u);
  EXPECT_EQ(got[0], "induction xs; simpl; auto.");
  // The part of the compound step (on by default) before the other step.
  EXPECT_EQ(got[1], "induction xs.");
  EXPECT_EQ(got[2], "apply app_nil_r.");
  for (size_t i = 1; i < learned->size(); ++i) {
    EXPECT_LE((*learned)[i].logprob, (*learned)[i - 1].logprob);
  }
  EXPECT_EQ(probe->policy->LearnsFromProofs(), p->LearnsFromProofs());
  // Set by the keys, or off.
  std::unique_ptr<Policy> set = Make("{\"knn_model\": \"" + ModelFile() +
                                     "\", \"knn_probe_s\": 1.5, \"knn_probe_step_s\": 0.25}");
  ASSERT_NE(set, nullptr);
  ASSERT_TRUE(set->Probe().has_value());
  EXPECT_EQ(set->Probe()->time, absl::Milliseconds(1500));
  EXPECT_EQ(set->Probe()->step_timeout, absl::Milliseconds(250));
  EXPECT_FALSE(set->Probe()->alongside);  // First, then the search proper.
  std::unique_ptr<Policy> beside =
      Make("{\"knn_model\": \"" + ModelFile() + "\", \"knn_probe_alongside\": true}");
  ASSERT_NE(beside, nullptr);
  ASSERT_TRUE(beside->Probe().has_value());
  EXPECT_TRUE(beside->Probe()->alongside);
  EXPECT_FALSE(ParsePolicyOptions("{\"knn_probe_alongside\": 1}", "p").ok());
  std::unique_ptr<Policy> off =
      Make("{\"knn_model\": \"" + ModelFile() + "\", \"knn_probe_s\": 0}");
  ASSERT_NE(off, nullptr);
  EXPECT_FALSE(off->Probe().has_value());
  EXPECT_FALSE(ParsePolicyOptions("{\"knn_probe_s\": -1}", "p").ok());
  EXPECT_FALSE(ParsePolicyOptions("{\"knn_probe_s\": \"1\"}", "p").ok());
  EXPECT_FALSE(ParsePolicyOptions("{\"knn_probe_step_s\": 0}", "p").ok());
}

// How the neighbours vote: with the plain sum (power 1) three fairly near
// neighbours outvote the nearest one; at a higher power the nearest wins. A
// neighbour of the query's own file counts own_file_weight times.
TEST(KnnPolicyTest, TheNearestNeighbourAndTheOwnFileWeighMore) {
  learn::TrainingData d;
  d.files = {"/lib/a.v", "/lib/b.v"};
  const std::string query = Display("  n, m : nat\n", "n + m = m + n");
  const std::string fair = Display("  n, m : nat\n  H : n = m\n", "n + m <= m + n");
  d.steps = {Step("near", 0, query, "apply Nat.add_comm."),
             Step("f1", 1, fair, "lia."), Step("f2", 2, fair, "lia."),
             Step("f3", 3, fair, "lia."),
             Step("other_file", 0, query, "ring.")};
  for (size_t i = 1; i < d.steps.size(); ++i) d.steps[i].file = "/lib/b.v";
  const std::string path = ::testing::TempDir() + "/vote.knn";
  ASSERT_TRUE(learn::KnnModel::Train(d).Save(path).ok());
  auto first = [&](double power, double own_file_weight) {
    KnnPolicyOptions o;
    o.model_path = path;
    o.mix = std::nullopt;
    o.similarity_power = power;
    o.own_file_weight = own_file_weight;
    o.apply_lemmas = 0;
    absl::StatusOr<std::unique_ptr<KnnPolicy>> p = KnnPolicy::Create(o);
    EXPECT_TRUE(p.ok()) << p.status();
    if (!p.ok()) return std::vector<std::string>();
    Theorem t;
    t.prover = "coq";
    t.name = "mine";
    t.file_path = "/lib/a.v";
    PolicyQuery q;
    q.theorem = &t;
    q.state_text = query;
    q.n = 4;
    absl::StatusOr<std::vector<Candidate>> c = (*p)->Propose(q, absl::Seconds(1));
    EXPECT_TRUE(c.ok()) << c.status();
    std::vector<std::string> out;
    if (c.ok()) {
      for (const Candidate& x : *c) out.push_back(x.step);
    }
    return out;
  };
  EXPECT_EQ(KnnPolicyOptions().similarity_power, KnnPolicyOptions::kDefaultSimilarityPower);
  EXPECT_EQ(KnnPolicyOptions().own_file_weight, KnnPolicyOptions::kDefaultOwnFileWeight);
  // Power 1, no file preference: the three fair neighbours' lia first; the
  // two nearest (as near as each other) in model order.
  std::vector<std::string> plain = first(1.0, 1.0);
  ASSERT_GE(plain.size(), 3u);
  EXPECT_EQ(plain[0], "lia.");
  // Power 8: the nearest ones first, lia last.
  std::vector<std::string> sharp = first(8.0, 1.0);
  ASSERT_GE(sharp.size(), 3u);
  EXPECT_NE(sharp[0], "lia.");
  EXPECT_EQ(sharp[2], "lia.");
  // Own-file weight: of the two nearest, a.v's before b.v's, and a
  // weight below 1 puts b.v's first.
  std::vector<std::string> own = first(8.0, 2.0);
  ASSERT_GE(own.size(), 2u);
  EXPECT_EQ(own[0], "apply Nat.add_comm.");
  EXPECT_EQ(own[1], "ring.");
  std::vector<std::string> away = first(8.0, 0.5);
  ASSERT_GE(away.size(), 2u);
  EXPECT_EQ(away[0], "ring.");
}

// The steps (text, best first, at most 16) that the policy `o` makes, or its
// probe's policy, proposes for `state` in theorem `t`; asked `queries` times
// of the same policy, each answer the same as the one before.
std::vector<std::string> ProposedSteps(const KnnPolicyOptions& o, const Theorem& t,
                                       const std::string& state, bool probe, int queries = 1) {
  std::vector<std::string> out;
  absl::StatusOr<std::unique_ptr<KnnPolicy>> p = KnnPolicy::Create(o);
  EXPECT_TRUE(p.ok()) << p.status();
  if (!p.ok()) return out;
  PolicyQuery q;
  q.theorem = &t;
  q.state_text = state;
  q.n = 16;
  Policy* policy = p->get();
  std::optional<PolicyProbe> pp = (*p)->Probe();
  if (probe) {
    EXPECT_TRUE(pp.has_value());
    if (!pp.has_value()) return out;
    policy = pp->policy;
  }
  for (int i = 0; i < queries; ++i) {
    absl::StatusOr<std::vector<Candidate>> c = policy->Propose(q, absl::Seconds(1));
    EXPECT_TRUE(c.ok()) << c.status();
    std::vector<std::string> steps;
    if (c.ok()) {
      for (const Candidate& x : *c) steps.push_back(x.step);
    }
    if (i > 0) {
      EXPECT_EQ(steps, out);
    }
    out = std::move(steps);
  }
  return out;
}

// Lemma steps "use L" and "use L twice"; a lemma of another file is named
// "other.L", of the theorem's own file "L".
class LemmaUsingSteps : public FixedSteps {
 public:
  std::string LemmaName(const std::string& file, const std::string& theorem,
                        bool same_file) const override {
    return same_file ? theorem : (file == "/lib/b.v" ? "other." + theorem : "?" + theorem);
  }
  std::vector<std::string> LemmaSteps(const std::string& lemma) const override {
    return {"use " + lemma, "use " + lemma + " twice"};
  }
};

// Neighbours' theorems as lemmas: a theorem whose first step's state (its
// statement) is near the goal is proposed through the prover's lemma steps,
// by similarity, its second step at half the score; a later step's theorem,
// the query's own theorem and (with the option at 0) every theorem are not.
TEST(KnnPolicyTest, TheoremsWhoseStatementsAreNearTheGoalAreProposedAsLemmas) {
  const std::string list_goal = Display("  A : Type\n  l : list A\n", "l ++ nil = l");
  const std::string nat_goal = Display("  n : nat\n", "n + 0 = n");
  learn::TrainingData d;
  d.files = {"/lib/a.v", "/lib/b.v"};
  d.steps = {Step("app_l_nil", 0, list_goal, "induction l; auto."),
             Step("plus_n_O", 1, nat_goal, "induction n; auto."),
             Step("later_step", 2, Display("  B : Type\n", "True"), "auto."),
             Step("app_nil_end", 0, list_goal, "auto.")};
  d.steps[2].index = 1;
  d.steps[2].state_text = list_goal;  // As near, but not a first step.
  d.steps[3].file = "/lib/b.v";
  const std::string path = ::testing::TempDir() + "/lemmas.knn";
  ASSERT_TRUE(learn::KnnModel::Train(d).Save(path).ok());
  auto propose = [&](int apply_lemmas, const std::string& theorem_name, bool probe) {
    KnnPolicyOptions o;
    o.model_path = path;
    o.fallback["coq"] = std::make_shared<LemmaUsingSteps>();
    o.apply_lemmas = apply_lemmas;
    o.mix = std::nullopt;  // Learned first: the learned steps' own order.
    Theorem t;
    t.prover = "coq";
    t.name = theorem_name;
    t.file_path = "/lib/a.v";
    return ProposedSteps(o, t, Display("  B : Type\n  xs : list B\n", "xs ++ nil = xs"), probe);
  };
  auto at = [](const std::vector<std::string>& v, const std::string& s) {
    return static_cast<int>(std::find(v.begin(), v.end(), s) - v.begin());
  };
  EXPECT_EQ(KnnPolicyOptions().apply_lemmas, KnnPolicyOptions::kDefaultApplyLemmas);
  const std::vector<std::string> on = propose(4, "lib/a.v:mine", false);
  const int n = static_cast<int>(on.size());
  // Its own file's theorem by its name, another file's by the prover's.
  EXPECT_LT(at(on, "use app_l_nil"), n);
  EXPECT_LT(at(on, "use other.app_nil_end"), n);
  EXPECT_LT(at(on, "use app_l_nil"), at(on, "use app_l_nil twice"));
  // A lemma at similarity s ranks with a learned step of the same summed
  // similarity: the induction (two neighbours, plus_n_O's adapted too) first.
  EXPECT_LT(at(on, "induction xs; auto."), at(on, "use app_l_nil"));
  // A theorem whose neighbour is not its first step is not a lemma.
  for (const std::string& s : on) EXPECT_EQ(s.find("later_step"), std::string::npos) << s;
  // The probe proposes them too.
  const std::vector<std::string> probe = propose(4, "lib/a.v:mine", true);
  EXPECT_LT(at(probe, "use app_l_nil"), static_cast<int>(probe.size()));
  // At most apply_lemmas theorems; none at 0; never the query's own.
  const std::vector<std::string> one = propose(1, "lib/a.v:mine", false);
  EXPECT_LT(at(one, "use app_l_nil"), static_cast<int>(one.size()));
  EXPECT_EQ(at(one, "use other.app_nil_end"), static_cast<int>(one.size()));
  for (const std::string& s : propose(0, "lib/a.v:mine", false)) {
    EXPECT_NE(s.rfind("use ", 0), 0u) << s;
  }
  const std::vector<std::string> own = propose(4, "lib/a.v:app_l_nil", false);
  EXPECT_EQ(at(own, "use app_l_nil"), static_cast<int>(own.size()));
  EXPECT_LT(at(own, "use other.app_nil_end"), static_cast<int>(own.size()));
}

// LemmaUsingSteps whose context is lines "name:head" and whose goal head is
// the conclusion's first word.
class HeadedLemmas : public LemmaUsingSteps {
 public:
  std::vector<StatedLemma> StatedLemmas(const std::string& context) const override {
    std::vector<StatedLemma> out;
    for (absl::string_view line : absl::StrSplit(context, '\n', absl::SkipEmpty())) {
      std::pair<std::string, std::string> nh = absl::StrSplit(line, ':');
      out.push_back({nh.first, nh.second});
    }
    return out;
  }
  std::string GoalHead(const std::string& state_text) const override {
    const size_t at = state_text.rfind("====\n  ");
    if (at == std::string::npos) return "";
    const std::string conclusion = state_text.substr(at + 7);
    return conclusion.substr(0, conclusion.find(' '));
  }
};

// The context's lemmas: the latest with the goal's head, by the prover's
// lemma steps, up to context_lemmas of them; another head, the theorem
// itself and (at 0) every lemma are not proposed; the probe has them.
TEST(KnnPolicyTest, TheContextsLatestLemmasWithTheGoalsHeadAreProposed) {
  learn::TrainingData d;
  d.files = {"/lib/a.v"};
  d.steps = {Step("t0", 0, Display("  l : list nat\n", "Sorted l"), "induction l; auto.")};
  const std::string path = ::testing::TempDir() + "/context_lemmas.knn";
  ASSERT_TRUE(learn::KnnModel::Train(d).Save(path).ok());
  auto propose = [&](int context_lemmas, const std::string& context, bool probe) {
    KnnPolicyOptions o;
    o.model_path = path;
    o.fallback["coq"] = std::make_shared<HeadedLemmas>();
    o.context_lemmas = context_lemmas;
    o.mix = std::nullopt;
    Theorem t;
    t.prover = "coq";
    t.name = "lib/a.v:e";
    t.file_path = "/lib/a.v";
    t.context = context;
    // Twice: the second query reads the cached context.
    return ProposedSteps(o, t, Display("  xs : list nat\n", "Sorted xs"), probe, /*queries=*/2);
  };
  auto at = [](const std::vector<std::string>& v, const std::string& s) {
    return static_cast<int>(std::find(v.begin(), v.end(), s) - v.begin());
  };
  EXPECT_EQ(KnnPolicyOptions().context_lemmas, KnnPolicyOptions::kDefaultContextLemmas);
  const std::string context = "a:Sorted\nb:NoDup\nc:Sorted\nd:Sorted\ne:Sorted\n";
  const std::vector<std::string> two = propose(2, context, false);
  const int n = static_cast<int>(two.size());
  EXPECT_LT(at(two, "use d"), at(two, "use c"));
  EXPECT_LT(at(two, "use c"), n);
  EXPECT_LT(at(two, "use d"), at(two, "use d twice"));
  EXPECT_EQ(at(two, "use a"), n);  // Beyond the two latest.
  EXPECT_EQ(at(two, "use b"), n);  // Another head.
  EXPECT_EQ(at(two, "use e"), n);  // The theorem itself.
  // The neighbour's own tactic keeps its place ahead of them.
  EXPECT_LT(at(two, "induction xs; auto."), at(two, "use d"));
  const std::vector<std::string> probe = propose(2, context, true);
  EXPECT_LT(at(probe, "use d"), static_cast<int>(probe.size()));
  const std::vector<std::string> three = propose(3, context, false);
  EXPECT_LT(at(three, "use a"), static_cast<int>(three.size()));
  for (const std::string& s : propose(0, context, false)) EXPECT_NE(s.rfind("use ", 0), 0u) << s;
  for (const std::string& s : propose(2, "", false)) EXPECT_NE(s.rfind("use ", 0), 0u) << s;
  const std::vector<std::string> other = propose(2, "x:NoDup\ny:Sorted\n", false);
  EXPECT_LT(at(other, "use y"), static_cast<int>(other.size()));
  EXPECT_EQ(at(other, "use x"), static_cast<int>(other.size()));
}

// A library where three lemmas of one family are proved alike, and a
// one-step proof beside them.
std::string FamilyModelFile() {
  learn::TrainingData d;
  d.files = {"/lib/f.v"};
  auto step = [](const std::string& theorem, int ordinal, int index, const std::string& state,
                 const std::string& tactic) {
    learn::TrainingStep s = Step(theorem, ordinal, state, tactic);
    s.file = "/lib/f.v";
    s.index = index;
    return s;
  };
  const std::string root = Display("", "forall l1 l2 : list nat, rev (l1 ++ l2) = rev l2 ++ rev l1");
  const std::string inner = Display("  l1, l2 : list nat\n", "rev (l1 ++ l2) = rev l2 ++ rev l1");
  d.steps = {step("fam_a", 0, 0, root, "intros l1 l2."),
             step("fam_a", 0, 1, inner, "induction l1; simpl."),
             step("fam_a", 0, 2, inner, "all: auto."),
             step("one", 1, 0, root, "apply rev_app_distr."),
             step("fam_b", 2, 0, root, "intros l1 l2."),
             step("fam_b", 2, 1, inner, "induction l1; simpl; auto."),
             step("later", 3, 0, Display("  n : nat\n", "n + 0 = n"), "induction n; auto.")};
  const std::string path = ::testing::TempDir() + "/family.knn";
  EXPECT_TRUE(learn::KnnModel::Train(d).Save(path).ok());
  return path;
}

TEST(KnnPolicyTest, TheProbeProposesTheRestOfANeighboursProofFirst) {
  const std::string model = FamilyModelFile();
  std::unique_ptr<Policy> p =
      Make("{\"knn_model\": \"" + model +
           "\", \"knn_proof_rests\": 4, \"knn_leakage_safe\": true, \"knn_mix\": \"learned_first\"}");
  ASSERT_NE(p, nullptr);
  std::optional<PolicyProbe> probe = p->Probe();
  ASSERT_TRUE(probe.has_value());
  Theorem t;
  t.name = "f.v:later";  // After all of them in the file: sees every proof.
  t.file_path = "/lib/f.v";
  PolicyQuery q;
  q.theorem = &t;
  q.n = 8;
  const std::string root =
      Display("", "forall l1 l2 : list nat, rev (l1 ++ l2) = rev l2 ++ rev l1");
  q.state_text = root;
  absl::StatusOr<std::vector<Candidate>> c = probe->policy->Propose(q, absl::Seconds(1));
  ASSERT_TRUE(c.ok()) << c.status();
  std::vector<std::string> steps;
  for (const Candidate& x : *c) steps.push_back(x.step);
  // Both family proofs, whole, ahead of every single step; none for the
  // one-step proof (its step is proposed as it is).
  ASSERT_GE(steps.size(), 4u);
  const std::set<std::string> first(steps.begin(), steps.begin() + 2);
  EXPECT_EQ(first, (std::set<std::string>{"intros l1 l2. induction l1; simpl. all: auto.",
                                          "intros l1 l2. induction l1; simpl; auto."}))
      << absl::StrJoin(steps, " | ");
  // One step limit for a whole rest by default.
  for (const Candidate& x : *c) EXPECT_EQ(x.time_units, 1) << x.step;
  EXPECT_EQ(std::count(steps.begin(), steps.end(), "apply rev_app_distr."), 1);
  EXPECT_EQ(std::count(steps.begin(), steps.end(), "intros l1 l2."), 1);
  EXPECT_LE(c->size(), 8u);
  for (const Candidate& x : *c) EXPECT_LE(x.logprob, 0.0);
  // The search proper's candidates have none (learned_first: the ranking
  // path the probe's shares, where rests would otherwise be put first).
  c = p->Propose(q, absl::Seconds(1));
  ASSERT_TRUE(c.ok());
  for (const Candidate& x : *c) EXPECT_EQ(x.step.find(". "), std::string::npos) << x.step;
  // Mid-proof, the rest from the neighbour's step on; with room for one
  // candidate, that rest.
  const std::string mid = Display("  l1, l2 : list nat\n", "rev (l1 ++ l2) = rev l2 ++ rev l1");
  // The probe's candidates in `state` with room for one (q as it was after).
  auto only_one = [&q](Policy& policy, const std::string& state) {
    const PolicyQuery saved = q;
    q.state_text = state;
    q.n = 1;
    absl::StatusOr<std::vector<Candidate>> one =
        policy.Probe()->policy->Propose(q, absl::Seconds(1));
    q = saved;
    return one.ok() ? *std::move(one) : std::vector<Candidate>();
  };
  std::vector<Candidate> one = only_one(*p, mid);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].step, "induction l1; simpl. all: auto.");

  // Leakage: fam_b sees only fam_a and one, so only fam_a's rest.
  t.name = "f.v:fam_b";
  c = probe->policy->Propose(q, absl::Seconds(1));
  ASSERT_TRUE(c.ok());
  ASSERT_FALSE(c->empty());
  EXPECT_EQ((*c)[0].step, "intros l1 l2. induction l1; simpl. all: auto.");
  for (const Candidate& x : *c) EXPECT_NE(x.step, "intros l1 l2. induction l1; simpl; auto.");

  // By default (the key unset), the same rests first.
  std::unique_ptr<Policy> by_default = Make("{\"knn_model\": \"" + model + "\"}");
  ASSERT_NE(by_default, nullptr);
  t.name = "f.v:later";
  c = by_default->Probe()->policy->Propose(q, absl::Seconds(1));
  ASSERT_TRUE(c.ok());
  ASSERT_FALSE(c->empty());
  EXPECT_NE((*c)[0].step.find(". "), std::string::npos) << (*c)[0].step;

  // If asked, a step limit for each of a rest's steps (three and two); one
  // for each single step.
  std::unique_ptr<Policy> per_step = Make("{\"knn_model\": \"" + model +
                                          "\", \"knn_rest_limit_per_step\": true}");
  ASSERT_NE(per_step, nullptr);
  c = per_step->Probe()->policy->Propose(q, absl::Seconds(1));
  ASSERT_TRUE(c.ok());
  ASSERT_GE(c->size(), 2u);
  for (const Candidate& x : *c) {
    const int units = x.step == "intros l1 l2. induction l1; simpl. all: auto." ? 3
                      : x.step == "intros l1 l2. induction l1; simpl; auto."    ? 2
                                                                                : 1;
    EXPECT_EQ(x.time_units, units) << x.step;
  }
  EXPECT_EQ((*c)[0].time_units + (*c)[1].time_units, 5);
  one = only_one(*per_step, mid);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].step, "induction l1; simpl. all: auto.");
  EXPECT_EQ(one[0].time_units, 2);
  EXPECT_FALSE(ParsePolicyOptions("{\"knn_rest_limit_per_step\": 1}", "p").ok());

  // In the goal's own names, if asked: the same goal over other variables
  // (as written, the rests would name l1 and l2, which it has not).
  std::unique_ptr<Policy> adapting =
      Make("{\"knn_model\": \"" + model + "\", \"knn_adapt_rests\": true}");
  ASSERT_NE(adapting, nullptr);
  const std::set<std::string> adapted{"intros xs ys. induction xs; simpl. all: auto.",
                                      "intros xs ys. induction xs; simpl; auto."};
  const std::set<std::string> written{"intros l1 l2. induction l1; simpl. all: auto.",
                                      "intros l1 l2. induction l1; simpl; auto."};
  q.state_text = Display("", "forall xs ys : list nat, rev (xs ++ ys) = rev ys ++ rev xs");
  for (const bool adapt : {true, false}) {
    c = (adapt ? adapting : by_default)->Probe()->policy->Propose(q, absl::Seconds(1));
    ASSERT_TRUE(c.ok());
    ASSERT_GE(c->size(), 2u);
    EXPECT_EQ((std::set<std::string>{(*c)[0].step, (*c)[1].step}), adapt ? adapted : written)
        << "adapt " << adapt;
  }
  q.state_text = root;
  one = only_one(*adapting, Display("  xs, ys : list nat\n", "rev (xs ++ ys) = rev ys ++ rev xs"));
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].step, "induction xs; simpl. all: auto.");
  EXPECT_FALSE(ParsePolicyOptions("{\"knn_adapt_rests\": \"yes\"}", "p").ok());

  // Off: no multi-step candidate in the probe either.
  std::unique_ptr<Policy> off =
      Make("{\"knn_model\": \"" + model + "\", \"knn_proof_rests\": 0}");
  ASSERT_NE(off, nullptr);
  t.name = "f.v:later";
  c = off->Probe()->policy->Propose(q, absl::Seconds(1));
  ASSERT_TRUE(c.ok());
  ASSERT_FALSE(c->empty());
  for (const Candidate& x : *c) EXPECT_EQ(x.step.find(". "), std::string::npos) << x.step;
}

TEST(KnnPolicyTest, MissingModelOrBadOptionsAreErrors) {
  PolicyOptions o;
  absl::StatusOr<std::unique_ptr<Policy>> none = MakePolicy("knn", o);
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("--knn_model=FILE"), std::string::npos);
  o.knn_model = ::testing::TempDir() + "/absent.knn";
  EXPECT_EQ(MakePolicy("knn", o).status().code(), absl::StatusCode::kNotFound);
  EXPECT_FALSE(ParsePolicyOptions("{\"knn_neighbors\": 0}", "p").ok());
  EXPECT_FALSE(ParsePolicyOptions("{\"knn_leakage_safe\": 1}", "p").ok());
  EXPECT_FALSE(ParsePolicyOptions("{\"knn_mix\": 1.5}", "p").ok());
  EXPECT_FALSE(ParsePolicyOptions("{\"knn_mix\": \"mixed\"}", "p").ok());
  absl::StatusOr<PolicyOptions> mix = ParsePolicyOptions("{\"knn_mix\": 0.25}", "p");
  ASSERT_TRUE(mix.ok()) << mix.status();
  EXPECT_EQ(mix->knn_mix, 0.25);
  EXPECT_FALSE(ParsePolicyOptions("{\"knn_hints\": -1}", "p").ok());
  EXPECT_FALSE(ParsePolicyOptions("{\"knn_hints\": 2.5}", "p").ok());
  absl::StatusOr<PolicyOptions> hints = ParsePolicyOptions("{\"knn_hints\": 0}", "p");
  ASSERT_TRUE(hints.ok()) << hints.status();
  EXPECT_EQ(hints->knn_hints, 0);
  EXPECT_EQ(KnnPolicyOptions().hint_lemmas, KnnPolicyOptions::kDefaultHintLemmas);
  EXPECT_FALSE(ParsePolicyOptions("{}", "p")->knn_hints.has_value());
  EXPECT_FALSE(ParsePolicyOptions("{\"knn_apply\": -1}", "p").ok());
  EXPECT_FALSE(ParsePolicyOptions("{\"knn_apply\": 33}", "p").ok());
  EXPECT_FALSE(ParsePolicyOptions("{\"knn_context_lemmas\": -1}", "p").ok());
  EXPECT_FALSE(ParsePolicyOptions("{\"knn_context_lemmas\": 33}", "p").ok());
  EXPECT_EQ(ParsePolicyOptions("{\"knn_context_lemmas\": 4}", "p")->knn_context_lemmas, 4);
  EXPECT_FALSE(ParsePolicyOptions("{}", "p")->knn_context_lemmas.has_value());
  EXPECT_FALSE(ParsePolicyOptions("{\"knn_similarity_power\": 0}", "p").ok());
  EXPECT_FALSE(ParsePolicyOptions("{\"knn_similarity_power\": \"2\"}", "p").ok());
  EXPECT_FALSE(ParsePolicyOptions("{\"knn_own_file_weight\": -1}", "p").ok());
  absl::StatusOr<PolicyOptions> vote = ParsePolicyOptions(
      "{\"knn_apply\": 0, \"knn_similarity_power\": 1, \"knn_own_file_weight\": 1.5}", "p");
  ASSERT_TRUE(vote.ok()) << vote.status();
  EXPECT_EQ(vote->knn_apply, 0);
  EXPECT_EQ(vote->knn_similarity_power, 1.0);
  EXPECT_EQ(vote->knn_own_file_weight, 1.5);
  EXPECT_FALSE(ParsePolicyOptions("{\"knn_component_weight\": -0.5}", "p").ok());
  EXPECT_FALSE(ParsePolicyOptions("{\"knn_component_weight\": \"half\"}", "p").ok());
  absl::StatusOr<PolicyOptions> parts = ParsePolicyOptions("{\"knn_component_weight\": 0.5}", "p");
  ASSERT_TRUE(parts.ok()) << parts.status();
  EXPECT_EQ(parts->knn_component_weight, 0.5);
  EXPECT_FALSE(ParsePolicyOptions("{}", "p")->knn_component_weight.has_value());
  const std::vector<std::string> keys = PolicyOptionKeys();
  for (const char* k :
       {"knn_apply", "knn_similarity_power", "knn_own_file_weight", "knn_component_weight",
        "knn_proof_rests", "knn_context_lemmas"}) {
    EXPECT_NE(std::find(keys.begin(), keys.end(), k), keys.end()) << k;
  }
  EXPECT_FALSE(ParsePolicyOptions("{\"knn_proof_rests\": -1}", "p").ok());
  EXPECT_FALSE(ParsePolicyOptions("{\"knn_proof_rests\": 1.5}", "p").ok());
  EXPECT_FALSE(ParsePolicyOptions("{}", "p")->knn_proof_rests.has_value());
  // Rests of proofs need a model that holds the proofs' texts: one whose
  // every proof misses its first step holds none.
  learn::TrainingData d;
  d.files = {"/lib/a.v"};
  d.steps = {Step("t0", 0, Display("  n : nat\n", "n + 0 = n"), "induction n.")};
  d.steps[0].index = 1;
  const std::string textless = ::testing::TempDir() + "/textless.knn";
  ASSERT_TRUE(learn::KnnModel::Train(d).Save(textless).ok());
  KnnPolicyOptions ko;
  ko.model_path = textless;
  ko.proof_rests = 2;
  absl::StatusOr<std::unique_ptr<KnnPolicy>> rests = KnnPolicy::Create(ko);
  ASSERT_EQ(rests.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(rests.status().message().find("retrain it with thor train"), std::string::npos);
  EXPECT_NE(rests.status().message().find(textless), std::string::npos);
  ko.proof_rests = 0;
  EXPECT_TRUE(KnnPolicy::Create(ko).ok());
  // Unset: the default where the model holds the texts, none (and no
  // error) where it does not.
  ko.proof_rests.reset();
  absl::StatusOr<std::unique_ptr<KnnPolicy>> older = KnnPolicy::Create(ko);
  ASSERT_TRUE(older.ok()) << older.status();
  EXPECT_EQ((*older)->proof_rests(), 0);
  ko.model_path = FamilyModelFile();
  absl::StatusOr<std::unique_ptr<KnnPolicy>> texts = KnnPolicy::Create(ko);
  ASSERT_TRUE(texts.ok()) << texts.status();
  EXPECT_EQ((*texts)->proof_rests(), KnnPolicyOptions::kDefaultProofRests);
}

}  // namespace
}  // namespace thor
