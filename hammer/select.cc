#include "hammer/select.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"

namespace thor::hammer {
namespace {

constexpr double kMePoStart = 0.6;  // Meng & Paulson's pass mark and decay.
constexpr double kMePoDecay = 2.4;
constexpr size_t kMePoMaxSelected = 1024;  // Beyond this, order by score.

// Premises with their symbols interned as small integers.
struct FactTable {
  std::vector<int> index;                    // Premise indices.
  std::vector<std::vector<int>> symbols;     // Symbol ids per premise.
  std::vector<int> freq;                     // Premises containing a symbol.
  absl::flat_hash_map<std::string, int> id;  // Symbol name -> id.

  int Intern(const std::string& s) {
    auto [it, fresh] = id.try_emplace(s, static_cast<int>(freq.size()));
    if (fresh) freq.push_back(0);
    return it->second;
  }
  std::vector<int> Ids(const std::vector<std::string>& names) {
    std::vector<int> out;
    for (const auto& n : names) out.push_back(Intern(n));
    return out;
  }
};

FactTable Facts(const Problem& problem) {
  FactTable t;
  t.index = problem.PremiseIndices();
  for (int i : t.index) {
    t.symbols.push_back(t.Ids(Symbols(problem.formulas[i].formula)));
    for (int s : t.symbols.back()) ++t.freq[s];
  }
  return t;
}

// Symbol ids of the goal formulas, as a membership vector over t's ids.
std::vector<char> GoalSymbols(const Problem& problem, FactTable& t) {
  std::vector<int> ids;
  for (int i : problem.GoalIndices()) {
    for (int s : t.Ids(Symbols(problem.formulas[i].formula))) ids.push_back(s);
  }
  std::vector<char> in(t.freq.size(), 0);
  for (int s : ids) in[s] = 1;
  return in;
}

Ranking FromScores(const std::vector<int>& index, const std::vector<double>& score) {
  std::vector<int> pos(index.size());
  std::iota(pos.begin(), pos.end(), 0);
  std::stable_sort(pos.begin(), pos.end(), [&](int a, int b) { return score[a] > score[b]; });
  Ranking r;
  for (int p : pos) {
    r.order.push_back(index[p]);
    r.score.push_back(score[p]);
  }
  return r;
}

}  // namespace

std::string GoalName(const Problem& problem) {
  std::vector<int> goals = problem.GoalIndices();
  return goals.empty() ? "" : problem.formulas[goals[0]].name;
}

Ranking RankMePo(const Problem& problem) {
  FactTable t = Facts(problem);
  std::vector<char> relevant = GoalSymbols(problem, t);
  const size_t n = t.index.size();
  std::vector<double> weight(t.freq.size());
  for (size_t s = 0; s < weight.size(); ++s) {
    weight[s] = 1.0 + 2.0 / std::log(static_cast<double>(std::max(t.freq[s], 1)) + 1.0);
  }
  std::vector<char> taken(n, 0);
  std::vector<double> score(n, 0.0);
  // Rank key: earlier rounds first, then the score within the round.
  std::vector<double> key(n, 0.0);
  double threshold = kMePoStart;
  int round = 0;
  size_t selected = 0;
  while (selected < n && selected < kMePoMaxSelected) {
    std::vector<size_t> passed;
    double best = 0;
    for (size_t f = 0; f < n; ++f) {
      if (taken[f]) continue;
      double rel = 0, irrel = 0;
      for (int s : t.symbols[f]) (relevant[s] ? rel : irrel) += weight[s];
      score[f] = rel + irrel > 0 ? rel / (rel + irrel) : 0.0;
      best = std::max(best, score[f]);
      if (score[f] >= threshold) passed.push_back(f);
    }
    if (passed.empty()) {
      // Nothing reaches the pass mark: take the best-scoring facts anyway so
      // that their symbols become relevant (small problems stall otherwise).
      if (best <= 0) break;
      for (size_t f = 0; f < n; ++f) {
        if (!taken[f] && score[f] >= best) passed.push_back(f);
      }
    }
    for (size_t f : passed) {
      taken[f] = 1;
      key[f] = 1e6 - 10.0 * round + score[f];
      for (int s : t.symbols[f]) relevant[s] = 1;
    }
    selected += passed.size();
    threshold += (1.0 - threshold) / kMePoDecay;
    ++round;
  }
  for (size_t f = 0; f < n; ++f) {
    if (!taken[f]) key[f] = score[f];
  }
  return FromScores(t.index, key);
}

Ranking RankKnn(const Problem& problem, const ProofDb& proofs, const std::string& exclude,
                int k) {
  FactTable t = Facts(problem);
  std::vector<char> goal = GoalSymbols(problem, t);
  const size_t n = t.index.size();
  const double total = static_cast<double>(std::max<size_t>(n, 1));
  std::vector<double> idf2(t.freq.size());
  for (size_t s = 0; s < idf2.size(); ++s) {
    double idf = std::log((total + 1.0) / (t.freq[s] + 1.0)) + 0.1;
    idf2[s] = idf * idf;
  }
  auto similarity = [&](const std::vector<int>& features) {
    double s = 0;
    for (int f : features) {
      if (f < static_cast<int>(goal.size()) && goal[f]) s += idf2[f];
    }
    return s;
  };
  absl::flat_hash_map<std::string, size_t> by_name;
  for (size_t f = 0; f < n; ++f) by_name[problem.formulas[t.index[f]].name] = f;

  // Neighbours: every premise (its own symbols, depending on itself and on
  // its recorded proof) and every recorded proof with known features.
  struct Neighbour {
    double sim;
    int self;  // Fact position, or -1.
    const std::vector<std::string>* deps;
  };
  std::vector<Neighbour> nb;
  for (size_t f = 0; f < n; ++f) {
    const std::string& name = problem.formulas[t.index[f]].name;
    auto rec = proofs.find(name);
    bool usable = rec != proofs.end() && name != exclude;
    nb.push_back({similarity(t.symbols[f]), static_cast<int>(f),
                  usable ? &rec->second.premises : nullptr});
  }
  for (const auto& [name, rec] : proofs) {
    if (name == exclude || rec.features.empty() || by_name.contains(name)) continue;
    std::vector<int> ids;
    for (const auto& feature : rec.features) {
      auto it = t.id.find(feature);
      if (it != t.id.end()) ids.push_back(it->second);
    }
    nb.push_back({similarity(ids), -1, &rec.premises});
  }
  size_t kk = std::min(nb.size(), static_cast<size_t>(std::max(k, 1)));
  std::partial_sort(nb.begin(), nb.begin() + kk, nb.end(),
                    [](const Neighbour& a, const Neighbour& b) { return a.sim > b.sim; });
  std::vector<double> score(n, 0.0);
  for (size_t i = 0; i < kk && nb[i].sim > 0; ++i) {
    if (nb[i].self >= 0) score[nb[i].self] += nb[i].sim;
    if (nb[i].deps == nullptr) continue;
    for (const auto& d : *nb[i].deps) {
      auto it = by_name.find(d);
      if (it != by_name.end()) score[it->second] += nb[i].sim;
    }
  }
  // Facts no neighbour voted for follow, by their own similarity.
  std::vector<double> key(n);
  double top = 0;
  for (size_t f = 0; f < n; ++f) top = std::max(top, score[f]);
  for (size_t f = 0; f < n; ++f) {
    key[f] = score[f] > 0 ? top + 1.0 + score[f] : similarity(t.symbols[f]) / (top + 1e9);
  }
  return FromScores(t.index, key);
}

Ranking CombineMeSh(const Ranking& mepo, const Ranking& knn) {
  absl::flat_hash_map<int, double> fused;
  constexpr double kRrf = 20.0;  // Reciprocal-rank fusion constant.
  for (size_t r = 0; r < mepo.order.size(); ++r) fused[mepo.order[r]] += 1.0 / (kRrf + r);
  for (size_t r = 0; r < knn.order.size(); ++r) fused[knn.order[r]] += 1.0 / (kRrf + r);
  std::vector<int> index = mepo.order;
  std::sort(index.begin(), index.end());
  std::vector<double> score;
  for (int i : index) score.push_back(fused[i]);
  return FromScores(index, score);
}

Ranking RankMeSh(const Problem& problem, const ProofDb& proofs, const std::string& exclude) {
  return CombineMeSh(RankMePo(problem), RankKnn(problem, proofs, exclude));
}

absl::StatusOr<Ranking> Rank(const Problem& problem, const std::string& method,
                             const ProofDb& proofs, const std::string& exclude) {
  if (problem.GoalIndices().empty()) {
    return absl::InvalidArgumentError(
        "premise selection needs a conjecture or negated_conjecture, the problem has none");
  }
  if (method == "mepo") return RankMePo(problem);
  if (method == "knn") return RankKnn(problem, proofs, exclude);
  if (method == "mesh") return RankMeSh(problem, proofs, exclude);
  return absl::InvalidArgumentError("unknown selection method '" + method +
                                    "' (use mepo, knn or mesh)");
}

}  // namespace thor::hammer

namespace thor::hammer {

const Ranking& RankingCache::Get(const std::string& selector) {
  {
    absl::MutexLock lock(&mu_);
    auto it = cache_.find(selector);
    if (it != cache_.end()) return *it->second;
  }
  Ranking r;
  if (selector == "mesh") {
    r = CombineMeSh(Get("mepo"), Get("knn"));
  } else if (selector == "none") {
    r.order = problem_.PremiseIndices();
    r.score.assign(r.order.size(), 0.0);
  } else if (selector == "knn") {
    r = RankKnn(problem_, *proofs_, exclude_);
  } else {
    r = RankMePo(problem_);
  }
  absl::MutexLock lock(&mu_);
  auto& slot = cache_[selector];
  if (!slot) slot = std::make_unique<Ranking>(std::move(r));
  return *slot;
}

}  // namespace thor::hammer
