// The k-NN tactic model: every training step's state features (TF-IDF
// weighted, L2-normalised) in an inverted index, and its tactic as a
// template (learn/tactic_template.h). `thor train` builds one from
// extraction records and saves it; the k-NN policy loads it and asks for
// the nearest steps of a state. Immutable once built: queries are
// thread-safe.
#ifndef THOR_LEARN_KNN_MODEL_H_
#define THOR_LEARN_KNN_MODEL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "learn/features.h"
#include "learn/tactic_template.h"
#include "learn/training_data.h"

namespace thor::learn {

// Leakage rule for evaluation: a theorem at (file, ordinal) may use only
// steps of theorems before it, in the model's file order (the extraction's
// order, which is the dependency order) and within its file. A file the
// model marks own-file-only is seen by its own later theorems and by no
// other file's.
struct Cutoff {
  uint32_t file = 0;
  uint32_t ordinal = 0;
};

struct Neighbor {
  uint32_t step = 0;
  float similarity = 0;  // Cosine, in (0, 1].
};

struct TrainStats {
  int steps = 0;          // Steps in the model.
  int skipped_steps = 0;  // Without a goal, or whose tactic has a '$'.
  int theorems = 0;
  int files = 0;
  int features = 0;       // Distinct feature hashes.
  int templates = 0;      // Distinct tactic templates.
  // Rests of proofs (from a step on, two steps or more), and how many of
  // them name a local name of their first state (kept as templates).
  int rests = 0;
  int rest_templates = 0;
};

// True when one path is the other or ends with it after a '/' (how the
// model's files match a theorem's file_path).
bool SamePath(const std::string& a, const std::string& b);

class KnnModel {
 public:
  // The model of `data`'s steps.
  static KnnModel Train(const TrainingData& data, TrainStats* stats = nullptr);

  // Reads a file Save wrote. NotFound if it is missing (the message says how
  // to train one); DataLoss if it is not a model file, of another format
  // version, truncated or corrupt.
  static absl::StatusOr<KnnModel> Load(const std::string& path);
  // Writes the model to `path` atomically (a temporary file renamed over
  // it). Internal or PermissionDenied naming the path when it cannot.
  absl::Status Save(const std::string& path) const;

  // The `k` steps most similar to a state with features `query`, most
  // similar first; steps the cutoff excludes are left out. Only steps that
  // share a feature with the query are looked at (the inverted index), and
  // features in more than a quarter of the steps (and 4096) are not walked
  // (they count in the query's norm only): similarities are cosines over
  // the rest.
  std::vector<Neighbor> Nearest(const FeatureCounts& query, int k,
                                const std::optional<Cutoff>& cutoff = std::nullopt) const;

  // Where a theorem stands in the model's order, for the leakage rule:
  // `file` matches a model file when one path ends with the other (at a
  // '/'); `theorem` may carry a "file:" prefix. A file the model has never
  // seen gives nullopt (nothing to exclude) unless the model has
  // own-file-only files (then those are excluded, nothing else); a theorem
  // the file's records do not name excludes the whole file onward.
  std::optional<Cutoff> CutoffFor(const std::string& file, const std::string& theorem) const;
  // The part of the leakage rule that holds without it: a model with
  // own-file-only files never shows their steps to another file, nor to
  // their own theorem or a later one (whatever knn_leakage_safe says).
  // nullopt if the model has none; for a theorem of such a file,
  // CutoffFor; for any other (or an unnamed one), a cutoff past every file.
  std::optional<Cutoff> OwnFileOnlyCutoff(const std::string& file,
                                          const std::string& theorem) const;
  bool HasOwnFileOnly() const;

  const TacticTemplate& TemplateOf(uint32_t step) const {
    return templates_[steps_[step].template_id];
  }
  // The step's theorem and file (for tests and benchmarks).
  const std::string& TheoremOf(uint32_t step) const { return theorems_[steps_[step].theorem].name; }
  const std::string& FileOf(uint32_t step) const {
    return files_[theorems_[steps_[step].theorem].file];
  }
  // The step's proof from this step to its end, as the library wrote it
  // (each step's tactic, whitespace collapsed, joined by a space; the
  // original names, no placeholders): one text a prover can run as a
  // single step. Empty when the model does not hold the whole proof (a
  // step index missing from the records, or a file of format version 2
  // or older).
  absl::string_view RestOfProof(uint32_t step) const;
  // RestOfProof with the local names of the step's state (its hypotheses
  // and the conclusion's binders, as TacticTemplate has them) replaced by
  // those of `names`, another state's: the rest as the library would have
  // written it there. nullopt when the model holds no template of the rest
  // (the proof's last step, a rest that names no local name and so reads
  // the same anywhere, one with a '$', a file of format version 3 or
  // older) or a placeholder has no name in `names`.
  std::optional<std::string> AdaptedRestOfProof(uint32_t step, const LocalNames& names) const;
  // Whether any theorem's proof text is held (false for a file of format
  // version 2 or older).
  bool HasProofTexts() const;
  // How many steps the step's whole proof has (0 when the model does not
  // hold it whole).
  size_t ProofSteps(uint32_t step) const {
    return theorems_[steps_[step].theorem].step_starts.size();
  }
  // The step's theorem, as an index into the model's theorems.
  uint32_t TheoremIndexOf(uint32_t step) const { return steps_[step].theorem; }
  // The step's place in its proof (0: the theorem's first step, whose
  // state is the theorem's statement).
  uint32_t IndexOf(uint32_t step) const { return steps_[step].index; }
  bool Excluded(uint32_t step, const Cutoff& cutoff) const;
  // Whether file `f`'s steps are seen only by its own later theorems.
  bool OwnFileOnly(uint32_t f) const { return f < own_only_.size() && own_only_[f] != 0; }

  size_t num_steps() const { return steps_.size(); }
  size_t num_features() const { return feature_hash_.size(); }

  // Format version of the file Save writes; Load also reads versions 1 (no
  // own-file-only marks), 2 (no proof texts) and 3 (no rest templates).
  static constexpr uint32_t kFormatVersion = 4;
  static constexpr uint32_t kNoTemplate = 0xffffffffu;

 private:
  friend class ModelFile;
  struct Theorem {
    uint32_t file = 0;
    uint32_t ordinal = 0;
    std::string name;
    // The whole proof (RestOfProof) and where each step starts in it, by
    // step index; both empty when the records miss a step.
    std::string proof;
    std::vector<uint32_t> step_starts;
  };
  struct Step {
    uint32_t theorem = 0;
    uint32_t index = 0;
    uint32_t template_id = 0;
    // Into rest_templates_: the rest of the proof from this step as a
    // template over this step's state, if it names a local name;
    // kNoTemplate for none.
    uint32_t rest_template = kNoTemplate;
  };

  std::vector<std::string> files_;
  std::vector<uint8_t> own_only_;  // Per file: 1 if own-file-only.
  std::vector<Theorem> theorems_;
  std::vector<Step> steps_;
  std::vector<TacticTemplate> templates_;
  std::vector<TacticTemplate> rest_templates_;
  // The inverted index, by feature: sorted hashes, their IDF, and the
  // postings of feature i at [offsets_[i], offsets_[i + 1]).
  std::vector<uint32_t> feature_hash_;
  std::vector<float> idf_;
  std::vector<uint32_t> offsets_;
  std::vector<uint32_t> posting_step_;
  std::vector<float> posting_weight_;
};

}  // namespace thor::learn

#endif  // THOR_LEARN_KNN_MODEL_H_
