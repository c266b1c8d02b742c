// bench/knn_policy: the learned k-NN policy's tactic prediction, side by side
// with the heuristic policy (the embedded default) on the same held-out
// steps, plus training time, model size and per-query latency.
//
// Data: `thor extract` JSONL of the Coq stdlib's Lists/ and Arith/ (--data;
// more folders may follow, see --extra). The split is coq-stdlib's
// (coq::kHeldOutFiles: Sorting/ and five files of Lists/ and Arith/); the model trains on every other file of Lists/
// and Arith/ ("train") and, in a second model, also on the --extra files
// ("train+extra"). Accuracy is on the held-out files' steps: a prediction
// counts when the tactic as written, whitespace normalised
// (learn::NormalizeTactic), is among the policy's first 1 / 10 candidates
// (exact), or when its first word is (first-token). Then the bootstrapping
// setting on the training files themselves: every step queried with the
// leakage rule on (its own theorem and everything after it excluded), as
// Tactician is measured; and the held-out steps again with their own file's
// earlier proofs in the model (own-file-only, leakage rule on). Latency: the whole Propose (parse, features, index,
// adaptation) on the real model and on a 100k-step model made by
// replicating the real steps with renamed hypotheses (said so in the output).
// Ends with ONE JSON line holding every figure.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "coq_bridge/stdlib_suite.h"
#include "learn/knn_model.h"
#include "learn/tactic_template.h"
#include "lm_client/heuristic_policy.h"
#include "lm_client/knn_policy.h"
#include "provers/provers.h"

ABSL_FLAG(std::string, dump, "",
          "write the bootstrapping run's steps (state, tactic, the first 32 candidates, hit or not) "
          "to this JSONL file, to read what the policy misses");
ABSL_FLAG(std::vector<std::string>, data, {},
          "thor extract JSONL of the stdlib's Lists/ and Arith/ (the split takes files of "
          "those folders only).");
ABSL_FLAG(std::vector<std::string>, extra, {},
          "More thor extract JSONL (other stdlib folders) for the train+extra model and the "
          "100k latency model.");
ABSL_FLAG(int, scale_steps, 100000, "Steps of the replicated model for the latency figure.");
ABSL_FLAG(int, latency_queries, 2000, "Queries timed per model.");
ABSL_FLAG(double, own_file_weight, thor::KnnPolicyOptions::kDefaultOwnFileWeight,
          "KnnPolicyOptions::own_file_weight");
ABSL_FLAG(double, similarity_power, thor::KnnPolicyOptions::kDefaultSimilarityPower,
          "KnnPolicyOptions::similarity_power");
ABSL_FLAG(int, neighbors, thor::KnnPolicyOptions().neighbors, "KnnPolicyOptions::neighbors");
ABSL_FLAG(double, component_weight, thor::KnnPolicyOptions::kDefaultComponentWeight,
          "KnnPolicyOptions::component_weight");

