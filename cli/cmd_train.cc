// `thor train`: builds the k-NN policy's model (learn/knn_model.h) from
// `thor extract`'s JSONL. Exit codes: 0 written, 2 usage or input error,
// 3 the model could not be written.
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "cli/commands.h"
#include "learn/knn_model.h"
#include "learn/training_data.h"

// Shared with other subcommands: --out (cmd_eval.cc), taken by name.
ABSL_DECLARE_FLAG(std::string, out);
ABSL_FLAG(std::vector<std::string>, in, {},
          "thor train: extraction JSONL files (thor extract --out=...), comma-separated, in "
          "dependency order (their order is the leakage rule's file order).");

namespace thor {
namespace {

int RunTrain(const CommandContext& context) {
  const std::vector<std::string> in = absl::GetFlag(FLAGS_in);
  if (in.empty() || !context.args.empty()) {
    std::cerr << "thor train: usage: thor train --in=steps.jsonl[,more.jsonl] --out=model.knn\n";
    return 2;
  }
  if (context.given.count("out") == 0 || absl::GetFlag(FLAGS_out).empty()) {
    std::cerr << "thor train: --out=FILE is required (e.g. --out=model.knn)\n";
    return 2;
  }
  const std::string out = absl::GetFlag(FLAGS_out);
  const absl::Time start = absl::Now();
  absl::StatusOr<learn::TrainingData> data = learn::ReadTrainingData(in);
  if (!data.ok()) {
    std::cerr << "thor train: " << data.status().message() << "\n";
    return 2;
  }
  learn::TrainStats stats;
  learn::KnnModel model = learn::KnnModel::Train(*data, &stats);
  if (absl::Status s = model.Save(out); !s.ok()) {
    std::cerr << "thor train: " << s.message() << "\n";
    return 3;
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  std::error_code ec;
  const uintmax_t bytes = std::filesystem::file_size(out, ec);
  std::cout << absl::StrFormat(
      "thor train: %d steps (%d skipped), %d theorems, %d files, %d features, %d tactic "
      "templates; trained in %.2f s; model %.2f MB -> %s\n",
      stats.steps, stats.skipped_steps, stats.theorems, stats.files, stats.features,
      stats.templates, seconds, ec ? 0.0 : static_cast<double>(bytes) / 1e6, out);
  return 0;
}

}  // namespace

Subcommand TrainCommand() {
  return {"train",
          "thor train --in=steps.jsonl[,more.jsonl] --out=model.knn",
          "Train the k-NN policy's model from thor extract's proof steps.",
          "Reads the step records of the JSONL files (thor extract's format), computes each\n"
          "state's features and its tactic with the state's names abstracted, and writes one\n"
          "model file (versioned, written atomically). Use it with --policy=knn\n"
          "--knn_model=FILE on thor prove, suggest, eval and serve. Prints the training\n"
          "time, the model size and the step count.",
          {__FILE__},
          {"out"},
          RunTrain};
}

}  // namespace thor
