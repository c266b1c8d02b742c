// `thor train`: builds the k-NN policy's model (learn/knn_model.h) from
// `thor extract`'s JSONL. Exit codes: 0 written, 2 usage or input error,
// 3 the model could not be written.
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "cli/commands.h"
#include "eval/suite.h"
#include "learn/knn_model.h"
#include "learn/training_data.h"

// Shared with other subcommands: --out (cmd_eval.cc), taken by name.
ABSL_DECLARE_FLAG(std::string, out);
ABSL_FLAG(std::vector<std::string>, in, {},
          "thor train: extraction JSONL files (thor extract --out=...), comma-separated, in "
          "dependency order (their order is the leakage rule's file order).");

ABSL_FLAG(std::vector<std::string>, hold_out, {},
          "thor train: suites whose files are left out of the model (e.g. coq-stdlib-heldout): "
          "every step of a file any of their theorems comes from is dropped.");
ABSL_FLAG(std::vector<std::string>, own_file_only, {},
          "thor train: suites whose files are kept but marked own-file-only (e.g. "
          "coq-stdlib-heldout): under the leakage rule (knn_leakage_safe) a step of such a file "
          "is seen only by the later theorems of the same file, Tactician's bootstrapping "
          "inside a held-out file; no other file sees it. They are put after every other file, "
          "so their theorems see all of the rest.");

namespace thor {
namespace {

// The source files of the --hold_out suites' theorems, canonical.
absl::StatusOr<absl::flat_hash_set<std::string>> HeldOutFiles(
    const std::vector<std::string>& suites, absl::string_view flag) {
  absl::flat_hash_set<std::string> files;
  for (const std::string& name : suites) {
    eval::SuiteOptions so;
    so.name = name;
    so.settings = eval::SuiteSettingsFromFlags();
    absl::StatusOr<std::vector<eval::SuiteTheorem>> suite = eval::LoadSuite(so);
    if (!suite.ok()) {
      return absl::Status(suite.status().code(),
                          absl::StrCat("--", flag, "=", name, ": ", suite.status().message()));
    }
    for (const eval::SuiteTheorem& t : *suite) {
      if (t.theorem.file_path().empty()) continue;
      std::error_code ec;
      files.insert(std::filesystem::weakly_canonical(t.theorem.file_path(), ec).string());
    }
  }
  return files;
}

bool IsHeld(const absl::flat_hash_set<std::string>& held, const std::string& file) {
  std::error_code ec;
  return held.contains(std::filesystem::weakly_canonical(file, ec).string());
}

// Drops the steps (and files) of `held`; returns how many steps went.
size_t DropHeldOut(const absl::flat_hash_set<std::string>& held, learn::TrainingData& data) {
  absl::flat_hash_set<std::string> dropped_files;
  std::vector<std::string> files;
  for (const std::string& f : data.files) {
    if (IsHeld(held, f)) {
      dropped_files.insert(f);
    } else {
      files.push_back(f);
    }
  }
  const size_t before = data.steps.size();
  std::vector<learn::TrainingStep> steps;
  for (learn::TrainingStep& s : data.steps) {
    if (!dropped_files.contains(s.file)) steps.push_back(std::move(s));
  }
  data.files = std::move(files);
  data.steps = std::move(steps);
  return before - data.steps.size();
}

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
  const std::vector<std::string> hold_out = absl::GetFlag(FLAGS_hold_out);
  if (!hold_out.empty()) {
    absl::StatusOr<absl::flat_hash_set<std::string>> held = HeldOutFiles(hold_out, "hold_out");
    if (!held.ok()) {
      std::cerr << "thor train: " << held.status().message() << "\n";
      return 2;
    }
    const size_t files_before = data->files.size();
    const size_t dropped = DropHeldOut(*held, *data);
    std::cout << absl::StrFormat("thor train: held out (%s): %d steps of %d files dropped\n",
                                 absl::StrJoin(hold_out, ","), dropped,
                                 files_before - data->files.size());
    if (data->steps.empty()) {
      std::cerr << "thor train: every step is held out; nothing to train on\n";
      return 2;
    }
  }
  const std::vector<std::string> own_only = absl::GetFlag(FLAGS_own_file_only);
  if (!own_only.empty()) {
    absl::StatusOr<absl::flat_hash_set<std::string>> held =
        HeldOutFiles(own_only, "own_file_only");
    if (!held.ok()) {
      std::cerr << "thor train: " << held.status().message() << "\n";
      return 2;
    }
    // Marked files go after every other file, so a held-out theorem sees all
    // of the training files (as with --hold_out) plus its own file's prefix.
    absl::flat_hash_set<std::string> marked;
    std::vector<std::string> files;
    for (const std::string& f : data->files) {
      if (IsHeld(*held, f)) {
        data->own_file_only.push_back(f);
        marked.insert(f);
      } else {
        files.push_back(f);
      }
    }
    files.insert(files.end(), data->own_file_only.begin(), data->own_file_only.end());
    data->files = std::move(files);
    size_t steps = 0;
    for (const learn::TrainingStep& s : data->steps) steps += marked.contains(s.file) ? 1 : 0;
    if (marked.empty()) {
      std::cerr << "thor train: --own_file_only=" << absl::StrJoin(own_only, ",")
                << ": no file of the input belongs to it (was it extracted?)\n";
      return 2;
    }
    std::cout << absl::StrFormat(
        "thor train: own-file-only (%s): %d steps of %d files, each seen (under the leakage "
        "rule) only by its own file's later theorems\n",
        absl::StrJoin(own_only, ","), steps, marked.size());
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
      "templates, %d rests of proofs (%d naming local names); trained in %.2f s; model %.2f MB "
      "-> %s\n",
      stats.steps, stats.skipped_steps, stats.theorems, stats.files, stats.features,
      stats.templates, stats.rests, stats.rest_templates, seconds,
      ec ? 0.0 : static_cast<double>(bytes) / 1e6, out);
  return 0;
}

}  // namespace

Subcommand TrainCommand() {
  return {"train",
          "thor train --in=steps.jsonl[,more.jsonl] --out=model.knn [--hold_out=SUITE] "
          "[--own_file_only=SUITE]",
          "Train the k-NN policy's model from thor extract's proof steps.",
          "Reads the step records of the JSONL files (thor extract's format), computes each\n"
          "state's features and its tactic with the state's names abstracted, and writes one\n"
          "model file (versioned, written atomically). Use it with --policy=knn\n"
          "--knn_model=FILE on thor prove, suggest, eval and serve. Prints the training\n"
          "time, the model size and the step count. --hold_out=coq-stdlib-heldout leaves out\n"
          "the files of that suite (the test split), so the model can be evaluated on it.\n"
          "--own_file_only=coq-stdlib-heldout keeps them instead, each seen (with the leakage\n"
          "rule) only by the later theorems of its own file: the bootstrapping setting.",
          {__FILE__},
          {"out"},
          RunTrain};
}

}  // namespace thor
