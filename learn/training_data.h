// Reading `thor extract`'s JSONL (extract/records.h) for training: the
// step records, in file order, with each theorem's place in its file.
#ifndef THOR_LEARN_TRAINING_DATA_H_
#define THOR_LEARN_TRAINING_DATA_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace thor::learn {

struct TrainingStep {
  std::string file;
  std::string theorem;
  int theorem_ordinal = 0;  // 0-based place of the theorem in its file.
  int index = 0;            // Step index in its proof.
  std::string state_text;   // before.text
  std::string tactic;
};

struct TrainingData {
  std::vector<std::string> files;  // In the order first seen (the extraction's order).
  // Files of `files` whose steps, under the leakage rule, only their own
  // file's later theorems see (KnnModel::Excluded): held-out files kept for
  // bootstrapping inside the file (thor train --own_file_only).
  std::vector<std::string> own_file_only;
  std::vector<TrainingStep> steps;
  int skipped_lines = 0;  // Lines that are not JSON objects (e.g. a cut-off last line).
};

// Reads the step records of `paths`, in order. A theorem's ordinal counts
// the distinct theorems of its file as they come. NotFound if a file is
// missing; InvalidArgument if no step record was found at all.
absl::StatusOr<TrainingData> ReadTrainingData(const std::vector<std::string>& paths);

}  // namespace thor::learn

#endif  // THOR_LEARN_TRAINING_DATA_H_
