#include "learn/knn_model.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>
#include <utility>

#include "absl/strings/match.h"

namespace thor::learn {

bool SamePath(const std::string& a, const std::string& b) {
  if (a == b) return true;
  const std::string& longer = a.size() > b.size() ? a : b;
  const std::string& shorter = a.size() > b.size() ? b : a;
  return !shorter.empty() && absl::EndsWith(longer, shorter) &&
         longer[longer.size() - shorter.size() - 1] == '/';
}

KnnModel KnnModel::Train(const TrainingData& data, TrainStats* stats) {
  KnnModel m;
  TrainStats st;
  m.files_ = data.files;
  std::unordered_map<std::string, uint32_t> file_index;
  for (uint32_t i = 0; i < m.files_.size(); ++i) file_index[m.files_[i]] = i;
  m.own_only_.assign(m.files_.size(), 0);
  for (const std::string& f : data.own_file_only) {
    if (auto it = file_index.find(f); it != file_index.end()) m.own_only_[it->second] = 1;
  }
  // Every record's tactic by theorem (file, ordinal) and step index, kept
  // steps or not: the proofs' texts (RestOfProof).
  std::map<std::pair<uint32_t, uint32_t>, std::map<int, std::string>> tactics;
  for (const TrainingStep& s : data.steps) {
    auto f = file_index.find(s.file);
    if (f == file_index.end()) continue;
    tactics[{f->second, static_cast<uint32_t>(s.theorem_ordinal)}].emplace(
        s.index, NormalizeTactic(s.tactic));
  }
  std::map<std::pair<uint32_t, uint32_t>, uint32_t> theorem_index;
  std::map<std::pair<std::string, std::string>, uint32_t> template_index;
  std::vector<FeatureCounts> features;
  for (const TrainingStep& s : data.steps) {
    std::vector<TextGoal> goals = ParseStateText(s.state_text);
    if (goals.empty()) {
      ++st.skipped_steps;
      continue;
    }
    std::optional<TacticTemplate> t = MakeTemplate(s.tactic, LocalNamesOf(goals[0]));
    if (!t) {
      ++st.skipped_steps;
      continue;
    }
    const uint32_t file = file_index[s.file];
    auto key = std::make_pair(file, static_cast<uint32_t>(s.theorem_ordinal));
    auto th = theorem_index.find(key);
    if (th == theorem_index.end()) {
      th = theorem_index.emplace(key, m.theorems_.size()).first;
      Theorem t{file, key.second, s.theorem, "", {}};
      const std::map<int, std::string>& steps = tactics[key];
      // Whole only if the indices run 0, 1, ..., n - 1.
      if (!steps.empty() && steps.begin()->first == 0 &&
          steps.rbegin()->first + 1 == static_cast<int>(steps.size())) {
        for (const auto& [index, tactic] : steps) {
          if (!t.proof.empty()) t.proof += ' ';
          t.step_starts.push_back(static_cast<uint32_t>(t.proof.size()));
          t.proof += tactic;
        }
      }
      m.theorems_.push_back(std::move(t));
    }
    auto tkey = std::make_pair(t->text, EncodeHypothesisTypes(t->hypothesis_types));
    auto ti = template_index.find(tkey);
    if (ti == template_index.end()) {
      ti = template_index.emplace(tkey, m.templates_.size()).first;
      m.templates_.push_back(*std::move(t));
    }
    Step step{th->second, static_cast<uint32_t>(s.index), ti->second, kNoTemplate};
    // The rest from here (two steps or more) over this state's names, kept
    // if it names one (otherwise it reads the same in any state).
    const Theorem& whole = m.theorems_[th->second];
    if (s.index >= 0 && static_cast<size_t>(s.index) + 1 < whole.step_starts.size()) {
      ++st.rests;
      std::optional<TacticTemplate> rest = MakeTemplate(
          absl::string_view(whole.proof).substr(whole.step_starts[s.index]),
          LocalNamesOf(goals[0]));
      if (rest && rest->text.find('$') != std::string::npos) {
        step.rest_template = static_cast<uint32_t>(m.rest_templates_.size());
        m.rest_templates_.push_back(*std::move(rest));
      }
    }
    m.steps_.push_back(step);
    features.push_back(StateFeatures(s.state_text));
  }
  // Document frequencies, then the postings, step by step so each list is
  // sorted by step.
  std::unordered_map<uint32_t, uint32_t> df;
  for (const FeatureCounts& f : features) {
    for (const auto& [h, c] : f) ++df[h];
  }
  m.feature_hash_.reserve(df.size());
  for (const auto& [h, n] : df) m.feature_hash_.push_back(h);
  std::sort(m.feature_hash_.begin(), m.feature_hash_.end());
  const size_t nf = m.feature_hash_.size();
  const double n_docs = static_cast<double>(features.size());
  m.idf_.resize(nf);
  m.offsets_.assign(nf + 1, 0);
  std::unordered_map<uint32_t, uint32_t> feature_id;
  feature_id.reserve(nf);
  for (uint32_t i = 0; i < nf; ++i) {
    const uint32_t n = df[m.feature_hash_[i]];
    feature_id[m.feature_hash_[i]] = i;
    m.idf_[i] = static_cast<float>(std::log((n_docs + 1) / (n + 1)) + 1.0);
    m.offsets_[i + 1] = m.offsets_[i] + n;
  }
  m.posting_step_.resize(m.offsets_[nf]);
  m.posting_weight_.resize(m.offsets_[nf]);
  std::vector<uint32_t> fill(m.offsets_.begin(), m.offsets_.end() - 1);
  for (uint32_t s = 0; s < features.size(); ++s) {
    double norm = 0;
    for (const auto& [h, c] : features[s]) {
      const double w = c * m.idf_[feature_id[h]];
      norm += w * w;
    }
    norm = norm > 0 ? std::sqrt(norm) : 1.0;
    for (const auto& [h, c] : features[s]) {
      const uint32_t f = feature_id[h];
      m.posting_step_[fill[f]] = s;
      m.posting_weight_[fill[f]] = static_cast<float>(c * m.idf_[f] / norm);
      ++fill[f];
    }
  }
  st.steps = static_cast<int>(m.steps_.size());
  st.theorems = static_cast<int>(m.theorems_.size());
  st.files = static_cast<int>(m.files_.size());
  st.features = static_cast<int>(nf);
  st.templates = static_cast<int>(m.templates_.size());
  st.rest_templates = static_cast<int>(m.rest_templates_.size());
  if (stats != nullptr) *stats = st;
  return m;
}

absl::string_view KnnModel::RestOfProof(uint32_t step) const {
  const Theorem& t = theorems_[steps_[step].theorem];
  const uint32_t index = steps_[step].index;
  if (index >= t.step_starts.size()) return {};
  return absl::string_view(t.proof).substr(t.step_starts[index]);
}

std::optional<std::string> KnnModel::AdaptedRestOfProof(uint32_t step,
                                                        const LocalNames& names) const {
  const uint32_t t = steps_[step].rest_template;
  if (t == kNoTemplate) return std::nullopt;
  return Instantiate(rest_templates_[t], names);
}

bool KnnModel::HasProofTexts() const {
  return std::any_of(theorems_.begin(), theorems_.end(),
                     [](const Theorem& t) { return !t.step_starts.empty(); });
}

bool KnnModel::HasOwnFileOnly() const {
  return std::find(own_only_.begin(), own_only_.end(), 1) != own_only_.end();
}

std::optional<Cutoff> KnnModel::OwnFileOnlyCutoff(const std::string& file,
                                                  const std::string& theorem) const {
  if (!HasOwnFileOnly()) return std::nullopt;
  const Cutoff past_all{static_cast<uint32_t>(files_.size()), 0};
  if (file.empty()) return past_all;
  std::optional<Cutoff> c = CutoffFor(file, theorem);
  if (c.has_value() && OwnFileOnly(c->file)) return c;
  return past_all;
}

bool KnnModel::Excluded(uint32_t step, const Cutoff& cutoff) const {
  const Theorem& t = theorems_[steps_[step].theorem];
  if (t.file != cutoff.file && OwnFileOnly(t.file)) return true;
  return t.file > cutoff.file || (t.file == cutoff.file && t.ordinal >= cutoff.ordinal);
}

std::vector<Neighbor> KnnModel::Nearest(const FeatureCounts& query, int k,
                                        const std::optional<Cutoff>& cutoff) const {
  std::vector<Neighbor> out;
  if (k <= 0 || steps_.empty()) return out;
  // The query's weights over the features the model knows; unknown ones
  // meet no step, so they are left out of the norm too.
  std::vector<std::pair<uint32_t, float>> q;
  double norm = 0;
  for (const auto& [h, c] : query) {
    auto it = std::lower_bound(feature_hash_.begin(), feature_hash_.end(), h);
    if (it == feature_hash_.end() || *it != h) continue;
    const uint32_t f = static_cast<uint32_t>(it - feature_hash_.begin());
    const float w = c * idf_[f];
    q.emplace_back(f, w);
    norm += static_cast<double>(w) * w;
  }
  if (q.empty()) return out;
  const float inv = static_cast<float>(1.0 / std::sqrt(norm));
  std::vector<float> score(steps_.size(), 0.0f);
  std::vector<uint32_t> touched;
  // Features in more than a quarter of the steps ("=", one goal, ...) of a
  // large model would touch most postings for a small share of the
  // similarity; they count in the query's norm but are not walked (the
  // ranking is by the rest). Small models stay exact.
  const size_t common = std::max<size_t>(steps_.size() / 4, 4096);
  for (const auto& [f, w] : q) {
    if (offsets_[f + 1] - offsets_[f] > common) continue;
    const float qw = w * inv;
    for (uint32_t p = offsets_[f]; p < offsets_[f + 1]; ++p) {
      const uint32_t s = posting_step_[p];
      if (score[s] == 0.0f) touched.push_back(s);
      score[s] += qw * posting_weight_[p];
    }
  }
  out.reserve(touched.size());
  for (uint32_t s : touched) {
    if (cutoff && Excluded(s, *cutoff)) continue;
    out.push_back({s, score[s]});
  }
  auto better = [](const Neighbor& a, const Neighbor& b) {
    return a.similarity != b.similarity ? a.similarity > b.similarity : a.step < b.step;
  };
  if (out.size() > static_cast<size_t>(k)) {
    std::nth_element(out.begin(), out.begin() + k, out.end(), better);
    out.resize(k);
  }
  std::sort(out.begin(), out.end(), better);
  return out;
}

std::optional<Cutoff> KnnModel::CutoffFor(const std::string& file,
                                          const std::string& theorem) const {
  for (uint32_t f = 0; f < files_.size(); ++f) {
    if (!SamePath(files_[f], file)) continue;
    std::string name = theorem;
    if (size_t colon = name.rfind(':'); colon != std::string::npos) name = name.substr(colon + 1);
    for (const Theorem& t : theorems_) {
      if (t.file == f && t.name == name) return Cutoff{f, t.ordinal};
    }
    return Cutoff{f, 0};
  }
  // An unknown file: past every file (excludes nothing by order), so only
  // the own-file-only files are left out.
  if (HasOwnFileOnly()) {
    return Cutoff{static_cast<uint32_t>(files_.size()), 0};
  }
  return std::nullopt;
}

}  // namespace thor::learn