namespace thor {
namespace {

using learn::TrainingData;
using learn::TrainingStep;

// The held-out files (test set): the coq-stdlib split, fixed in
// coq_bridge/stdlib_suite.cc (kHeldOutFiles) and named in the README.
bool IsHeldOut(const std::string& file) { return coq::IsHeldOutStdlibFile(file); }

bool InSplitFolders(const std::string& file) {
  return absl::StrContains(file, "/Lists/") || absl::StrContains(file, "/Arith/");
}

TrainingData Subset(const TrainingData& all, bool (*keep)(const std::string&)) {
  TrainingData out;
  for (const std::string& f : all.files) {
    if (keep(f)) out.files.push_back(f);
  }
  for (const TrainingStep& s : all.steps) {
    if (keep(s.file)) out.steps.push_back(s);
  }
  return out;
}

TrainingData Concat(TrainingData a, const TrainingData& b) {
  a.files.insert(a.files.end(), b.files.begin(), b.files.end());
  a.steps.insert(a.steps.end(), b.steps.begin(), b.steps.end());
  return a;
}

std::string FirstWord(const std::string& tactic) {
  size_t end = tactic.find_first_of(" ;.([");
  return tactic.substr(0, end);
}

// Per step: the tactic as written among the first 1 / 10 / 32 candidates
// (32: what one query of a search, the probe's too, tries), or its first
// word among the first 1 / 10. Per proof: every step of a theorem's proof
// among the first 32 at its own state, the proofs a search that tried
// each state's 32 candidates would find along the library's own path.
struct Accuracy {
  int steps = 0, top1 = 0, top10 = 0, top32 = 0, first1 = 0, first10 = 0;
  int proofs = 0, proofs_top32 = 0;
  double Rate(int n) const { return steps > 0 ? static_cast<double>(n) / steps : 0; }
  nlohmann::json Json() const {
    return {{"steps", steps},
            {"top1", Rate(top1)},
            {"top10", Rate(top10)},
            {"top32", Rate(top32)},
            {"first_token_top1", Rate(first1)},
            {"first_token_top10", Rate(first10)},
            {"proofs", proofs},
            {"proofs_top32", proofs > 0 ? static_cast<double>(proofs_top32) / proofs : 0}};
  }
};

// Whether the tactic was among the first 32.
bool Score(const std::vector<Candidate>& candidates, const std::string& tactic, Accuracy* a) {
  const std::string want = learn::NormalizeTactic(tactic);
  const std::string want_word = FirstWord(want);
  int rank = 0;
  bool exact = false, word = false;
  for (const Candidate& c : candidates) {
    if (c.is_hammer) continue;
    if (++rank > 32) break;
    const std::string got = learn::NormalizeTactic(c.step);
    if (!exact && got == want) {
      exact = true;
      a->top1 += rank == 1;
      a->top10 += rank <= 10;
      ++a->top32;
    }
    if (!word && rank <= 10 && FirstWord(got) == want_word) {
      word = true;
      a->first1 += rank == 1;
      ++a->first10;
    }
  }
  ++a->steps;
  return exact;
}

Accuracy Evaluate(Policy& policy, const std::vector<TrainingStep>& steps,
                  std::ofstream* dump = nullptr) {
  Accuracy a;
  // (file, theorem) -> every step so far among the first 32.
  std::map<std::pair<std::string, std::string>, bool> whole;
  for (const TrainingStep& s : steps) {
    Theorem t;
    t.prover = "coq";
    t.name = s.theorem;
    t.file_path = s.file;
    PolicyQuery q;
    q.theorem = &t;
    q.state_text = s.state_text;
    q.n = 33;  // 32 steps and the hammer.
    absl::StatusOr<std::vector<Candidate>> c = policy.Propose(q, absl::Seconds(10));
    const bool hit = Score(c.ok() ? *c : std::vector<Candidate>{}, s.tactic, &a);
    if (dump != nullptr) {
      nlohmann::json got = nlohmann::json::array();
      for (const Candidate& k : c.ok() ? *c : std::vector<Candidate>{}) {
        if (!k.is_hammer) got.push_back(k.step);
      }
      *dump << nlohmann::json{{"file", s.file},   {"theorem", s.theorem}, {"index", s.index},
                              {"state", s.state_text}, {"tactic", s.tactic},
                              {"hit", hit},       {"candidates", got}}
                   .dump()
            << "\n";
    }
    auto [it, fresh] = whole.try_emplace({s.file, s.theorem}, true);
    it->second = it->second && hit;
  }
  a.proofs = static_cast<int>(whole.size());
  for (const auto& [key, all] : whole) a.proofs_top32 += all;
  return a;
}

struct Built {
  std::string path;
  double train_s = 0;
  double bytes = 0;
  learn::TrainStats stats;
};

Built TrainAndSave(const TrainingData& data, const std::string& name) {
  Built b;
  b.path = (std::filesystem::temp_directory_path() / ("knn_bench_" + name + ".knn")).string();
  const absl::Time t0 = absl::Now();
  learn::KnnModel m = learn::KnnModel::Train(data, &b.stats);
  absl::Status s = m.Save(b.path);
  b.train_s = absl::ToDoubleSeconds(absl::Now() - t0);
  if (!s.ok()) std::fprintf(stderr, "%s\n", s.ToString().c_str());
  b.bytes = static_cast<double>(std::filesystem::file_size(b.path));
  return b;
}

std::unique_ptr<KnnPolicy> Load(const std::string& path, bool leakage_safe) {
  KnnPolicyOptions o;
  o.model_path = path;
  o.leakage_safe = leakage_safe;
  o.mix.reset();  // The learned ranking itself (no fallback steps here).
  o.own_file_weight = absl::GetFlag(FLAGS_own_file_weight);
  o.similarity_power = absl::GetFlag(FLAGS_similarity_power);
  o.component_weight = absl::GetFlag(FLAGS_component_weight);
  o.neighbors = absl::GetFlag(FLAGS_neighbors);
  absl::StatusOr<std::unique_ptr<KnnPolicy>> p = KnnPolicy::Create(o);
  if (!p.ok()) {
    std::fprintf(stderr, "%s\n", p.status().ToString().c_str());
    std::exit(1);
  }
  return *std::move(p);
}

// The real steps again and again, each copy's hypothesis names renamed
// (x -> x_r<copy>) in the state and the tactic, until `target` steps.
TrainingData Replicate(const TrainingData& base, int target) {
  TrainingData out = base;
  for (int copy = 1; static_cast<int>(out.steps.size()) < target; ++copy) {
    for (const TrainingStep& s : base.steps) {
      if (static_cast<int>(out.steps.size()) >= target) break;
      std::vector<learn::TextGoal> goals = learn::ParseStateText(s.state_text);
      TrainingStep r = s;
      r.file = absl::StrCat(s.file, "#copy", copy);
      if (!goals.empty()) {
        for (const learn::TextHypothesis& h : goals[0].hypotheses) {
          const std::string to = absl::StrCat(h.name, "_r", copy);
          for (std::string* text : {&r.state_text, &r.tactic}) {
            std::vector<std::string> tokens;
            std::string rebuilt;
            size_t i = 0;
            while (i < text->size()) {
              if (learn::IsIdentStart((*text)[i]) && (i == 0 || !learn::IsIdentChar((*text)[i - 1]))) {
                size_t j = i;
                while (j < text->size() && learn::IsIdentChar((*text)[j])) ++j;
                const std::string word = text->substr(i, j - i);
                rebuilt += word == h.name ? to : word;
                i = j;
              } else {
                rebuilt += (*text)[i++];
              }
            }
            *text = std::move(rebuilt);
          }
        }
      }
      out.steps.push_back(std::move(r));
    }
    out.files.push_back(absl::StrCat("copy", copy));
  }
  return out;
}

struct Latency {
  double p50_ms = 0, p99_ms = 0, mean_ms = 0;
};

Latency TimeQueries(Policy& policy, const std::vector<TrainingStep>& queries, int n) {
  std::vector<double> ms;
  Theorem t;
  t.prover = "coq";
  for (int i = 0; i < n && !queries.empty(); ++i) {
    PolicyQuery q;
    q.theorem = &t;
    q.state_text = queries[i % queries.size()].state_text;
    q.n = 32;
    const absl::Time t0 = absl::Now();
    (void)policy.Propose(q, absl::Seconds(10));
    ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - t0));
  }
  Latency l;
  if (ms.empty()) return l;
  std::sort(ms.begin(), ms.end());
  l.p50_ms = ms[ms.size() / 2];
  l.p99_ms = ms[std::min(ms.size() - 1, ms.size() * 99 / 100)];
  for (double v : ms) l.mean_ms += v / ms.size();
  return l;
}

