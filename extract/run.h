// The prover-neutral driver of `thor extract`: which files to trace, in
// parallel, appending each file's records to one JSONL file as a block, and
// resuming where an earlier run stopped. The prover's tracer does the rest.
#ifndef THOR_EXTRACT_RUN_H_
#define THOR_EXTRACT_RUN_H_

#include <functional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "extract/records.h"

namespace thor::extract {

// Traces one source file (an absolute path). Failures are reported in the
// returned trace's file.status, never thrown or returned otherwise. Called
// from several threads at once (one file each).
using FileTracer = std::function<FileTrace(const std::string& path)>;

// The files named by `inputs`, as absolute normal paths, without duplicates:
// a file is taken as it is; a folder gives every file below it whose name
// ends in `extension`, in name order. NotFound for an input that does not
// exist, InvalidArgument if there is no input.
absl::StatusOr<std::vector<std::string>> CollectSourceFiles(const std::vector<std::string>& inputs,
                                                            const std::string& extension);

// The files an earlier run finished in `out_path` (those with a file
// record), after cutting off what follows the last file record: a run
// killed while writing leaves at most one partial block at the end, since
// every file's records are appended as one block. Empty if the file does
// not exist; Internal if it cannot be read or cut.
absl::StatusOr<std::set<std::string>> ResumeOutput(const std::string& out_path);

struct RunOptions {
  std::string out_path;
  int jobs = 1;                       // Files traced at once (at least 1).
  std::ostream* progress = nullptr;   // One line per finished file; null: silent.
};

struct RunSummary {
  int files = 0;          // Named by the inputs.
  int skipped = 0;        // Finished by an earlier run.
  int traced = 0;         // Traced now (ok or not).
  int failed = 0;         // Of those, with an error record.
  int theorems = 0;       // Records written now.
  int steps = 0;
  absl::Duration elapsed;
};

// Traces every file of `files` not already finished in options.out_path and
// appends its records there. Errors only for the output (cannot open or
// write it); a file that fails to trace gets its error record.
absl::StatusOr<RunSummary> RunExtraction(const std::vector<std::string>& files,
                                         const FileTracer& tracer, const RunOptions& options);

}  // namespace thor::extract

#endif  // THOR_EXTRACT_RUN_H_
