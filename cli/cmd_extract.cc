// `thor extract`: traces a prover's source files into JSONL proof-step
// records (extract/records.h), resumably and in parallel over files.
// Exit codes: 0 every file traced, 1 some file has an error record,
// 2 usage error, 3 the output could not be written.
#include <iostream>
#include <map>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/str_format.h"
#include "cli/commands.h"
#include "extract/run.h"
#include "provers/provers.h"

// Shared with other subcommands: --prover (theorem_flags.cc), --out
// (cmd_eval.cc); `thor extract` takes them by name (module_flags).
ABSL_DECLARE_FLAG(std::string, prover);
ABSL_DECLARE_FLAG(std::string, out);
ABSL_FLAG(int, jobs, 1, "thor extract: files traced at once (one prover process each).");

namespace thor {
namespace {

// --prover, --out and every prover's extraction flags, for --help and
// parsing.
std::vector<std::string> ExtractorFlagNames() {
  std::vector<std::string> out = {"prover", "out"};
  for (const ProverModule& m : AllProvers()) {
    out.insert(out.end(), m.extractor.flags.begin(), m.extractor.flags.end());
  }
  return out;
}

int RunExtract(const CommandContext& context) {
  const std::string prover = absl::GetFlag(FLAGS_prover);
  const ProverModule* module = FindProver(prover);
  if (module == nullptr || !module->extractor.make) {
    std::cerr << "thor extract: no extraction for prover '" << prover << "' (known: ";
    bool first = true;
    for (const ProverModule& m : AllProvers()) {
      if (!m.extractor.make) continue;
      std::cerr << (first ? "" : ", ") << m.name;
      first = false;
    }
    std::cerr << ")\n";
    return 2;
  }
  // --out's default is `thor eval`'s file; extraction wants it named.
  if (context.given.count("out") == 0 || absl::GetFlag(FLAGS_out).empty()) {
    std::cerr << "thor extract: --out=FILE.jsonl is required\n";
    return 2;
  }
  if (absl::GetFlag(FLAGS_jobs) < 1) {
    std::cerr << "thor extract: --jobs must be at least 1\n";
    return 2;
  }
  SuiteSettings settings;
  for (const std::string& name : module->extractor.flags) {
    const absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    if (flag != nullptr) settings[name] = flag->CurrentValue();
  }
  absl::StatusOr<extract::FileTracer> tracer = module->extractor.make(settings);
  if (!tracer.ok()) {
    std::cerr << "thor extract: " << tracer.status().message() << "\n";
    return 2;
  }
  absl::StatusOr<std::vector<std::string>> files =
      extract::CollectSourceFiles(context.args, module->extractor.extension);
  if (!files.ok()) {
    std::cerr << "thor extract: " << files.status().message() << "\n";
    return 2;
  }
  extract::RunOptions options;
  options.out_path = absl::GetFlag(FLAGS_out);
  options.jobs = absl::GetFlag(FLAGS_jobs);
  options.progress = &std::cerr;
  absl::StatusOr<extract::RunSummary> summary = extract::RunExtraction(*files, *tracer, options);
  if (!summary.ok()) {
    std::cerr << "thor extract: " << summary.status().message() << "\n";
    return 3;
  }
  const double s = absl::ToDoubleSeconds(summary->elapsed);
  std::cerr << absl::StrFormat(
      "thor extract: %d files (%d skipped, %d traced, %d with errors), %d theorems, %d steps in "
      "%.1f s (%.1f steps/s) -> %s\n",
      summary->files, summary->skipped, summary->traced, summary->failed, summary->theorems,
      summary->steps, s, s > 0 ? summary->steps / s : 0.0, options.out_path);
  return summary->failed > 0 ? 1 : 0;
}

}  // namespace

Subcommand ExtractCommand() {
  return {"extract",
          "thor extract [flags] --out=FILE.jsonl FILE_OR_FOLDER...",
          "Trace proofs into JSONL records (state, tactic, next state, constants) for training.",
          "Every proof of the given source files (a folder stands for its files of the\n"
          "prover, e.g. *.v, recursively) is replayed in a real prover process; each step\n"
          "becomes one JSON line, each theorem and each file one more (README: \"Extracted\n"
          "proof steps\"). Files already finished in --out are skipped, so an interrupted run\n"
          "resumes. A file that fails gets an error record and the run goes on.\n"
          "Progress goes to stderr. Exit codes: 0 all files traced, 1 some file failed,\n"
          "2 usage error, 3 the output could not be written.",
          {__FILE__},
          ExtractorFlagNames(),
          RunExtract};
}

}  // namespace thor