std::string Pct(double r) { return absl::StrFormat("%5.1f%%", 100 * r); }

int Main() {
  absl::StatusOr<TrainingData> all = learn::ReadTrainingData(absl::GetFlag(FLAGS_data));
  if (!all.ok()) {
    std::fprintf(stderr, "knn_policy: --data: %s\n", all.status().ToString().c_str());
    return 2;
  }
  // --data and --extra may overlap (one extraction of every folder given
  // twice): a file's steps count once, from where it is first seen.
  TrainingData everything = *all;
  if (!absl::GetFlag(FLAGS_extra).empty()) {
    absl::StatusOr<TrainingData> e = learn::ReadTrainingData(absl::GetFlag(FLAGS_extra));
    if (!e.ok()) {
      std::fprintf(stderr, "knn_policy: --extra: %s\n", e.status().ToString().c_str());
      return 2;
    }
    std::set<std::string> seen(everything.files.begin(), everything.files.end());
    for (const std::string& f : e->files) {
      if (seen.insert(f).second) everything.files.push_back(f);
    }
    std::set<std::string> data_files(all->files.begin(), all->files.end());
    for (const TrainingStep& s : e->steps) {
      if (data_files.count(s.file) == 0) everything.steps.push_back(s);
    }
  }
  const TrainingData train = Subset(
      everything, [](const std::string& f) { return InSplitFolders(f) && !IsHeldOut(f); });
  // Held-out files of any folder (Sorting/ comes with --extra) are the test.
  const TrainingData test = Subset(everything, IsHeldOut);
  const TrainingData extra = Subset(
      everything, [](const std::string& f) { return !InSplitFolders(f) && !IsHeldOut(f); });
  std::printf("split: train %zu steps (%zu files of Lists/, Arith/), test %zu steps (%zu held-out "
              "files), extra %zu steps\n",
              train.steps.size(), train.files.size(), test.steps.size(), test.files.size(),
              extra.steps.size());

  Built base = TrainAndSave(train, "train");
  Built plus = TrainAndSave(Concat(train, extra), "train_extra");
  std::unique_ptr<KnnPolicy> knn = Load(base.path, false);
  std::unique_ptr<KnnPolicy> knn_plus = Load(plus.path, false);
  HeuristicPolicy heuristic(AllProverHeuristics());

  const Accuracy a_heur = Evaluate(heuristic, test.steps);
  const Accuracy a_knn = Evaluate(*knn, test.steps);
  const Accuracy a_plus = Evaluate(*knn_plus, test.steps);
  // Bootstrapping: the training files themselves, each step seeing only
  // theorems before its own (leakage rule on).
  std::unique_ptr<KnnPolicy> knn_boot = Load(base.path, true);
  std::optional<std::ofstream> dump;
  if (!absl::GetFlag(FLAGS_dump).empty()) dump.emplace(absl::GetFlag(FLAGS_dump));
  const Accuracy a_boot = Evaluate(*knn_boot, train.steps, dump.has_value() ? &*dump : nullptr);
  const Accuracy a_boot_heur = Evaluate(heuristic, train.steps);
  // The held-out steps in the bootstrapping setting: train+extra plus the
  // held-out files marked own-file-only (thor train --own_file_only), so a
  // held-out step also sees its own file's earlier proofs, nothing else of
  // the held-out files (leakage rule on).
  TrainingData own = Concat(Concat(train, extra), test);
  own.own_file_only = test.files;
  Built own_built = TrainAndSave(own, "own_file");
  std::unique_ptr<KnnPolicy> knn_own = Load(own_built.path, true);
  const Accuracy a_own = Evaluate(*knn_own, test.steps);

  std::printf("\nheld-out steps: %d    top-1   top-10   top-32   first-token top-1 / top-10"
              "   whole proofs in top-32\n",
              a_knn.steps);
  auto row = [](const char* name, const Accuracy& a) {
    std::printf("  %-22s %s  %s  %s   %s / %s   %s of %d\n", name, Pct(a.Rate(a.top1)).c_str(),
                Pct(a.Rate(a.top10)).c_str(), Pct(a.Rate(a.top32)).c_str(),
                Pct(a.Rate(a.first1)).c_str(), Pct(a.Rate(a.first10)).c_str(),
                Pct(a.proofs > 0 ? static_cast<double>(a.proofs_top32) / a.proofs : 0).c_str(),
                a.proofs);
  };
  row("heuristic (baseline)", a_heur);
  row("knn (train)", a_knn);
  row("knn (train+extra)", a_plus);
  row("knn (+ own file, boot)", a_own);
  std::printf("bootstrapping on the %d training steps (leakage rule on):\n", a_boot.steps);
  row("heuristic", a_boot_heur);
  row("knn", a_boot);
  const double tactician = 0.234;
  // Ratios against the heuristic baseline; a baseline of 0 has none (null).
  auto ratio = [](double a, double b) { return b > 0 ? nlohmann::json(a / b) : nlohmann::json(); };
  auto show = [](const nlohmann::json& r) {
    return r.is_null() ? std::string("n/a (baseline 0)") : absl::StrFormat("%.2fx", r.get<double>());
  };
  const nlohmann::json r_top1 = ratio(a_knn.Rate(a_knn.top1), a_heur.Rate(a_heur.top1));
  const nlohmann::json r_top10 = ratio(a_knn.Rate(a_knn.top10), a_heur.Rate(a_heur.top10));
  const nlohmann::json r_first1 = ratio(a_knn.Rate(a_knn.first1), a_heur.Rate(a_heur.first1));
  const nlohmann::json r_first10 = ratio(a_knn.Rate(a_knn.first10), a_heur.Rate(a_heur.first10));
  std::printf("knn/heuristic: top-1 %s, top-10 %s, first-token top-1 %s, top-10 %s; knn top-1 / "
              "Tactician's 23.4%%: %.2fx (bootstrapping %.2fx)\n",
              show(r_top1).c_str(), show(r_top10).c_str(), show(r_first1).c_str(),
              show(r_first10).c_str(), a_knn.Rate(a_knn.top1) / tactician,
              a_boot.Rate(a_boot.top1) / tactician);
  std::printf("training: %d steps in %.2f s, model %.2f MB; train+extra: %d steps in %.2f s, "
              "%.2f MB\n",
              base.stats.steps, base.train_s, base.bytes / 1e6, plus.stats.steps, plus.train_s,
              plus.bytes / 1e6);

  const int nq = absl::GetFlag(FLAGS_latency_queries);
  const Latency l_base = TimeQueries(*knn, test.steps, nq);
  const Latency l_heur = TimeQueries(heuristic, test.steps, nq);
  TrainingData real = Concat(train, extra);
  const TrainingData scaled = Replicate(real, absl::GetFlag(FLAGS_scale_steps));
  Built big = TrainAndSave(scaled, "scaled");
  const absl::Time load0 = absl::Now();
  std::unique_ptr<KnnPolicy> knn_big = Load(big.path, false);
  const double load_s = absl::ToDoubleSeconds(absl::Now() - load0);
  const Latency l_big = TimeQueries(*knn_big, test.steps, nq);
  std::printf("latency per query (Propose, n=32): heuristic p50 %.3f ms; knn %d steps p50 %.3f "
              "ms p99 %.3f ms; knn %d steps (%zu real, replicated with renamed hypotheses) "
              "p50 %.3f ms p99 %.3f ms (trained in %.1f s, %.1f MB, loaded in %.2f s)\n",
              l_heur.p50_ms, base.stats.steps, l_base.p50_ms, l_base.p99_ms, big.stats.steps,
              real.steps.size(), l_big.p50_ms, l_big.p99_ms, big.train_s, big.bytes / 1e6, load_s);
  for (const Built* b : {&base, &plus, &big, &own_built}) std::filesystem::remove(b->path);

  nlohmann::json j = {
      {"bench", "knn_policy"},
      {"held_out_files", test.files},
      {"train_steps", base.stats.steps},
      {"train_extra_steps", plus.stats.steps},
      {"test_steps", a_knn.steps},
      {"heuristic", a_heur.Json()},
      {"knn", a_knn.Json()},
      {"knn_train_extra", a_plus.Json()},
      {"knn_train_extra_own_file_boot", a_own.Json()},
      {"bootstrapping_knn", a_boot.Json()},
      {"bootstrapping_heuristic", a_boot_heur.Json()},
      {"knn_over_heuristic_top1", r_top1},
      {"knn_over_heuristic_top10", r_top10},
      {"knn_over_heuristic_first_token_top1", r_first1},
      {"knn_over_heuristic_first_token_top10", r_first10},
      {"tactician_top1", tactician},
      {"train_s", base.train_s},
      {"model_bytes", base.bytes},
      {"train_extra_s", plus.train_s},
      {"model_extra_bytes", plus.bytes},
      {"latency_heuristic_p50_ms", l_heur.p50_ms},
      {"latency_knn_p50_ms", l_base.p50_ms},
      {"latency_knn_p99_ms", l_base.p99_ms},
      {"scaled_steps", big.stats.steps},
      {"scaled_real_steps", real.steps.size()},
      {"scaled_train_s", big.train_s},
      {"scaled_model_bytes", big.bytes},
      {"scaled_load_s", load_s},
      {"latency_scaled_p50_ms", l_big.p50_ms},
      {"latency_scaled_p99_ms", l_big.p99_ms},
  };
  std::printf("%s\n", j.dump().c_str());
  return 0;
}

}  // namespace
}  // namespace thor

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return thor::Main();
}
